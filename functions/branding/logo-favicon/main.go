// Command logo-favicon is the Lambda function branding/logo-favicon: GET /api/logo/favicon on the back-office API (public): the favicon.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/logo-favicon") }
