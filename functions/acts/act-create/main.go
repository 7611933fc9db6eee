// Command act-create is the Lambda function acts/act-create: POST /api/act/{agent}/{product}/{paymentSum}/{period}/{paymentdate} records an act of payment to an agent with its optional file (seed 004 createAgentAct, E11).
package main

import (
	"github.com/kabinet/kabinet/shared/acts/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "acts/act-create") }
