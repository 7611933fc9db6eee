package sqsworker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// SendJSON enqueues v as a JSON message with string attributes (outboxes of every queue).
func SendJSON(ctx context.Context, client *sqs.Client, queueURL string, v any, attrs map[string]string) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	in := &sqs.SendMessageInput{QueueUrl: aws.String(queueURL), MessageBody: aws.String(string(body))}
	if len(attrs) > 0 {
		in.MessageAttributes = map[string]sqstypes.MessageAttributeValue{}
		for k, s := range attrs {
			in.MessageAttributes[k] = sqstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(s)}
		}
	}
	_, err = client.SendMessage(ctx, in)
	return err
}

// JSONConsumer is a consumer of JSON messages of type T: decode turns a body into a T (its
// errors are permanent: the message goes to the DLQ), key gives the idempotency key of a T,
// and handle does the work.
func JSONConsumer[T any](name string, claims Claims, dlq DeadLetter, lease time.Duration,
	decode func(body string) (T, error), key func(T) string, handle func(ctx context.Context, v T, m Message) error) *Consumer {
	return &Consumer{
		Name: name, Claims: claims, DeadLetter: dlq, Lease: lease,
		Key: func(m Message) (string, error) {
			v, err := decode(m.Body)
			if err != nil {
				return "", err
			}
			return key(v), nil
		},
		Handle: func(ctx context.Context, m Message) error {
			v, err := decode(m.Body)
			if err != nil {
				return Permanent(fmt.Errorf("%s: %w", name, err))
			}
			return handle(ctx, v, m)
		},
	}
}
