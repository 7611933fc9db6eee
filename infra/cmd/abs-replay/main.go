// Command abs-replay moves the ABS calls waiting in AbsDeadLetterQueue back to AbsQueue (E13),
// once the cause (an ABS outage, a wrong URL in the settings) is fixed: `make abs-replay`.
// Each job goes back in its application's FIFO group, in order; jobs already done are skipped
// by the consumer's claims, so a replay never has a second effect.
//
//	abs-replay [-queue URL] [-dlq URL]    the queues' URLs (default ABS_QUEUE_URL and
//	                                      ABS_DEAD_LETTER_QUEUE_URL), with the AWS SDK's own
//	                                      credentials and endpoint settings
//	abs-replay -local [-sqs-port 9324]    the queues of a running `make run`
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/infra/localcloud"
	"github.com/kabinet/kabinet/shared/abs/absqueue"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
)

func main() {
	queue := flag.String("queue", os.Getenv("ABS_QUEUE_URL"), "AbsQueue's URL")
	dlq := flag.String("dlq", os.Getenv("ABS_DEAD_LETTER_QUEUE_URL"), "AbsDeadLetterQueue's URL")
	local := flag.Bool("local", false, "replay on the local stack of `make run` (its SQS port)")
	sqsPort := flag.Int("sqs-port", 9324, "SQS (fauxqs) port of `make run`")
	flag.Parse()
	if err := run(*queue, *dlq, *local, *sqsPort); err != nil {
		fmt.Fprintln(os.Stderr, "abs-replay:", err)
		os.Exit(1)
	}
}

func run(queue, dlq string, local bool, sqsPort int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var client *sqs.Client
	if local {
		cfg := localcloud.StaticConfig(localcloud.Region, localcloud.AccessKey, localcloud.SecretKey)
		client = sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(fmt.Sprintf("http://127.0.0.1:%d", sqsPort)) })
		for _, q := range []struct {
			url  *string
			name string
		}{{&queue, "AbsQueue.fifo"}, {&dlq, "AbsDeadLetterQueue.fifo"}} {
			out, err := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(q.name)})
			if err != nil {
				return fmt.Errorf("%s on the local stack (is make run up?): %w", q.name, err)
			}
			*q.url = aws.ToString(out.QueueUrl)
		}
	} else {
		cfg, err := awsclient.Config(ctx)
		if err != nil {
			return err
		}
		client = sqs.NewFromConfig(cfg)
	}
	if queue == "" || dlq == "" {
		return errors.New("name the queues: -queue and -dlq (or ABS_QUEUE_URL and ABS_DEAD_LETTER_QUEUE_URL), or -local")
	}
	moved, err := absqueue.Replay(ctx, client, dlq, queue)
	fmt.Printf("abs-replay: %d job(s) moved from %s back to %s\n", moved, dlq, queue)
	return err
}
