// Command systeminfo is the Lambda function sysinfo/systeminfo: GET /api/info/systeminfo on the back-office API: the main page's roles, flags and parameters.
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/sysinfo/wire"
)

func main() { launch.API(wire.Routes(), "sysinfo/systeminfo") }
