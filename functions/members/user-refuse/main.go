// Command user-refuse is the Lambda function members/user-refuse: POST /v1/users/{userId}/refuse marks an invited user as refused (A15).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-refuse") }
