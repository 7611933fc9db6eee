// Command recovery-confirm is the Lambda function identity/recovery-confirm: POST /v1/auth/password-recovery/{id}/confirm sets the new password from a confirmed code (A3).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/recovery-confirm") }
