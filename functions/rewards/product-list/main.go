// Command product-list is the Lambda function rewards/product-list: GET /v1/products on the client API: the active products an application may name, with the agent's reward for each (A11).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/rewards/wire"
)

func main() { launch.API(wire.Routes(), "rewards/product-list") }
