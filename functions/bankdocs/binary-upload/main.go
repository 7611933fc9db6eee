// Command binary-upload is the Lambda function bankdocs/binary-upload: POST /api/binary/{applicationid}/{doctype}/{docle} stores a bank user's multipart upload of at most 4 MiB (seed 004 uploadSysFile, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/binary-upload") }
