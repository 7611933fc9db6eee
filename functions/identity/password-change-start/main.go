// Command password-change-start is the Lambda function identity/password-change-start: POST /v1/me/password checks a new password and sends a code to confirm it (A4).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/password-change-start") }
