// Command logo-system is the Lambda function branding/logo-system: GET /api/logo/system on the back-office API: the top menu's logo.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/logo-system") }
