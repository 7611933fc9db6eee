// Command company-find is the Lambda function applications/company-find: GET /v1/company-suggestions/{inn} returns the companies with an exact INN from the company directory (DaData), the head office and branches or the unit with kpp (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/company-find") }
