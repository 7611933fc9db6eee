// Command document-delete is the Lambda function appdocs/document-delete: DELETE /v1/applications/{applicationId}/documents/{documentId} deletes a document of an editable application (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "appdocs/document-delete") }
