// Command user-update is the Lambda function members/user-update: PATCH /v1/users/{userId} changes a user's name, e-mail, role or group (A14, A17).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-update") }
