// Command agent-list is the Lambda function declarations/agent-list: GET /api/agent on the back-office API: the agent organisations (seed 004 agents).
package main

import (
	"github.com/kabinet/kabinet/shared/declarations/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "declarations/agent-list") }
