// Command credential-revoke is the Lambda function apikeys/credential-revoke: DELETE /v1/api-credentials/{appId} revokes an agent API credential at once (A12).
package main

import (
	"github.com/kabinet/kabinet/shared/apikeys/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "apikeys/credential-revoke") }
