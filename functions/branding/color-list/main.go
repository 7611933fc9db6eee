// Command color-list is the Lambda function branding/color-list: GET /api/system/color on the back-office API (public): the interface's colours.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/color-list") }
