// Command report-list is the Lambda function reports/report-list: GET /v1/reports on the client API: the caller's reports, newest first (A9).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/reports/wire"
)

func main() { launch.API(wire.Routes(), "reports/report-list") }
