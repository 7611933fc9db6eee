package sqsworker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// DynamoClaims keeps claims in a table keyed by pk (PROCESSED_MESSAGES_TABLE).
//
// Access patterns:
//   - Begin: PutItem pk=<consumer>#<key> if absent or its in-progress lease ran out;
//     on a failed condition, a consistent GetItem tells "done" from "busy".
//   - Complete: UpdateItem state=done. Release: DeleteItem while still in progress.
//     Items expire by TTL after Retention.
type DynamoClaims struct {
	DB        *dynamodb.Client
	Table     string
	Retention time.Duration // how long "done" is remembered; default 7 days (beyond SQS retention)
	Now       func() time.Time
}

func (d *DynamoClaims) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *DynamoClaims) retention() time.Duration {
	if d.Retention > 0 {
		return d.Retention
	}
	return 7 * 24 * time.Hour
}

func (d *DynamoClaims) Begin(ctx context.Context, key string, lease time.Duration) (bool, error) {
	now := d.now()
	_, err := d.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(d.Table),
		Item: dynamo.Item{
			"pk": dynamo.S(key), "state": dynamo.S("in_progress"),
			"leaseUntil": dynamo.N(now.Add(lease).UnixMilli()), "expiresAt": dynamo.Unix(now.Add(d.retention())),
		},
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR (#s = :inprog AND leaseUntil < :now)"),
		ExpressionAttributeNames:  map[string]string{"#s": "state"},
		ExpressionAttributeValues: dynamo.Item{":inprog": dynamo.S("in_progress"), ":now": dynamo.N(now.UnixMilli())},
	})
	if err == nil {
		return false, nil
	}
	if !dynamo.IsConditionFailed(err) {
		return false, dynamo.Wrap("claim", err)
	}
	out, err := d.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(d.Table), Key: dynamo.Item{"pk": dynamo.S(key)}, ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return false, dynamo.Wrap("read claim", err)
	}
	if dynamo.GetS(out.Item, "state") == "done" {
		return true, nil
	}
	return false, ErrBusy
}

func (d *DynamoClaims) Complete(ctx context.Context, key string) error {
	_, err := d.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(d.Table),
		Key:                       dynamo.Item{"pk": dynamo.S(key)},
		UpdateExpression:          aws.String("SET #s = :done, expiresAt = :exp REMOVE leaseUntil"),
		ExpressionAttributeNames:  map[string]string{"#s": "state"},
		ExpressionAttributeValues: dynamo.Item{":done": dynamo.S("done"), ":exp": dynamo.Unix(d.now().Add(d.retention()))},
	})
	return dynamo.Wrap("complete claim", err)
}

func (d *DynamoClaims) Release(ctx context.Context, key string) error {
	_, err := d.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(d.Table),
		Key:                       dynamo.Item{"pk": dynamo.S(key)},
		ConditionExpression:       aws.String("#s = :inprog"),
		ExpressionAttributeNames:  map[string]string{"#s": "state"},
		ExpressionAttributeValues: dynamo.Item{":inprog": dynamo.S("in_progress")},
	})
	if dynamo.IsConditionFailed(err) {
		return nil
	}
	return dynamo.Wrap("release claim", err)
}

// QueueDeadLetter sends permanently failed messages to a dead-letter queue, with the reason
// and the original id as message attributes, so they can be inspected and replayed. A FIFO
// dead-letter queue (".fifo") keeps the message's group; the SQS message id deduplicates.
type QueueDeadLetter struct {
	SQS *sqs.Client
	URL string
}

func (q *QueueDeadLetter) Send(ctx context.Context, m Message, reason string) error {
	attrs := map[string]sqstypes.MessageAttributeValue{
		"failureReason":     {DataType: aws.String("String"), StringValue: aws.String(truncate(reason, 1000))},
		"originalMessageId": {DataType: aws.String("String"), StringValue: aws.String(m.ID)},
	}
	for k, v := range m.Attributes {
		if len(attrs) < 10 {
			attrs[k] = sqstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
		}
	}
	in := &sqs.SendMessageInput{QueueUrl: aws.String(q.URL), MessageBody: aws.String(m.Body), MessageAttributes: attrs}
	if IsFIFO(q.URL) {
		group := m.GroupID
		if group == "" {
			group = "dead-letter"
		}
		in.MessageGroupId, in.MessageDeduplicationId = aws.String(group), aws.String(m.ID)
	}
	_, err := q.SQS.SendMessage(ctx, in)
	if err != nil {
		return fmt.Errorf("send to dead-letter queue: %w", err)
	}
	return nil
}

// IsFIFO reports whether a queue URL (or name) is a FIFO queue's: SQS requires the ".fifo"
// suffix.
func IsFIFO(queueURL string) bool { return strings.HasSuffix(queueURL, ".fifo") }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// PollOptions mirror an SQS event source mapping.
type PollOptions struct {
	QueueURL string
	QueueARN string
	// BatchSize is the most messages handed over at once (1–10).
	BatchSize int
	// Wait is the long-poll wait per receive; default 1 s so shutdown is quick.
	Wait time.Duration
}

