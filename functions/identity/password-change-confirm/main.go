// Command password-change-confirm is the Lambda function identity/password-change-confirm: POST /v1/me/password/{id}/confirm sets the new password, ending every session (A4).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/password-change-confirm") }
