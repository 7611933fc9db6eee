// Command doc-delete is the Lambda function bankdocs/doc-delete: DELETE /api/application/{applicationid}/doc/{docid} deletes a document of an application (seed 004 deleteAppDoc, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/doc-delete") }
