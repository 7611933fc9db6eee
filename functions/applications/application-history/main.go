// Command application-history is the Lambda function applications/application-history: GET /v1/applications/{applicationId}/history the status transitions of an application with the bank's comments (A6).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-history") }
