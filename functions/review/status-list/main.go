// Command status-list is the Lambda function review/status-list: GET /api/status on the back-office API the statuses of the status model (seed 004 statusList).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/status-list") }
