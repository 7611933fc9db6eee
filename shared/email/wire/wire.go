// Package wire builds the e-mail sender (the e-mail queue's consumer) from the environment:
// Amazon SES v2 in AWS (EMAIL_TRANSPORT=ses), an SMTP server for local runs and tests
// (EMAIL_TRANSPORT=smtp, SMTP_ADDR; the sink of infra/smtpsink).
package wire

import (
	"context"
	"fmt"
	"net/mail"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/email/ses"
	"github.com/kabinet/kabinet/shared/email/smtp"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Workers of the e-mail path.
func Workers() []sqsworker.Worker {
	return []sqsworker.Worker{{Function: "notifications/email-sender", Build: Sender}}
}

// Config is what the e-mail sender reads from its environment.
type Config struct {
	ProcessedMessagesTable string        `env:"PROCESSED_MESSAGES_TABLE"`
	DeadLetterQueueURL     string        `env:"EMAIL_DEAD_LETTER_QUEUE_URL"`
	From                   string        `env:"EMAIL_FROM"`
	Transport              string        `env:"EMAIL_TRANSPORT"` // "ses" or "smtp"
	SMTPAddr               string        `env:"SMTP_ADDR" default:""`
	SESConfigurationSet    string        `env:"SES_CONFIGURATION_SET" default:""`
	Lease                  time.Duration `env:"EMAIL_CLAIM_LEASE" default:"60s"`
}

// Validate checks what the tags cannot: the sender address and the transport's settings.
func (c Config) Validate() error {
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("config: EMAIL_FROM is not an e-mail address: %w", err)
	}
	switch c.Transport {
	case "ses":
	case "smtp":
		if c.SMTPAddr == "" {
			return fmt.Errorf("config: SMTP_ADDR is required when EMAIL_TRANSPORT=smtp")
		}
	default:
		return fmt.Errorf("config: EMAIL_TRANSPORT=%q: must be \"ses\" or \"smtp\"", c.Transport)
	}
	return nil
}

// Sender wires the consumer: SES or SMTP, claims in DynamoDB, permanent failures to the DLQ.
func Sender(ctx context.Context) (*sqsworker.Consumer, error) {
	var cfg Config
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	aws, err := awsclient.Config(ctx)
	if err != nil {
		return nil, err
	}
	var sender email.Sender
	if cfg.Transport == "smtp" {
		sender = smtp.New(cfg.SMTPAddr, cfg.From)
	} else {
		sender = ses.New(sesv2.NewFromConfig(aws), cfg.From, cfg.SESConfigurationSet)
	}
	return email.NewConsumer(
		sender,
		&sqsworker.DynamoClaims{DB: dynamodb.NewFromConfig(aws), Table: cfg.ProcessedMessagesTable},
		&sqsworker.QueueDeadLetter{SQS: sqs.NewFromConfig(aws), URL: cfg.DeadLetterQueueURL},
		cfg.Lease,
	), nil
}
