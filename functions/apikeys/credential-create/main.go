// Command credential-create is the Lambda function apikeys/credential-create: POST /v1/api-credentials issues an agent app-id / shared-key pair, the key shown once (A12).
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/credential-create") }
