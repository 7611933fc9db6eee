// Command version is the Lambda function system/version: the service version on every API (E12).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/system"
)

func main() { launch.API(system.Routes(), "system/version") }
