// Command login is the Lambda function backoffice/login: POST /api/login logs a bank user in with a form (username, password) and sets the session cookie JSESSION (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/login") }
