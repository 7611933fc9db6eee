// Command registration-resend is the Lambda function onboarding/registration-resend: POST /v1/registrations/{id}/resend sends a new code after 3 minutes (A1).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/onboarding/wire"
)

func main() { launch.API(wire.Routes(), "onboarding/registration-resend") }
