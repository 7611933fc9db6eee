// Package absqueue is the queued ABS integration (E13; issue 5: "calls go through an SQS FIFO
// queue (MessageGroupId = application id) to a consumer that makes the HTTPS call with
// timeouts"). Queue puts an abs.Job on AbsQueue; NewConsumer builds the consumer of
// functions/abs/abs-caller, which for each job asks the review flow for the request
// (abs.Outcomes.Request), makes the call (abs.Client) and hands the outcome back
// (abs.Outcomes.Apply). Replay moves dead-lettered jobs back.
//
// What happens to a job:
//
//	an answer (OK or "_rc" -1)        Apply(res, nil); the message is deleted
//	a permanent failure (4xx, not the protocol, a request the flow cannot build, the call
//	disabled in the settings)         Apply(res, err); deleted: retrying cannot help
//	a transient failure (network, timeout, 408, 429, 5xx)
//	                                  left for SQS to deliver again after the visibility
//	                                  timeout, or after the ABS's Retry-After when it asks
//	                                  for longer (see Options.Visibility); the later jobs of
//	                                  the same application wait behind it (FIFO group).
//	                                  After maxReceiveCount receipts
//	                                  SQS moves it to AbsDeadLetterQueue: an ERROR log line
//	                                  (application id, kind, job id; never the body) and the
//	                                  DLQ alarm tell a human; nothing is applied, so a replay
//	                                  once the ABS is back applies it exactly once.
//	a body that is not a job          to the DLQ at once (nothing to apply it to)
//
// No double effect: a claim per job id (ProcessedMessagesTable) skips a job already done when
// SQS delivers it twice or it is replayed after all; a job retried after an ambiguous failure
// (the ABS acted, the answer was lost) relies on the ABS being idempotent per application
// (NewClient answers the same reservation, OpenAccount and DeleteClient a replayed success),
// which the bank must confirm of its ABS and infra/abssim simulates.
package absqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// ConsumerName names the consumer's claims (ProcessedMessagesTable keys "abs-caller#<job id>").
const ConsumerName = "abs-caller"

// Queue is abs.Queue over an SQS FIFO queue.
type Queue struct {
	SQS *sqs.Client
	URL string // AbsQueue's URL (".fifo")
}

var _ abs.Queue = (*Queue)(nil)

// Enqueue sends j in its application's group (calls of one application in order), deduplicated
// by j.ID: a send retried within SQS's 5-minute window is dropped by SQS, a later one by the
// consumer's claim.
func (q *Queue) Enqueue(ctx context.Context, j abs.Job) error {
	if err := Validate(j); err != nil {
		return err
	}
	body, err := json.Marshal(j)
	if err != nil {
		return err
	}
	_, err = q.SQS.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:               aws.String(q.URL),
		MessageBody:            aws.String(string(body)),
		MessageGroupId:         aws.String(j.ApplicationID),
		MessageDeduplicationId: aws.String(j.ID),
	})
	if err != nil {
		return fmt.Errorf("abs queue: send %s of %s: %w", j.Kind, j.ApplicationID, err)
	}
	return nil
}

// Validate reports what a job lacks: an id, an application id, a known kind.
func Validate(j abs.Job) error {
	switch {
	case j.ID == "" || len(j.ID) > 128:
		return errors.New("abs job: id must be 1-128 characters")
	case j.ApplicationID == "" || len(j.ApplicationID) > 128:
		return errors.New("abs job: applicationId must be 1-128 characters")
	case !j.Kind.Valid():
		return fmt.Errorf("abs job: unknown kind %q", j.Kind)
	}
	return nil
}

// Caller makes one ABS call (*abs.Client).
type Caller interface {
	Call(ctx context.Context, r abs.Request) (abs.Result, error)
}

// Options tune the consumer.
type Options struct {
	// MaxReceiveCount is AbsQueue's RedrivePolicy maxReceiveCount: a transient failure on that
	// receipt is the last one before the DLQ, logged at ERROR. 0: never logged so.
	MaxReceiveCount int
	// Lease is how long a job's claim holds: AbsQueue's visibility timeout.
	Lease time.Duration
	// Visibility, when set, honours the ABS's Retry-After: a transient failure that carries
	// one (HTTP 429 / 503, capped at 15 minutes by the client) makes the job's next receipt
	// wait that long instead of the visibility timeout. It never waits less than Lease (the
	// queue's own retry period): a short hint would only spend maxReceiveCount faster, and the
	// retries before the DLQ must cover about an hour whatever the ABS says; nor more than
	// MaxRetryAfter. The application's later jobs wait behind it (FIFO group), which is right:
	// they must not overtake it. Not done on the last receipt (it goes to the DLQ anyway).
	Visibility Visibility
	Logger     *slog.Logger // slog.Default() when nil
}

// MaxRetryAfter is the longest a Retry-After delays a job (the client's cap too).
const MaxRetryAfter = 15 * time.Minute

