// Command rules-update is the Lambda function rewards/rules-update: PUT /v1/reward-rules on the back-office API: the bank saves the whole product catalogue, optimistic locking on its version (A11).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/rewards/wire"
)

func main() { launch.API(wire.Routes(), "rewards/rules-update") }
