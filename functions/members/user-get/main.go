// Command user-get is the Lambda function members/user-get: GET /v1/users/{userId} one user the caller may see (A17).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/members/wire"
)

func main() { launch.API(wire.Routes(), "members/user-get") }
