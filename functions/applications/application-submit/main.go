// Command application-submit is the Lambda function applications/application-submit: POST /v1/applications/{applicationId}/submit sends an application to the bank once its required fields are filled in (A5, A7).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-submit") }
