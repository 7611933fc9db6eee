// Command company-suggest is the Lambda function applications/company-suggest: GET /v1/company-suggestions suggests companies from the company directory (DaData) by name or INN prefix, to fill an application's company section (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/company-suggest") }
