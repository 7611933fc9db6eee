// Command entry-add is the Lambda function allowlist/entry-add: POST /v1/ip-allowlist adds an address or CIDR network to the IP allowlist (D6).
package main

import (
	"github.com/kabinet/kabinet/shared/allowlist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "allowlist/entry-add") }
