// Command swagger is the Lambda function apidocs/swagger: GET /api/swagger/{swaggerFile} on the
// back-office API: the OpenAPI document of that API. It starts from the whole catalogue (not
// only its domain's wire, as other functions do): the document describes every route.
package main

import (
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(catalogue.Routes(), "apidocs/swagger") }
