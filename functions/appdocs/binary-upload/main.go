// Command binary-upload is the Lambda function appdocs/binary-upload: POST /v1/applications/{applicationId}/binary/{doctype}/{docle} stores a multipart upload of at most 4 MiB (seed 004's uploadSysFile, A5).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/binary-upload") }
