// Command document-list is the Lambda function appdocs/document-list: GET /v1/applications/{applicationId}/documents lists an application's uploaded documents (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/document-list") }
