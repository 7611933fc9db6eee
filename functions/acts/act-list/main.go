// Command act-list is the Lambda function acts/act-list: GET /api/acts lists the acts of payment to agents by agent and product (seed 004 actList, E11).
package main

import (
	"github.com/kabinet/kabinet/shared/acts/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "acts/act-list") }
