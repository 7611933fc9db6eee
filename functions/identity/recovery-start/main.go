// Command recovery-start is the Lambda function identity/recovery-start: POST /v1/auth/password-recovery checks a new password and sends a code to confirm it (A3).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/recovery-start") }
