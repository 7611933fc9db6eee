// Command doc-verify is the Lambda function bankdocs/doc-verify: POST /api/application/{applicationid}/doc/{docid}/verify records a bank user's check of a document (seed 004 setVerify, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/doc-verify") }
