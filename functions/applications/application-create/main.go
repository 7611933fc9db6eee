// Command application-create is the Lambda function applications/application-create: POST /v1/applications creates a draft account-opening application (A5).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-create") }
