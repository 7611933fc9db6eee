// Command check-list is the Lambda function checks/check-list: GET /api/check/{applicationid} on the back-office API an application's check runs with their checks, manual results and comments (seed 004 E9).
package main

import (
	"github.com/kabinet/kabinet/shared/checks/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "checks/check-list") }
