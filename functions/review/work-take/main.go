// Command work-take is the Lambda function review/work-take: GET /api/application/{applicationid}/work on the back-office API takes an application to work for the current bank user (seed 004 takeToWork).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/work-take") }
