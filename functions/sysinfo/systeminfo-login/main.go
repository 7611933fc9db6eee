// Command systeminfo-login is the Lambda function sysinfo/systeminfo-login: GET /api/info/systeminfologin on the back-office API (public): the login page's texts and the version.
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/sysinfo/wire"
)

func main() { launch.API(wire.Routes(), "sysinfo/systeminfo-login") }
