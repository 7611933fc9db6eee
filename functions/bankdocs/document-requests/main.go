// Command document-requests is the Lambda function bankdocs/document-requests: GET /v1/applications/{applicationId}/document-requests lists the bank's open extra-document requests for the agent (E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/document-requests") }
