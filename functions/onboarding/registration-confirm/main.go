// Command registration-confirm is the Lambda function onboarding/registration-confirm: POST /v1/registrations/{id}/confirm creates the account from a confirmed code (A1).
package main

import "github.com/kabinet/kabinet/shared/launch"

func main() { launch.Function("onboarding/registration-confirm") }
