// Command partner-whoami is the Lambda function apikeys/partner-whoami: GET /v1/partner/whoami on the partner API, an HMAC-signed request.
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/partner-whoami") }
