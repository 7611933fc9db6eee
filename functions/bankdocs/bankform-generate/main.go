// Command bankform-generate is the Lambda function bankdocs/bankform-generate: POST /api/application/{applicationid}/generatebankform renders the bank's print forms as PDFs among the application's documents (seed 004 generateBankForm, E7).
package main

import (
	"github.com/kabinet/kabinet/shared/bankdocs/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "bankdocs/bankform-generate") }
