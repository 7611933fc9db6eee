// Command application-get is the Lambda function applications/application-get: GET /v1/applications/{applicationId} one application the caller may see (A6, A17).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-get") }
