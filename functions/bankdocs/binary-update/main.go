// Command binary-update is the Lambda function bankdocs/binary-update: PATCH /api/binary/{applicationid} replaces a generic binary object's file (seed 004 updateObject, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/binary-update") }
