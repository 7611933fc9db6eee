// Command application-signatures is the Lambda function review/application-signatures: GET /api/application/{applicationid}/signature/ on the back-office API an application's signers (seed 004 applicationSignatures).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/review/wire"
)

func main() { launch.API(wire.Routes(), "review/application-signatures") }
