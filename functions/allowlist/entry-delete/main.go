// Command entry-delete is the Lambda function allowlist/entry-delete: DELETE /v1/ip-allowlist/{entryId} takes an entry off the IP allowlist (D6).
package main

import (
	"github.com/kabinet/kabinet/shared/allowlist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "allowlist/entry-delete") }
