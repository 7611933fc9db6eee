// Command prko-list is the Lambda function products/prko-list: GET /api/product/prko on the back-office API: the RKO service packages.
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/products/wire"
)

func main() { launch.API(wire.Routes(), "products/prko-list") }
