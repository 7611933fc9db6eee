// Command user-list is the Lambda function members/user-list: GET /v1/users searches users by name, filters by status and group (A16).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-list") }
