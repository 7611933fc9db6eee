// Command questionnaire-get is the Lambda function bankdocs/questionnaire-get: GET /api/application/{applicationid}/questionnaire/ reads the client questionnaire (seed 004 getQuestionnaire, E8).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/questionnaire-get") }
