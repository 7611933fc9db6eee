// Command report-create is the Lambda function reports/report-create: POST /v1/reports on the client API: records a report over the caller's applications (A9) and puts it on the report queue.
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/reports/wire"
)

func main() { launch.API(wire.Routes(), "reports/report-create") }
