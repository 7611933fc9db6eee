// Command sms-sender is the Lambda function notifications/sms-sender: sends queued SMS through the SMS.ru gateway (A1 codes and every later SMS).
package main

import (
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/sms/wire"
)

func main() { launch.Worker(wire.Workers(), "notifications/sms-sender") }
