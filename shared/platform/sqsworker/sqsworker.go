// Package sqsworker is the frame of every SQS-triggered function: it processes a batch,
// reports only the failed messages back (ReportBatchItemFailures), makes processing
// idempotent with a claim per message in DynamoDB, and tells transient failures (retried by
// SQS, then dead-lettered after maxReceiveCount) from permanent ones (sent to the DLQ at once,
// so nothing is lost and nothing is retried in vain).
package sqsworker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Message is one SQS message as a consumer sees it.
type Message struct {
	ID           string
	Body         string
	Attributes   map[string]string // message attributes with string values
	ReceiveCount int
	// GroupID is the MessageGroupId of a FIFO queue's message ("" on a standard queue).
	GroupID string
	// ReceiptHandle is this receipt's handle: a consumer may change the message's visibility
	// with it (a later retry than the queue's visibility timeout).
	ReceiptHandle string
}

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying: the message goes to the dead-letter queue now.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// ErrBusy means another delivery of the same message is being processed right now.
var ErrBusy = errors.New("message is being processed by another worker")

// Claims records which messages were processed, so a redelivered message has no second effect.
type Claims interface {
	// Begin claims key for lease. done is true when the key was already processed.
	// It returns ErrBusy while another live claim holds the key.
	Begin(ctx context.Context, key string, lease time.Duration) (done bool, err error)
	Complete(ctx context.Context, key string) error
	Release(ctx context.Context, key string) error
}

// DeadLetter receives messages that failed permanently.
type DeadLetter interface {
	Send(ctx context.Context, m Message, reason string) error
}

// Consumer processes batches of one queue.
type Consumer struct {
	Name   string
	Handle func(ctx context.Context, m Message) error
	// Key gives the idempotency key of a message; nil uses the SQS message id. Use a business
	// key carried in the body when the same work may be enqueued twice.
	Key        func(m Message) (string, error)
	Claims     Claims        // nil: no idempotency (the handler must be idempotent itself)
	Lease      time.Duration // how long a claim holds; set it to the queue's visibility timeout
	DeadLetter DeadLetter    // nil: permanent failures are reported as failures (redrive decides)
}

// Process handles each message and returns the ids of those SQS must deliver again. On a FIFO
// queue a failed message holds back the later messages of its group in the batch: they are
// reported as failed without being processed, so the group keeps its order (AWS's rule for
// FIFO event sources; each such delivery counts towards maxReceiveCount too).
func (c *Consumer) Process(ctx context.Context, msgs []Message) (failed []string) {
	heldBack := map[string]bool{}
	for _, m := range msgs {
		if m.GroupID != "" && heldBack[m.GroupID] {
			failed = append(failed, m.ID)
			continue
		}
		if err := c.one(ctx, m); err != nil {
			if m.GroupID != "" {
				heldBack[m.GroupID] = true
			}
			slog.WarnContext(ctx, "message not processed", "consumer", c.Name, "messageId", m.ID,
				"receiveCount", m.ReceiveCount, "error", err.Error())
			failed = append(failed, m.ID)
		}
	}
	return failed
}

func (c *Consumer) one(ctx context.Context, m Message) error {
	key := m.ID
	if c.Key != nil {
		k, err := c.Key(m)
		if err != nil {
			return c.deadLetter(ctx, m, fmt.Errorf("no idempotency key: %w", err))
		}
		key = k
	}
	if c.Claims != nil {
		lease := c.Lease
		if lease <= 0 {
			lease = 30 * time.Second
		}
		done, err := c.Claims.Begin(ctx, c.Name+"#"+key, lease)
		if err != nil {
			return fmt.Errorf("claim: %w", err)
		}
		if done {
			slog.InfoContext(ctx, "duplicate message skipped", "consumer", c.Name, "messageId", m.ID)
			return nil
		}
	}
	err := c.Handle(ctx, m)
	switch {
	case err == nil:
		c.complete(ctx, key)
		return nil
	case IsPermanent(err):
		if dlErr := c.deadLetter(ctx, m, err); dlErr != nil {
			c.release(ctx, key)
			return dlErr
		}
		c.complete(ctx, key)
		return nil
	default:
		c.release(ctx, key)
		return err
	}
}

func (c *Consumer) deadLetter(ctx context.Context, m Message, cause error) error {
	slog.ErrorContext(ctx, "message failed permanently", "consumer", c.Name, "messageId", m.ID, "error", cause.Error())
	if c.DeadLetter == nil {
		return cause
	}
	if err := c.DeadLetter.Send(ctx, m, cause.Error()); err != nil {
		return fmt.Errorf("dead-letter after %v: %w", cause, err)
	}
	return nil
}

func (c *Consumer) complete(ctx context.Context, key string) {
	if c.Claims == nil {
		return
	}
	if err := c.Claims.Complete(ctx, c.Name+"#"+key); err != nil {
		// The work is done; a lost "done" mark only matters if SQS redelivers after the lease.
		slog.WarnContext(ctx, "claim not completed", "consumer", c.Name, "error", err.Error())
	}
}

func (c *Consumer) release(ctx context.Context, key string) {
	if c.Claims == nil {
		return
	}
	if err := c.Claims.Release(ctx, c.Name+"#"+key); err != nil {
		slog.WarnContext(ctx, "claim not released; retry waits for the lease", "consumer", c.Name, "error", err.Error())
	}
}

// HandleEvent is the Lambda entry point for an SQS event source with ReportBatchItemFailures.
func (c *Consumer) HandleEvent(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	msgs := make([]Message, len(ev.Records))
	for i, r := range ev.Records {
		msgs[i] = FromRecord(r)
	}
	var resp events.SQSEventResponse
	for _, id := range c.Process(ctx, msgs) {
		resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: id})
	}
	return resp, nil
}

// FromRecord converts a Lambda SQS record.
func FromRecord(r events.SQSMessage) Message {
	m := Message{ID: r.MessageId, Body: r.Body, Attributes: map[string]string{}, ReceiptHandle: r.ReceiptHandle}
	m.ReceiveCount, _ = strconv.Atoi(r.Attributes["ApproximateReceiveCount"])
	m.GroupID = r.Attributes["MessageGroupId"]
	for k, v := range r.MessageAttributes {
		if v.StringValue != nil {
			m.Attributes[k] = *v.StringValue
		}
	}
	return m
}

// Worker is an SQS-triggered function of the catalogue: its folder under functions/ and how
// to build its consumer.
type Worker struct {
	Function string
	Build    func(ctx context.Context) (*Consumer, error)
}
