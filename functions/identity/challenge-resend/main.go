// Command challenge-resend is the Lambda function identity/challenge-resend: POST /v1/auth/challenges/{id}/resend sends a new code after 3 minutes (A3, A4, B1).
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/challenge-resend") }