// Visibility delays a received message's next receipt.
type Visibility interface {
	Delay(ctx context.Context, m sqsworker.Message, d time.Duration) error
}

// QueueVisibility is Visibility over SQS (ChangeMessageVisibility on AbsQueue: the function
// needs sqs:ChangeMessageVisibility on it).
type QueueVisibility struct {
	SQS *sqs.Client
	URL string
}

// Delay makes m visible again d from now.
func (q *QueueVisibility) Delay(ctx context.Context, m sqsworker.Message, d time.Duration) error {
	if m.ReceiptHandle == "" {
		return errors.New("no receipt handle")
	}
	_, err := q.SQS.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(q.URL),
		ReceiptHandle: aws.String(m.ReceiptHandle), VisibilityTimeout: int32(d.Round(time.Second) / time.Second)})
	return err
}

// NewConsumer returns the consumer of AbsQueue: claims per job id, malformed messages to dlq.
func NewConsumer(outcomes abs.Outcomes, caller Caller, claims sqsworker.Claims, dlq sqsworker.DeadLetter, o Options) *sqsworker.Consumer {
	h := &handler{outcomes: outcomes, caller: caller, maxReceive: o.MaxReceiveCount, lease: o.Lease, visibility: o.Visibility, log: o.Logger}
	if h.log == nil {
		h.log = slog.Default()
	}
	return sqsworker.JSONConsumer(ConsumerName, claims, dlq, o.Lease, decode,
		func(j abs.Job) string { return j.ID }, h.handle)
}

func decode(body string) (abs.Job, error) {
	var j abs.Job
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		return j, errors.New("the body is not an ABS job") // never the body: client data
	}
	return j, Validate(j)
}

type handler struct {
	outcomes   abs.Outcomes
	caller     Caller
	maxReceive int
	lease      time.Duration
	visibility Visibility
	log        *slog.Logger
}

func (h *handler) handle(ctx context.Context, j abs.Job, m sqsworker.Message) error {
	req, err := h.outcomes.Request(ctx, j)
	if err != nil {
		if sqsworker.IsPermanent(err) { // the application is gone, the job is no longer due
			return h.apply(ctx, j, abs.Result{Kind: j.Kind}, err)
		}
		return h.transient(ctx, j, m, fmt.Errorf("building the request: %w", err))
	}
	res, err := h.caller.Call(ctx, req)
	switch {
	case err == nil:
		return h.apply(ctx, j, res, nil)
	case abs.IsTransient(err):
		return h.transient(ctx, j, m, err)
	default: // permanent, or abs.ErrDisabled: the step is done by hand
		return h.apply(ctx, j, res, err)
	}
}

// apply hands the outcome over; an Apply failure is retried (the call is repeated, which the
// ABS's idempotency covers) unless Apply marks it permanent (then the job is dead-lettered).
func (h *handler) apply(ctx context.Context, j abs.Job, res abs.Result, failure error) error {
	if err := h.outcomes.Apply(ctx, j, res, failure); err != nil {
		return fmt.Errorf("abs %s of %s: recording the outcome: %w", j.Kind, j.ApplicationID, err)
	}
	return nil
}

// transient leaves the job for SQS to deliver again; on the last receipt it says, at ERROR,
// that the job is going to the DLQ.
func (h *handler) transient(ctx context.Context, j abs.Job, m sqsworker.Message, err error) error {
	attrs := []any{"applicationId", j.ApplicationID, "kind", string(j.Kind), "jobId", j.ID, "receiveCount", m.ReceiveCount, "error", err.Error()}
	if h.maxReceive > 0 && m.ReceiveCount >= h.maxReceive {
		h.log.ErrorContext(ctx, "abs job dead-lettered: retries exhausted; replay it once the ABS is back (make abs-replay)", attrs...)
		return err
	}
	if d := RetryDelay(abs.RetryAfter(err), h.lease); d > h.lease && h.visibility != nil {
		if verr := h.visibility.Delay(ctx, m, d); verr != nil { // the queue's own timeout applies
			h.log.WarnContext(ctx, "abs job: Retry-After not applied", "jobId", j.ID, "error", verr.Error())
		} else {
			attrs = append(attrs, "retryAfterSeconds", int(d/time.Second))
		}
	}
	h.log.WarnContext(ctx, "abs job will be retried", attrs...)
	return err
}

// RetryDelay is how long a job waits after a transient failure with the ABS's Retry-After
// hint: the hint, at least lease (the queue's visibility timeout) and at most MaxRetryAfter.
// No hint: lease.
func RetryDelay(retryAfter, lease time.Duration) time.Duration {
	return max(lease, min(retryAfter, MaxRetryAfter))
}

// Replay moves every job waiting in the dead-letter queue back to the queue (in its
// application's group, in order). Jobs already done are skipped by their claims.
func Replay(ctx context.Context, client *sqs.Client, deadLetterURL, queueURL string) (int, error) {
	return sqsworker.Redrive(ctx, client, deadLetterURL, queueURL)
}
