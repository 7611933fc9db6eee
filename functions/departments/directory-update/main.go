// Command directory-update is the Lambda function departments/directory-update: PUT /v1/departments on the back-office API: a bank user replaces the directory (optimistic locking on its version).
package main

import (
	"github.com/kabinet/kabinet/shared/departments/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "departments/directory-update") }
