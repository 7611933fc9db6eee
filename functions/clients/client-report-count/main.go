// Command client-report-count is the Lambda function clients/client-report-count: POST /api/client/report/count on the back-office API: how many rows the client report gives (seed 004 clientReportCount).
package main

import (
	"github.com/kabinet/kabinet/shared/clients/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "clients/client-report-count") }
