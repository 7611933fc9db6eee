// Command declaration-active is the Lambda function declarations/declaration-active: GET /api/declaration/active on the back-office API: the agents' open declarations (seed 004 activeDeclarations).
package main

import (
	"github.com/kabinet/kabinet/shared/declarations/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "declarations/declaration-active") }
