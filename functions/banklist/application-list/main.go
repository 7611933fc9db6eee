// Command application-list is the Lambda function banklist/application-list: POST /api/application/ on the back-office API: the applications of every organisation matching seed 004's filter object, with actions and role infos (applicationList).
package main

import (
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "banklist/application-list") }
