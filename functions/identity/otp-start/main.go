// Command otp-start is the Lambda function identity/otp-start: POST /v1/auth/otp sends a login code by SMS (B1, C11).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/otp-start") }
