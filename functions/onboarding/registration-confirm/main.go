// Command registration-confirm is the Lambda function onboarding/registration-confirm: POST /v1/registrations/{id}/confirm creates the account from the SMS code (A1).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/onboarding/wire"
)

func main() { launch.API(wire.Routes(), "onboarding/registration-confirm") }
