// Command check-report is the Lambda function checks/check-report: GET /api/check/{applicationid}/{executetime}/{checktype}/report on the back-office API the XLSX journal of an application's checks (seed 004 generateReport).
package main

import (
	"github.com/kabinet/kabinet/shared/checks/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "checks/check-report") }
