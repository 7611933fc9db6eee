// Command check-result is the Lambda function checks/check-result: POST /api/check/{applicationid}/{executetime}/{checktype}/result on the back-office API sets the manual result of one check (seed 004 setResult).
package main

import (
	"github.com/kabinet/kabinet/shared/checks/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "checks/check-result") }
