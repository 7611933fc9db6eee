// Command recheck is the Lambda function checks/recheck: POST /api/application/{applicationid}/recheck/ on the back-office API queues the ABS's InitialCheck again (seed 004 recheckApplication).
package main

import (
	"github.com/kabinet/kabinet/shared/checks/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "checks/recheck") }
