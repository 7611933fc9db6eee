// Command registration-start is the Lambda function onboarding/registration-start: POST /v1/registrations starts a registration and sends a code by SMS (A1).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/onboarding/wire"
)

func main() { launch.API(wire.Routes(), "onboarding/registration-start") }
