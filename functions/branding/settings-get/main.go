// Command settings-get is the Lambda function branding/settings-get: GET /v1/ui-settings on the back-office API: colours, login-page texts and logos with the version.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/settings-get") }
