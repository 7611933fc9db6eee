// Command user-resend-invitation is the Lambda function members/user-resend-invitation: POST /v1/users/{userId}/resend-invitation sends new login details to an invited user (A15).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-resend-invitation") }
