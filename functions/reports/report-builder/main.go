// Command report-builder is the Lambda function reports/report-builder: builds queued reports (A9): the applications the requester may see into an XLSX or CSV file in the documents bucket, then an e-mail when asked.
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/reports/wire"
)

func main() { launch.Worker(wire.Workers(), "reports/report-builder") }
