// Command user-invite is the Lambda function members/user-invite: POST /v1/users invites a user with login details by SMS and e-mail (A14).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-invite") }
