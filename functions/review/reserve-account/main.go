// Command reserve-account is the Lambda function review/reserve-account: POST /api/application/{applicationid}/reserveaccount/ on the back-office API records an account reserved by hand (seed 004 reserveAccount).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/reserve-account") }
