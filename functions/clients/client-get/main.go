// Command client-get is the Lambda function clients/client-get: GET /api/client/{clientId} on the back-office API: one client's card (seed 004 getClient).
package main

import (
	"github.com/kabinet/kabinet/shared/clients/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "clients/client-get") }
