// Command partner-key-list is the Lambda function apikeys/partner-key-list: GET /v1/partner-keys lists the organisation's partner keys, never the secrets.
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/partner-key-list") }
