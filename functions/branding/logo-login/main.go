// Command logo-login is the Lambda function branding/logo-login: GET /api/logo/login on the back-office API (public): the login page's logo.
package main

import (
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "branding/logo-login") }
