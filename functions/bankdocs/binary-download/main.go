// Command binary-download is the Lambda function bankdocs/binary-download: GET /api/binary/{applicationid} (the seed's /binary/{documentid}) redirects to a short-lived download of a document (seed 004 download, E6).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/binary-download") }
