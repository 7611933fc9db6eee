// Command application-annul is the Lambda function applications/application-annul: POST /v1/applications/{applicationId}/annul withdraws an application (issue 5; DeleteClient when the ABS knows the client).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-annul") }
