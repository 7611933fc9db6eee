// Command user-unblock is the Lambda function members/user-unblock: POST /v1/users/{userId}/unblock unblocks a user (A15).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-unblock") }
