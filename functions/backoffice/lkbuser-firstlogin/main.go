// Command lkbuser-firstlogin is the Lambda function backoffice/lkbuser-firstlogin: POST /api/lkbuser/firstlogin replaces the caller's temporary password (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/lkbuser-firstlogin") }