// Poll runs handler like Lambda's SQS event source mapping does, until ctx ends: it receives
// up to BatchSize messages, passes them as one events.SQSEvent, deletes those not reported
// in BatchItemFailures (none if the handler errs), and leaves the others to reappear after
// the queue's visibility timeout, so redrive to the DLQ works as in AWS. Local runs only.
func Poll(ctx context.Context, client *sqs.Client, o PollOptions, handler func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) error {
	for ctx.Err() == nil {
		if _, err := PollOnce(ctx, client, o, handler); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "poll failed", "queue", o.QueueURL, "error", err.Error())
			sleep(ctx, time.Second)
		}
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return nil
	}
	return ctx.Err()
}

// PollOnce receives one batch (waiting up to o.Wait), hands it to handler and deletes the
// messages not reported as failed. It returns how many messages were received.
func PollOnce(ctx context.Context, client *sqs.Client, o PollOptions, handler func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) (int, error) {
	if o.BatchSize <= 0 || o.BatchSize > 10 {
		o.BatchSize = 10
	}
	wait := int32(o.Wait / time.Second)
	if wait <= 0 {
		wait = 1
	}
	out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl:                    aws.String(o.QueueURL),
		MaxNumberOfMessages:         int32(o.BatchSize),
		WaitTimeSeconds:             wait,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	})
	if err != nil {
		return 0, fmt.Errorf("receive from %s: %w", o.QueueURL, err)
	}
	if len(out.Messages) == 0 {
		return 0, nil
	}
	ev := events.SQSEvent{Records: make([]events.SQSMessage, len(out.Messages))}
	for i, m := range out.Messages {
		ev.Records[i] = toRecord(m, o.QueueARN)
	}
	resp, herr := handler(ctx, ev)
	if herr != nil {
		slog.WarnContext(ctx, "batch failed", "queue", o.QueueURL, "error", herr.Error())
		return len(out.Messages), nil
	}
	failed := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	var del []sqstypes.DeleteMessageBatchRequestEntry
	for i, m := range out.Messages {
		if !failed[aws.ToString(m.MessageId)] {
			del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
		}
	}
	if len(del) > 0 {
		if _, err := client.DeleteMessageBatch(context.WithoutCancel(ctx), &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(o.QueueURL), Entries: del}); err != nil {
			return len(out.Messages), fmt.Errorf("delete from %s: %w", o.QueueURL, err)
		}
	}
	return len(out.Messages), nil
}

func toRecord(m sqstypes.Message, arn string) events.SQSMessage {
	r := events.SQSMessage{
		MessageId:         aws.ToString(m.MessageId),
		ReceiptHandle:     aws.ToString(m.ReceiptHandle),
		Body:              aws.ToString(m.Body),
		Md5OfBody:         aws.ToString(m.MD5OfBody),
		Attributes:        m.Attributes,
		MessageAttributes: map[string]events.SQSMessageAttribute{},
		EventSource:       "aws:sqs",
		EventSourceARN:    arn,
	}
	for k, v := range m.MessageAttributes {
		r.MessageAttributes[k] = events.SQSMessageAttribute{StringValue: v.StringValue, DataType: aws.ToString(v.DataType)}
	}
	return r
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Redrive moves every message waiting in a dead-letter queue back to its source queue, with
// its body and attributes, so it is processed again (after the cause is fixed). Consumers are
// idempotent, so a message that had in fact been processed has no second effect.
//
// Into a FIFO queue each message goes back in its MessageGroupId, in the dead-letter queue's
// order, with a new deduplication id ("redrive-" + its id in the dead-letter queue): reusing the
// original one would have SQS drop a replay made within its 5-minute deduplication window.
func Redrive(ctx context.Context, client *sqs.Client, fromURL, toURL string) (int, error) {
	moved := 0
	for {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(fromURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameMessageGroupId},
		})
		if err != nil {
			return moved, fmt.Errorf("receive from dead-letter queue: %w", err)
		}
		if len(out.Messages) == 0 {
			return moved, nil
		}
		for _, m := range out.Messages {
			attrs := map[string]sqstypes.MessageAttributeValue{}
			for k, v := range m.MessageAttributes {
				if k != "failureReason" && k != "originalMessageId" {
					attrs[k] = v
				}
			}
			in := &sqs.SendMessageInput{QueueUrl: aws.String(toURL), MessageBody: m.Body, MessageAttributes: attrs}
			if IsFIFO(toURL) {
				group := m.Attributes[string(sqstypes.MessageSystemAttributeNameMessageGroupId)]
				if group == "" {
					group = "redrive"
				}
				in.MessageGroupId, in.MessageDeduplicationId = aws.String(group), aws.String("redrive-"+aws.ToString(m.MessageId))
			}
			if _, err := client.SendMessage(ctx, in); err != nil {
				return moved, fmt.Errorf("send back: %w", err)
			}
			if _, err := client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(fromURL), ReceiptHandle: m.ReceiptHandle}); err != nil {
				return moved, fmt.Errorf("delete from dead-letter queue: %w", err)
			}
			moved++
		}
	}
}
