// Command sms-sender is the Lambda function notifications/sms-sender: consumes the SMS queue and sends through the SMS.ru gateway.
package main

import "github.com/kabinet/kabinet/shared/launch"

func main() { launch.Function("notifications/sms-sender") }
