// Command settings-get is the Lambda function abs/settings-get: GET /v1/abs-settings on the back-office API: the ABS integration's settings with their version (E13).
package main

import (
	"github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "abs/settings-get") }
