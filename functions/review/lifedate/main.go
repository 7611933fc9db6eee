// Command lifedate is the Lambda function review/lifedate: POST /api/application/{applicationid}/lifedate/{date} on the back-office API sets an application's life date (seed 004 changeLifeDate).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/lifedate") }
