// Command type-list is the Lambda function appdocs/type-list: GET /v1/document-types on the client API: the document types agents may attach to an application (A5, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/type-list") }
