// Command document-download is the Lambda function appdocs/document-download: GET /v1/applications/{applicationId}/documents/{documentId}/download hands out a presigned S3 GET (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/document-download") }
