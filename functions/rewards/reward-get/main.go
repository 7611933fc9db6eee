// Command reward-get is the Lambda function rewards/reward-get: GET /v1/rewards/{applicationId} on the client API: the reward of one application with the application's summary (A11).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/rewards/wire"
)

func main() { launch.API(wire.Routes(), "rewards/reward-get") }
