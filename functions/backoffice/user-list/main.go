// Command user-list is the Lambda function backoffice/user-list: GET /api/user/list the bank's users (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/user-list") }
