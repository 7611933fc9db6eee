// Command user-takers is the Lambda function backoffice/user-takers: GET /api/user/takers the bank's users whose roles take applications to work (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/user-takers") }
