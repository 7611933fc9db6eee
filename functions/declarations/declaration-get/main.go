// Command declaration-get is the Lambda function declarations/declaration-get: GET /api/declaration/info/{applicationid} on the back-office API: one declaration (seed 004 getDeclaration).
package main

import (
	"github.com/kabinet/kabinet/shared/declarations/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "declarations/declaration-get") }
