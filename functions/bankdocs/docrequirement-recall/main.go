// Command docrequirement-recall is the Lambda function bankdocs/docrequirement-recall: POST /api/application/{applicationid}/doc/recalled recalls extra-document requests, 409 when one was fulfilled (seed 004 recalled, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/docrequirement-recall") }
