// Command reward-list is the Lambda function rewards/reward-list: GET /v1/rewards on the client API: the rewards accrued in a Moscow month with their total, searchable by INN or name, scoped by role (A11, A17).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/rewards/wire"
)

func main() { launch.API(wire.Routes(), "rewards/reward-list") }
