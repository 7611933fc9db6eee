// Command my-ip is the Lambda function allowlist/my-ip: GET /v1/ip-allowlist/my-ip the caller's address and whether the list admits it (D6).
package main

import (
	"github.com/kabinet/kabinet/shared/allowlist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "allowlist/my-ip") }
