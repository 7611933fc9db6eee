// Command client-report is the Lambda function clients/client-report: POST /api/client/report on the back-office API: the registration funnel of the cabinet, a page of it (seed 004 clientReports).
package main

import (
	"github.com/kabinet/kabinet/shared/clients/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "clients/client-report") }
