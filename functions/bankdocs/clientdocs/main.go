// Command clientdocs is the Lambda function bankdocs/clientdocs: GET /api/application/{applicationid}/clientdocs lists the agent's documents by type (seed 004 getClientDocuments, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/clientdocs") }
