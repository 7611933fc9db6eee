// Command application-get is the Lambda function banklist/application-get: GET /api/application/{applicationid}/ on the back-office API: one application of any organisation with its actions and role infos (seed 004 getApplication).
package main

import (
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "banklist/application-get") }
