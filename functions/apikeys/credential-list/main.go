// Command credential-list is the Lambda function apikeys/credential-list: GET /v1/api-credentials lists the organisation's agent API credentials, never the keys (A12).
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/credential-list") }
