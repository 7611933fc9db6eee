// Command audit is the Lambda function identity/audit: GET /v1/audit the organisation's audit log, for its superuser.
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/audit") }
