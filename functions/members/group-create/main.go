// Command group-create is the Lambda function members/group-create: POST /v1/groups creates a group with a unique name (A13).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/group-create") }
