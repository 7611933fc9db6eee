// Command email-sender is the Lambda function notifications/email-sender: sends queued e-mail through Amazon SES (invitations, alerts, later reports).
package main

import (
	"github.com/kabinet/kabinet/shared/email/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.Worker(wire.Workers(), "notifications/email-sender") }
