// Package wire builds the SMS sender (the SMS queue's consumer) from the environment.
package wire

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/sms"
	"github.com/kabinet/kabinet/shared/sms/smsru"
)

// Workers of the SMS path.
func Workers() []sqsworker.Worker {
	return []sqsworker.Worker{{Function: "notifications/sms-sender", Build: Sender}}
}

// Config is what the SMS sender reads from its environment.
type Config struct {
	ProcessedMessagesTable string        `env:"PROCESSED_MESSAGES_TABLE"`
	DeadLetterQueueURL     string        `env:"SMS_DEAD_LETTER_QUEUE_URL"`
	GatewayURL             string        `env:"SMS_GATEWAY_URL"`
	APIID                  string        `env:"SMS_API_ID" secret:"true"`
	Sender                 string        `env:"SMS_SENDER" default:""`
	Lease                  time.Duration `env:"SMS_CLAIM_LEASE" default:"60s"`
}

// Sender wires the consumer: SMS.ru gateway, claims in DynamoDB, permanent failures to the DLQ.
func Sender(ctx context.Context) (*sqsworker.Consumer, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return sms.NewConsumer(
		smsru.New(cfg.GatewayURL, cfg.APIID, cfg.Sender),
		&sqsworker.DynamoClaims{DB: dynamodb.NewFromConfig(aws), Table: cfg.ProcessedMessagesTable},
		&sqsworker.QueueDeadLetter{SQS: sqs.NewFromConfig(aws), URL: cfg.DeadLetterQueueURL},
		cfg.Lease,
	), nil
}
