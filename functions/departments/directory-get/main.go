// Command directory-get is the Lambda function departments/directory-get: GET /v1/departments on the back-office API: the directory with its version.
package main

import (
	"github.com/kabinet/kabinet/shared/departments/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "departments/directory-get") }
