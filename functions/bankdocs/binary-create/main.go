// Command binary-create is the Lambda function bankdocs/binary-create: POST /api/binary/ stores a generic binary object (seed 004 createObject, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/binary-create") }
