// Command application-list is the Lambda function applications/application-list: GET /v1/applications lists the applications the caller may see, with search by INN or company name and filters by status and creation date (A8, A17).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-list") }
