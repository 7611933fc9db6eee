// Command document-create is the Lambda function appdocs/document-create: POST /v1/applications/{applicationId}/documents announces a document and hands out a presigned S3 POST (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/document-create") }
