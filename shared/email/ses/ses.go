// Package ses sends e-mail through Amazon SES v2 (SendEmail with Simple content, UTF-8).
// Throttling, SES's own faults (5xx) and network failures are transient (SQS retries them);
// a message SES refuses (MessageRejected, unverified MAIL FROM domain, invalid input) is
// permanent and goes to the dead-letter queue.
package ses

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// API is the part of *sesv2.Client the adapter uses (tests pass a fake).
type API interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, optFns ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// Client sends e-mail through SES.
type Client struct {
	API              API
	From             string // verified identity, "no-reply@kabinet.example" or "Кабинет <no-reply@…>"
	ConfigurationSet string // "" = none
}

// New returns a client sending from from, with an optional configuration set.
func New(api API, from, configurationSet string) *Client {
	return &Client{API: api, From: from, ConfigurationSet: configurationSet}
}

const charset = "UTF-8"

// Send sends m and returns the SES message id.
func (c *Client) Send(ctx context.Context, m email.Message) (string, error) {
	to, err := email.ParseRecipients(m.To)
	if err != nil {
		return "", sqsworker.Permanent(err)
	}
	dest := make([]string, len(to))
	for i, a := range to {
		dest[i] = a.Address
		if a.Name != "" {
			dest[i] = a.String() // the display name MIME-encoded, as SES requires
		}
	}
	body := &types.Body{Text: &types.Content{Data: aws.String(m.Text), Charset: aws.String(charset)}}
	if m.HTML != "" {
		body.Html = &types.Content{Data: aws.String(m.HTML), Charset: aws.String(charset)}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(c.From),
		Destination:      &types.Destination{ToAddresses: dest},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: aws.String(charset)},
			Body:    body,
		}},
	}
	if c.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(c.ConfigurationSet)
	}
	out, err := c.API.SendEmail(ctx, in)
	if err != nil {
		return "", Classify(err)
	}
	return aws.ToString(out.MessageId), nil
}

// permanentCodes are SES error codes no retry can fix.
var permanentCodes = map[string]bool{
	"MessageRejected":                    true,
	"MailFromDomainNotVerifiedException": true,
	"BadRequestException":                true,
	"NotFoundException":                  true, // e.g. the configuration set does not exist
	"ValidationException":                true,
	"InvalidParameterValue":              true,
}

// Classify marks err permanent when SES refused the message itself, and leaves it transient
// (throttling, 5xx, network, account paused or over quota) otherwise. Addresses in the error
// text are redacted.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	cause := fmt.Errorf("ses: %w", email.RedactError(err))
	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		return sqsworker.Permanent(cause)
	}
	var rejected *types.MessageRejected
	var mailFrom *types.MailFromDomainNotVerifiedException
	var bad *types.BadRequestException
	if errors.As(err, &rejected) || errors.As(err, &mailFrom) || errors.As(err, &bad) {
		return sqsworker.Permanent(cause)
	}
	var api smithy.APIError
	if errors.As(err, &api) && permanentCodes[api.ErrorCode()] {
		return sqsworker.Permanent(cause)
	}
	return cause
}
