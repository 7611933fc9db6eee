// Command logout is the Lambda function identity/logout: POST /v1/auth/logout ends the caller's session.
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/logout") }
