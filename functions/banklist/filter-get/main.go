// Command filter-get is the Lambda function banklist/filter-get: GET /api/application/filter on the back-office API: the current bank user's saved filter.
package main

import (
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "banklist/filter-get") }
