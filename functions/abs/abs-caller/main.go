// Command abs-caller is the Lambda function abs/abs-caller: makes the queued calls to the bank's core-banking system (E13), one FIFO group per application.
package main

import (
	"github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/launch"
	_ "github.com/kabinet/kabinet/shared/review/wire" // registers the review flow's abs.Outcomes
)

func main() { launch.Worker(wire.Workers(), "abs/abs-caller") }
