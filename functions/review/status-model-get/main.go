// Command status-model-get is the Lambda function review/status-model-get: GET /v1/status-model on the back-office API the bank's status model with its version (administrators).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/status-model-get") }
