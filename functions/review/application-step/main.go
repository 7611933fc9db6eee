// Command application-step is the Lambda function review/application-step: POST /api/application/{applicationid}/step/{action} on the back-office API moves an application by an action of the status model (seed 004 nextStep).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/application-step") }
