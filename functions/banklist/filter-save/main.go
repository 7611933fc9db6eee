// Command filter-save is the Lambda function banklist/filter-save: POST /api/application/filter on the back-office API: the current bank user saves its filter (saveFilter).
package main

import (
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "banklist/filter-save") }
