// Command document-confirm is the Lambda function appdocs/document-confirm: POST /v1/applications/{applicationId}/documents/{documentId}/confirm checks an uploaded file and keeps it (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/document-confirm") }
