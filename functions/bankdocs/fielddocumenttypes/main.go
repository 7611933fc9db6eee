// Command fielddocumenttypes is the Lambda function bankdocs/fielddocumenttypes: GET /api/info/fielddocumenttypes/{applicationid} lists the types a bank user may upload (seed 004 fieldDocumentTypes, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/fielddocumenttypes") }
