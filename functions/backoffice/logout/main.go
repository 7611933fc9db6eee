// Command logout is the Lambda function backoffice/logout: GET /api/logout ends the caller's back-office session (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/logout") }
