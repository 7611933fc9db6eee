// Command work-release is the Lambda function review/work-release: DELETE /api/application/{applicationid}/work on the back-office API releases an application from work (seed 004 removeFromWork).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/work-release") }
