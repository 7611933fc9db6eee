// Command client-list is the Lambda function clients/client-list: GET /api/clients on the back-office API: the bank's clients, newest first (seed 004 getClients).
package main

import (
	"github.com/kabinet/kabinet/shared/clients/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "clients/client-list") }
