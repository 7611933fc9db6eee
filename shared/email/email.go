// Package email delivers e-mail (invitations, alerts, later reports) through a queue:
// producers put a Message on the e-mail queue (Outbox), and the e-mail consumer sends it
// through a Sender (Amazon SES v2 in AWS, SMTP for local runs), retrying transient failures
// and dead-lettering what cannot be sent. Addresses, subjects and texts never reach a log:
// only the message id, its purpose and the number of recipients do.
package email

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// MaxRecipients is the most addresses one Message may have (the SES limit per message).
const MaxRecipients = 50

// Message is one e-mail to send. ID is its business key: the same ID is sent at most once.
type Message struct {
	ID      string   `json:"id"`
	To      []string `json:"to"` // RFC 5322 addresses ("a@b.ru" or "Имя <a@b.ru>")
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html,omitempty"`
	Purpose string   `json:"purpose"` // e.g. "invitation"; logged instead of the content
}

// Sender sends one e-mail. Errors are transient unless marked sqsworker.Permanent.
type Sender interface {
	Send(ctx context.Context, m Message) (providerID string, err error)
}

// Outbox enqueues messages on the e-mail queue.
type Outbox struct {
	SQS      *sqs.Client
	QueueURL string
}

// Send enqueues m.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := sqsworker.SendJSON(ctx, o.SQS, o.QueueURL, m, map[string]string{"purpose": m.Purpose}); err != nil {
		return fmt.Errorf("enqueue email %s: %w", m.Purpose, err)
	}
	return nil
}

// NewConsumer returns the e-mail queue consumer: idempotent by Message.ID, permanent failures
// (malformed message, invalid address, message refused by the provider) to the dead-letter queue.
func NewConsumer(s Sender, claims sqsworker.Claims, dlq sqsworker.DeadLetter, lease time.Duration) *sqsworker.Consumer {
	return sqsworker.JSONConsumer("email", claims, dlq, lease, decode, func(m Message) string { return m.ID },
		func(ctx context.Context, msg Message, m sqsworker.Message) error {
			if _, err := ParseRecipients(msg.To); err != nil {
				return sqsworker.Permanent(fmt.Errorf("email %s: %w", msg.ID, err))
			}
			id, err := s.Send(ctx, msg)
			if err != nil {
				return fmt.Errorf("send email %s: %w", msg.ID, err)
			}
			slog.InfoContext(ctx, "email sent", "emailId", msg.ID, "purpose", msg.Purpose, "recipients", len(msg.To),
				"providerId", id, "receiveCount", m.ReceiveCount)
			return nil
		})
}

func decode(body string) (Message, error) {
	var m Message
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return m, fmt.Errorf("malformed email message: %w", err)
	}
	if m.ID == "" || len(m.To) == 0 || m.Subject == "" || m.Text == "" {
		return m, errors.New("malformed email message: id, to, subject and text are required")
	}
	return m, nil
}

// ParseRecipients parses every address of to (net/mail). Its errors name the position of a
// bad address, never the address itself.
func ParseRecipients(to []string) ([]*mail.Address, error) {
	if len(to) == 0 || len(to) > MaxRecipients {
		return nil, fmt.Errorf("1 to %d recipients are allowed, got %d", MaxRecipients, len(to))
	}
	out := make([]*mail.Address, len(to))
	for i, s := range to {
		a, err := mail.ParseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("recipient %d is not a valid address: %s", i+1, Redact(err.Error()))
		}
		out[i] = a
	}
	return out, nil
}

var addressRe = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// Redact replaces anything that looks like an e-mail address in s (a provider's error text)
// with "[address]", so errors can be logged and put on the dead-letter queue.
func Redact(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return addressRe.ReplaceAllString(s, "[address]")
}

// RedactError returns err with the addresses of its text redacted (Redact); it still unwraps
// to err, so errors.Is / errors.As keep working.
func RedactError(err error) error {
	if err == nil {
		return nil
	}
	return &redacted{msg: Redact(err.Error()), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
