// Command user-signer is the Lambda function backoffice/user-signer: GET /api/user/signer the bank's users whose roles sign applications (E1).
package main

import (
	"github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "backoffice/user-signer") }
