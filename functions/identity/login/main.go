// Command login is the Lambda function identity/login: POST /v1/auth/login logs in with a login and password and opens a session.
package main

import (
	"github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "identity/login") }
