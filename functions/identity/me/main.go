// Command me is the Lambda function identity/me: GET /v1/me the caller's profile.
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/me") }
