// Command user-role is the Lambda function backoffice/user-role: POST /api/user/role/{roleid} switches the caller's active role (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/user-role") }
