// Command user-block is the Lambda function members/user-block: POST /v1/users/{userId}/block blocks an active user, ending its sessions (A15).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-block") }
