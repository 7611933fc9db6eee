// Command application-count is the Lambda function banklist/application-count: POST /api/application/count/ on the back-office API: how many applications match the filter object (applicationCount).
package main

import (
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "banklist/application-count") }
