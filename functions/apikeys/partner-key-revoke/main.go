// Command partner-key-revoke is the Lambda function apikeys/partner-key-revoke: DELETE /v1/partner-keys/{keyId} revokes a partner key at once.
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/partner-key-revoke") }
