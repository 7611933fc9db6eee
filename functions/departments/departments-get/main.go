// Command departments-get is the Lambda function departments/departments-get: GET /api/voz/departments/get on the partner API, HTTP Basic with app-id:shared-key: the regions, cities and bank offices directory (A12).
package main

import (
	"github.com/kabinet/kabinet/shared/departments/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "departments/departments-get") }
