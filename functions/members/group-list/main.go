// Command group-list is the Lambda function members/group-list: GET /v1/groups lists the organisation's groups (A13).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/group-list") }
