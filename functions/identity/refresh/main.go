// Command refresh is the Lambda function identity/refresh: POST /v1/auth/refresh exchanges a refresh token (used once) for new tokens.
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/refresh") }
