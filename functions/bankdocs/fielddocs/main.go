// Command fielddocs is the Lambda function bankdocs/fielddocs: GET /api/application/{applicationid}/fielddocs lists the bank's documents by type (seed 004 getFieldDocuments, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/fielddocs") }
