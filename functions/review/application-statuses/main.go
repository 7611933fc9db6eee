// Command application-statuses is the Lambda function review/application-statuses: GET /api/application/{applicationid}/status/ on the back-office API the statuses an application went through (seed 004 applicationStatuses).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/application-statuses") }
