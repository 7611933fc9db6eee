// Command report-get is the Lambda function reports/report-get: GET /v1/reports/{reportId} on the client API: one of the caller's reports with, once ready, a fresh download link (A9).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/reports/wire"
)

func main() { launch.API(wire.Routes(), "reports/report-get") }
