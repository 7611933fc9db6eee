// Command settings-update is the Lambda function branding/settings-update: PUT /v1/ui-settings on the back-office API (administrators): save colours and login-page texts.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/settings-update") }
