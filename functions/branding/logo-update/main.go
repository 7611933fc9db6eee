// Command logo-update is the Lambda function branding/logo-update: PUT /v1/ui-settings/logos/{logo} on the back-office API (administrators): upload a logo or the favicon.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/logo-update") }
