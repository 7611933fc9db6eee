// Command otp-confirm is the Lambda function identity/otp-confirm: POST /v1/auth/otp/{id}/confirm logs in with the SMS code (B1, C11).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/otp-confirm") }
