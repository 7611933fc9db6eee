// Command docrequirement-create is the Lambda function bankdocs/docrequirement-create: POST /api/application/{applicationid}/docrequirement/ asks the agent for an extra document (seed 004 createDocRequirement, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/docrequirement-create") }
