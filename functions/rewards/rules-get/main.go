// Command rules-get is the Lambda function rewards/rules-get: GET /v1/reward-rules on the back-office API: the product catalogue with the rewards and its version (A11).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/rewards/wire"
)

func main() { launch.API(wire.Routes(), "rewards/rules-get") }
