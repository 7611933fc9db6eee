// Command application-update is the Lambda function applications/application-update: PATCH /v1/applications/{applicationId} edits a draft or an application returned for rework, with optimistic locking (A5, A7).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/application-update") }
