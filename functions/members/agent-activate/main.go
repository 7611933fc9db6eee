// Command agent-activate is the Lambda function members/agent-activate: POST /v1/agents/{orgId}/activate bank staff activate an agent organisation after the contract (A2).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/agent-activate") }
