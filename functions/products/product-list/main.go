// Command product-list is the Lambda function products/product-list: GET /api/product on the back-office API: the products with their integer ids.
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/products/wire"
)

func main() { launch.API(wire.Routes(), "products/product-list") }
