// Command report-columns is the Lambda function reports/report-columns: GET /v1/reports/columns on the client API: the columns a report may have, with their titles (A9).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/reports/wire"
)

func main() { launch.API(wire.Routes(), "reports/report-columns") }
