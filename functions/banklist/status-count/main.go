// Command status-count is the Lambda function banklist/status-count: GET /api/application/statuscount/ on the back-office API: every status with its number of applications (statusCount).
package main

import (
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "banklist/status-count") }
