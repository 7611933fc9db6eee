// Command status-model-update is the Lambda function review/status-model-update: PUT /v1/status-model on the back-office API an administrator saves the whole status model (optimistic locking on version).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/status-model-update") }
