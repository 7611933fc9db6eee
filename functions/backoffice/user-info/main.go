// Command user-info is the Lambda function backoffice/user-info: GET /api/user/info/ the current bank user and its roles (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/user-info") }
