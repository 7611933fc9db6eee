// Command agent-whoami is the Lambda function apikeys/agent-whoami: GET /v1/agent/whoami on the partner API, HTTP Basic with app-id:shared-key (A12).
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/agent-whoami") }
