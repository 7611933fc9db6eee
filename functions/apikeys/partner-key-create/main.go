// Command partner-key-create is the Lambda function apikeys/partner-key-create: POST /v1/partner-keys issues a licensee signing key, the secret shown once.
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/partner-key-create") }
