// Command binary-delete is the Lambda function bankdocs/binary-delete: DELETE /api/binary/{applicationid} deletes a generic binary object (seed 004 deleteObject, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/binary-delete") }
