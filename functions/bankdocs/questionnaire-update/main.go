// Command questionnaire-update is the Lambda function bankdocs/questionnaire-update: POST /api/application/{applicationid}/questionnaire/ replaces the client questionnaire with optimistic locking (seed 004 updateQuestionnaire, E8).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/questionnaire-update") }
