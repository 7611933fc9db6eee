// Command declaration-modify is the Lambda function declarations/declaration-modify: PATCH /api/declaration/modify/{applicationid} on the back-office API: the bank's corrections of a declaration (seed 004 modifyDeclaration).
package main

import (
	"github.com/kabinet/kabinet/shared/declarations/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "declarations/declaration-modify") }
