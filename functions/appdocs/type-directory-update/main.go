// Command type-directory-update is the Lambda function appdocs/type-directory-update: PUT /v1/document-types on the back-office API: the bank replaces the list of document types (optimistic locking, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/type-directory-update") }
