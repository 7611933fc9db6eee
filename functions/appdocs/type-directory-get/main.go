// Command type-directory-get is the Lambda function appdocs/type-directory-get: GET /v1/document-types on the back-office API: the bank reads the list of document types with its version (E6).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/type-directory-get") }
