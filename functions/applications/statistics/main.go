// Command statistics is the Lambda function applications/statistics: GET /v1/applications/statistics the organisation's applications created, submitted, accounts opened, rejected and the conversion over a period of Moscow days, from counters kept on write (A10).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/statistics") }
