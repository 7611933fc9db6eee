// Package sms delivers text messages (confirmation codes, invitations) through a queue:
// producers put a Message on the SMS queue (Outbox), and the SMS consumer sends it through
// the gateway, retrying transient gateway failures and dead-lettering what cannot be sent.
package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Message is one SMS to send. ID is its business key: the same ID is sent at most once.
type Message struct {
	ID      string `json:"id"`
	Phone   string `json:"phone"` // E.164
	Text    string `json:"text"`
	Purpose string `json:"purpose"` // e.g. "registration-code"; logged instead of the text
}

// Gateway sends one SMS. Errors are transient unless marked sqsworker.Permanent.
type Gateway interface {
	Send(ctx context.Context, phone, text string) (providerID string, err error)
}

// Outbox enqueues messages on the SMS queue.
type Outbox struct {
	SQS      *sqs.Client
	QueueURL string
}

// Send enqueues m.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := sqsworker.SendJSON(ctx, o.SQS, o.QueueURL, m, map[string]string{"purpose": m.Purpose}); err != nil {
		return fmt.Errorf("enqueue sms %s: %w", m.Purpose, err)
	}
	return nil
}

// NewConsumer returns the SMS queue consumer: idempotent by Message.ID, permanent failures
// (malformed message, number refused by the gateway) to the dead-letter queue.
func NewConsumer(g Gateway, claims sqsworker.Claims, dlq sqsworker.DeadLetter, lease time.Duration) *sqsworker.Consumer {
	return sqsworker.JSONConsumer("sms", claims, dlq, lease, decode, func(m Message) string { return m.ID },
		func(ctx context.Context, msg Message, m sqsworker.Message) error {
			id, err := g.Send(ctx, msg.Phone, msg.Text)
			if err != nil {
				return fmt.Errorf("send sms %s: %w", msg.ID, err)
			}
			slog.InfoContext(ctx, "sms sent", "smsId", msg.ID, "purpose", msg.Purpose, "providerId", id, "receiveCount", m.ReceiveCount)
			return nil
		})
}

func decode(body string) (Message, error) {
	var m Message
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return m, fmt.Errorf("malformed sms message: %w", err)
	}
	if m.ID == "" || m.Phone == "" || m.Text == "" {
		return m, errors.New("malformed sms message: id, phone and text are required")
	}
	return m, nil
}
