// Command entry-list is the Lambda function allowlist/entry-list: GET /v1/ip-allowlist?q= the organisation's IP allowlist, searched (D6).
package main

import (
	"github.com/kabinet/kabinet/shared/allowlist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "allowlist/entry-list") }
