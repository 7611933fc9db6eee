// Command settings-update is the Lambda function abs/settings-update: PUT /v1/abs-settings on the back-office API: an administrator saves the ABS integration's settings (E13).
package main

import (
	"github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "abs/settings-update") }
