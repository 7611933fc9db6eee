package absqueue_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/abssim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/absqueue"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// outcomes is the review flow's side as the tests need it: requests from a small record per
// application (the reservation's client and account once NewClient applied), and every Apply
// recorded, in order, with a count per job (Apply may run twice for one job; the test asserts
// it did not).
type outcomes struct {
	mu      sync.Mutex
	apps    map[string]*app
	applied []applied
	perJob  map[string]int
	failReq error // Request's error, when set
}

type app struct {
	inn           string
	clientID      int64
	accountNumber string
}

type applied struct {
	job     abs.Job
	res     abs.Result
	failure error
}

func newOutcomes() *outcomes { return &outcomes{apps: map[string]*app{}, perJob: map[string]int{}} }

func (o *outcomes) add(id, inn string) { o.mu.Lock(); o.apps[id] = &app{inn: inn}; o.mu.Unlock() }

func (o *outcomes) Request(_ context.Context, j abs.Job) (abs.Request, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failReq != nil {
		return abs.Request{}, o.failReq
	}
	a, ok := o.apps[j.ApplicationID]
	if !ok {
		return abs.Request{}, sqsworker.Permanent(errors.New("no such application"))
	}
	return abs.Request{Kind: j.Kind, ApplicationID: j.ApplicationID, INN: a.inn, OrgNameFull: "ООО «Ромашка»",
		OrgNameShort: "Ромашка", RegAddress: abs.AddressOf("г Москва, ул Ленина, д 1"), RegDate: time.Now(),
		ClientID: a.clientID, AccountNumber: a.accountNumber}, nil
}

func (o *outcomes) Apply(_ context.Context, j abs.Job, res abs.Result, failure error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.applied = append(o.applied, applied{j, res, failure})
	o.perJob[j.ID]++
	if a := o.apps[j.ApplicationID]; a != nil && failure == nil && res.OK && res.ClientID != 0 {
		a.clientID = res.ClientID
		if res.AccountNumber != "" {
			a.accountNumber = res.AccountNumber
		}
	}
	return nil
}

func (o *outcomes) count() int { o.mu.Lock(); defer o.mu.Unlock(); return len(o.applied) }

func (o *outcomes) of(appID string) []applied {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []applied
	for _, a := range o.applied {
		if a.job.ApplicationID == appID {
			out = append(out, a)
		}
	}
	return out
}

// logs keeps the consumer's log lines.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.Write(p) }
func (l *logs) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

// rig is one test's own FIFO queue and DLQ with short timings (visibility 1 s, maxReceiveCount
// 3: an hour-long outage in seconds), the consumer as the Lambda runs it, and the simulator.
type rig struct {
	t          *testing.T
	env        *testenv.Env
	queue      *absqueue.Queue
	dlqURL     string
	out        *outcomes
	consumer   *sqsworker.Consumer
	logs       *logs
	maxReceive int
}

func newRig(t *testing.T) *rig {
	t.Helper()
	env := testenv.Get(t)
	env.ABS.ClearFault("")
	t.Cleanup(func() { env.ABS.ClearFault("") })
	ctx := context.Background()
	name := env.Prefix + "abs-" + strings.ToLower(ulid.Make().String()[16:])
	dlq, err := env.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name + "-dlq.fifo"),
		Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "false"}})
	if err != nil {
		t.Fatal(err)
	}
	arn, err := env.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, env: env, dlqURL: aws.ToString(dlq.QueueUrl), out: newOutcomes(), logs: &logs{}, maxReceive: 3}
	rp, _ := json.Marshal(map[string]any{"deadLetterTargetArn": arn.Attributes["QueueArn"], "maxReceiveCount": r.maxReceive})
	q, err := env.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name + ".fifo"),
		Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "false", "VisibilityTimeout": "1", "RedrivePolicy": string(rp)}})
	if err != nil {
		t.Fatal(err)
	}
	r.queue = &absqueue.Queue{SQS: env.SQS, URL: aws.ToString(q.QueueUrl)}
	client := abs.New(abs.Static(abs.DefaultSettings(env.Params["AbsUrl"])), abs.Options{Timeout: 400 * time.Millisecond})
	r.consumer = absqueue.NewConsumer(r.out, client,
		&sqsworker.DynamoClaims{DB: env.DynamoDB, Table: env.Resources.Tables["ProcessedMessagesTable"]},
		&sqsworker.QueueDeadLetter{SQS: env.SQS, URL: r.dlqURL},
		absqueue.Options{MaxReceiveCount: r.maxReceive, Lease: time.Second, Logger: slog.New(slog.NewJSONHandler(r.logs, nil)),
			Visibility: &absqueue.QueueVisibility{SQS: env.SQS, URL: r.queue.URL}})
	return r
}

// newApp is an application with a fresh INN (the simulator keys clients by INN).
func (r *rig) newApp() string {
	id := ulid.Make().String()
	r.out.add(id, fmt.Sprintf("77%08d", time.Now().UnixNano()%100000000))
	return id
}

func (r *rig) enqueue(appID string, kind abs.Kind) abs.Job {
	r.t.Helper()
	j := abs.Job{ID: ulid.Make().String(), ApplicationID: appID, Kind: kind, Step: "test", RequestedAt: time.Now().UTC()}
	if err := r.queue.Enqueue(context.Background(), j); err != nil {
		r.t.Fatal(err)
	}
	return j
}

// pollUntil runs the consumer over the queue, as the event source mapping does, until done
// holds (or fails the test after limit).
func (r *rig) pollUntil(limit time.Duration, what string, done func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(limit)
	for !done() {
		if time.Now().After(deadline) {
			r.t.Fatalf("after %s: %s has not happened; logs:\n%s", limit, what, r.logs)
		}
		if _, err := sqsworker.PollOnce(context.Background(), r.env.SQS, sqsworker.PollOptions{QueueURL: r.queue.URL, BatchSize: 10, Wait: time.Second}, r.consumer.HandleEvent); err != nil {
			r.t.Fatal(err)
		}
	}
}

// waiting is how many messages a queue holds (visible or in flight).
func (r *rig) waiting(url string) int {
	r.t.Helper()
	out, err := r.env.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		r.t.Fatal(err)
	}
	a, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
	b, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return a + b
}

// settle polls past a visibility timeout and checks nothing more is applied or left.
func (r *rig) settle() {
	r.t.Helper()
	before := r.out.count()
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		if _, err := sqsworker.PollOnce(context.Background(), r.env.SQS, sqsworker.PollOptions{QueueURL: r.queue.URL, BatchSize: 10, Wait: time.Second}, r.consumer.HandleEvent); err != nil {
			r.t.Fatal(err)
		}
	}
	if n := r.out.count(); n != before {
		r.t.Fatalf("%d more outcomes applied after the queue should have been done", n-before)
	}
	if n := r.waiting(r.queue.URL); n != 0 {
		r.t.Fatalf("%d messages still in the queue", n)
	}
}

// calls counts the simulator's calls of kind for an application: by its id, or by its INN
// (InitialCheck sends no application id).
func (r *rig) calls(appID, kind string) int {
	n := 0
	for _, c := range r.env.ABS.Calls(kind) {
		if c.ApplicationID == appID || c.ApplicationID == "" && c.INN == r.out.apps[appID].inn {
			n++
		}
	}
	return n
}

func kinds(as []applied) []abs.Kind {
	var out []abs.Kind
	for _, a := range as {
		out = append(out, a.job.Kind)
	}
	return out
}

// Each kind, in the flow's order in one application's group: one call each, answers applied
// once, the reservation's client and account carried into OpenAccount and DeleteClient.
func TestHappyPathPerKind(t *testing.T) {
	r := newRig(t)
	appID := r.newApp()
	for _, k := range abs.Kinds {
		r.enqueue(appID, k)
	}
	r.pollUntil(20*time.Second, "four outcomes", func() bool { return len(r.out.of(appID)) == 4 })
	r.settle()
	got := r.out.of(appID)
	if !slices.Equal(kinds(got), abs.Kinds) {
		t.Fatalf("applied %v, want %v", kinds(got), abs.Kinds)
	}
	for _, a := range got {
		if a.failure != nil || !a.res.OK || a.res.HTTPStatus != 200 {
			t.Fatalf("%s: res=%+v failure=%v", a.job.Kind, a.res, a.failure)
		}
	}
	clients := r.env.ABS.Clients(appID)
	if len(clients) != 1 || got[1].res.AccountNumber != clients[0].AccountNumber || got[1].res.ClientID != clients[0].ClientID {
		t.Fatalf("NewClient applied %+v; simulator has %+v", got[1].res, clients)
	}
	e := r.env.ABS.Effects(appID)
	if e.Reserved != 1 || e.Opened != 1 || e.Deleted != 1 || e.Calls[abssim.NewClient] != 1 || e.Calls[abssim.OpenAccount] != 1 || e.Calls[abssim.DeleteClient] != 1 {
		t.Fatalf("effects %+v", e)
	}
	for _, n := range r.out.perJob {
		if n != 1 {
			t.Fatalf("a job was applied %d times", n)
		}
	}
}

// A transient failure (503, a timeout, HTTP 500) is retried by SQS and then succeeds: applied
// once, one reservation.
func TestTransientRetriedThenSucceeds(t *testing.T) {
	for _, f := range []abssim.Fault{
		{Mode: "down", Times: 2},
		{Mode: "hang", DelayMS: 3000, Times: 1},
		{Mode: "http", StatusCode: 500, Times: 2, AfterEffect: true},
	} {
		t.Run(f.Mode, func(t *testing.T) {
			r := newRig(t)
			appID := r.newApp()
			f.Kind = abssim.NewClient
			r.env.ABS.SetFault(&f)
			r.enqueue(appID, abs.NewClient)
			r.pollUntil(20*time.Second, "the reservation applied", func() bool { return len(r.out.of(appID)) == 1 })
			r.settle()
			got := r.out.of(appID)
			if got[0].failure != nil || !got[0].res.OK || got[0].res.AccountNumber == "" {
				t.Fatalf("applied %+v", got[0])
			}
			e := r.env.ABS.Effects(appID)
			if e.Calls[abssim.NewClient] != f.Times+1 || e.Reserved != 1 {
				t.Fatalf("effects %+v, want %d calls and one reservation", e, f.Times+1)
			}
			if !strings.Contains(r.logs.String(), `"abs job will be retried"`) {
				t.Fatalf("no retry logged:\n%s", r.logs)
			}
		})
	}
}

// The ABS asks to come back later (503 with Retry-After 3 s; the queue's own retry is 1 s): the
// job waits that long (ChangeMessageVisibility against the emulator), then succeeds; the
// application's next job waits behind it.
func TestRetryAfterDelaysTheJob(t *testing.T) {
	r := newRig(t)
	appID := r.newApp()
	r.env.ABS.SetFault(&abssim.Fault{Kind: abssim.NewClient, Mode: "down", RetryAfterSeconds: 3, Times: 1})
	r.enqueue(appID, abs.NewClient)
	r.enqueue(appID, abs.OpenAccount)
	r.pollUntil(20*time.Second, "both applied", func() bool { return len(r.out.of(appID)) == 2 })
	r.settle()
	if got := kinds(r.out.of(appID)); !slices.Equal(got, []abs.Kind{abs.NewClient, abs.OpenAccount}) {
		t.Fatalf("applied %v", got)
	}
	var tries []time.Time
	for _, c := range r.env.ABS.Calls(abssim.NewClient) {
		if c.ApplicationID == appID {
			tries = append(tries, c.At)
		}
	}
	if len(tries) != 2 {
		t.Fatalf("%d NewClient calls, want 2", len(tries))
	}
	if gap := tries[1].Sub(tries[0]); gap < 2800*time.Millisecond || gap > 8*time.Second {
		t.Fatalf("retried after %s, want the 3 s the ABS asked for", gap)
	}
	if !strings.Contains(r.logs.String(), `"retryAfterSeconds":3`) {
		t.Fatalf("the delay is not logged:\n%s", r.logs)
	}
}

// What retrying cannot fix is recorded once and the message deleted; an ABS error answer
// ("_rc" -1) is a business outcome, applied as such.
func TestPermanentRecordedOnce(t *testing.T) {
	tests := []struct {
		name          string
		fault         *abssim.Fault
		failReq       error
		wantPermanent bool // else an answer with OK false
		wantCalls     int
	}{
		{name: "HTTP 400", fault: &abssim.Fault{Mode: "http", StatusCode: 400}, wantPermanent: true, wantCalls: 1},
		{name: "not the protocol", fault: &abssim.Fault{Mode: "garbage"}, wantPermanent: true, wantCalls: 1},
		{name: "ABS error answer", fault: &abssim.Fault{Mode: "error"}, wantCalls: 1},
		{name: "the flow cannot build the request", failReq: sqsworker.Permanent(errors.New("application annulled")), wantPermanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			appID := r.newApp()
			if tc.fault != nil {
				r.env.ABS.SetFault(tc.fault)
			}
			r.out.failReq = tc.failReq
			j := r.enqueue(appID, abs.InitialCheck)
			r.pollUntil(10*time.Second, "the outcome applied", func() bool { return len(r.out.of(appID)) == 1 })
			r.settle()
			got := r.out.of(appID)[0]
			if got.job.ID != j.ID {
				t.Fatalf("applied job %+v, want %+v", got.job, j)
			}
			if tc.wantPermanent {
				if got.failure == nil || tc.failReq == nil && !abs.IsPermanent(got.failure) {
					t.Fatalf("failure = %v, want a permanent one", got.failure)
				}
			} else if got.failure != nil || got.res.OK || got.res.Comment == "" {
				t.Fatalf("applied %+v, want an error answer with its comment", got)
			}
			if n := r.calls(appID, abssim.InitialCheck); n != tc.wantCalls {
				t.Fatalf("%d calls, want %d", n, tc.wantCalls)
			}
			if n := r.waiting(r.dlqURL); n != 0 {
				t.Fatalf("%d messages in the DLQ", n)
			}
		})
	}
}

// One application's calls keep their order while its first one is retried; another
// application's calls do not wait for it.
func TestOrderingPerApplication(t *testing.T) {
	r := newRig(t)
	a, b := r.newApp(), r.newApp()
	r.env.ABS.SetFault(&abssim.Fault{Kind: abssim.InitialCheck, Mode: "down", Times: 2})
	r.enqueue(a, abs.InitialCheck)
	r.enqueue(a, abs.NewClient)
	r.enqueue(b, abs.NewClient)
	r.pollUntil(20*time.Second, "three outcomes", func() bool { return r.out.count() == 3 })
	r.settle()
	if got := kinds(r.out.of(a)); !slices.Equal(got, []abs.Kind{abs.InitialCheck, abs.NewClient}) {
		t.Fatalf("application a applied %v", got)
	}
	order := r.out.applied
	if order[0].job.ApplicationID != b {
		t.Fatalf("b's call waited for a's retries: order %v", kinds(order))
	}
	if n := r.calls(a, abssim.InitialCheck); n != 3 {
		t.Fatalf("%d InitialCheck calls, want 3", n)
	}
}

// The ABS is down for "an hour" (maxReceiveCount receipts): the jobs are retried, reach the
// DLQ with an ERROR line, nothing is applied; the ABS comes back; the replay applies each
// exactly once, in order, and the ABS shows one reservation, also when it had acted before
// failing (afterEffect).
func TestABSDownRetriesDeadLettersAndReplays(t *testing.T) {
	for _, f := range []abssim.Fault{
		{Mode: "down"},
		{Mode: "hang", DelayMS: 3000},
		{Mode: "down", AfterEffect: true},
		{Mode: "hang", DelayMS: 3000, AfterEffect: true},
	} {
		t.Run(fmt.Sprintf("%s afterEffect=%v", f.Mode, f.AfterEffect), func(t *testing.T) {
			r := newRig(t)
			appID := r.newApp()
			r.env.ABS.SetFault(&f)
			first := r.enqueue(appID, abs.InitialCheck)
			second := r.enqueue(appID, abs.NewClient)

			r.pollUntil(40*time.Second, "both jobs in the DLQ", func() bool { return r.waiting(r.dlqURL) == 2 })
			if n := r.out.count(); n != 0 {
				t.Fatalf("%d outcomes applied while the ABS was down", n)
			}
			if n := r.waiting(r.queue.URL); n != 0 {
				t.Fatalf("%d messages left in the queue", n)
			}
			if ic, nc := r.calls(appID, abssim.InitialCheck), r.calls(appID, abssim.NewClient); ic != r.maxReceive || nc != r.maxReceive {
				t.Fatalf("%d InitialCheck and %d NewClient calls, want %d of each (one per receipt)", ic, nc, r.maxReceive)
			}
			lines := r.logs.String()
			for _, j := range []abs.Job{first, second} {
				var dead bool
				for line := range strings.Lines(lines) {
					if strings.Contains(line, `"level":"ERROR"`) && strings.Contains(line, "dead-lettered") &&
						strings.Contains(line, j.ApplicationID) && strings.Contains(line, `"kind":"`+string(j.Kind)+`"`) &&
						strings.Contains(line, `"receiveCount":3`) {
						dead = true
					}
				}
				if !dead {
					t.Fatalf("no ERROR line for %s going to the DLQ:\n%s", j.Kind, lines)
				}
			}
			if inn := r.out.apps[appID].inn; strings.Contains(lines, inn) {
				t.Fatal("the logs hold the request body (the INN)")
			}

			r.env.ABS.ClearFault("")
			moved, err := absqueue.Replay(context.Background(), r.env.SQS, r.dlqURL, r.queue.URL)
			if err != nil || moved != 2 {
				t.Fatalf("replay moved %d: %v", moved, err)
			}
			r.pollUntil(20*time.Second, "both jobs applied", func() bool { return r.out.count() == 2 })
			r.settle()
			got := r.out.of(appID)
			if !slices.Equal(kinds(got), []abs.Kind{abs.InitialCheck, abs.NewClient}) || got[0].job.ID != first.ID || got[1].job.ID != second.ID {
				t.Fatalf("applied %v", kinds(got))
			}
			for _, a := range got {
				if a.failure != nil || !a.res.OK {
					t.Fatalf("%s applied %+v", a.job.Kind, a)
				}
			}
			e := r.env.ABS.Effects(appID)
			clients := r.env.ABS.Clients(appID)
			if e.Reserved != 1 || len(clients) != 1 || clients[0].AccountNumber != got[1].res.AccountNumber {
				t.Fatalf("effects %+v, clients %+v, applied account %s", e, clients, got[1].res.AccountNumber)
			}
			if n := r.waiting(r.dlqURL); n != 0 {
				t.Fatalf("%d messages left in the DLQ", n)
			}
		})
	}
}

// A job delivered twice (SQS's at-least-once delivery, a replay of what had been done) is
// applied once: the claim per job id skips it. A send repeated within the deduplication window
// is one message.
func TestDuplicateDeliveryAppliedOnce(t *testing.T) {
	r := newRig(t)
	appID := r.newApp()
	j := r.enqueue(appID, abs.NewClient)
	if err := r.queue.Enqueue(context.Background(), j); err != nil { // the same send retried
		t.Fatal(err)
	}
	r.pollUntil(10*time.Second, "the job applied", func() bool { return r.out.count() == 1 })
	r.settle()

	// The same job again, as a redelivery: straight to the handler, and through the queue under
	// another deduplication id (as a replay sends it).
	body, _ := json.Marshal(j)
	ev := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "dup-1", Body: string(body),
		Attributes: map[string]string{"ApproximateReceiveCount": "2", "MessageGroupId": appID}}}}
	resp, err := r.consumer.HandleEvent(context.Background(), ev)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("redelivery: %+v %v", resp, err)
	}
	if _, err := r.env.SQS.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(r.queue.URL), MessageBody: aws.String(string(body)),
		MessageGroupId: aws.String(appID), MessageDeduplicationId: aws.String("replayed-" + j.ID)}); err != nil {
		t.Fatal(err)
	}
	r.settle()
	if n := r.out.perJob[j.ID]; n != 1 {
		t.Fatalf("applied %d times", n)
	}
	if e := r.env.ABS.Effects(appID); e.Calls[abssim.NewClient] != 1 || e.Reserved != 1 {
		t.Fatalf("effects %+v", e)
	}
}

// A body that is not a job goes to the DLQ at once, without a call or an outcome.
func TestMalformedToDeadLetter(t *testing.T) {
	r := newRig(t)
	for _, body := range []string{"not json", `{"id":"01K","applicationId":"01K","kind":"Reserve"}`, `{"applicationId":"01K","kind":"NewClient"}`} {
		if _, err := r.env.SQS.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(r.queue.URL), MessageBody: aws.String(body),
			MessageGroupId: aws.String("g-" + ulid.Make().String()), MessageDeduplicationId: aws.String(ulid.Make().String())}); err != nil {
			t.Fatal(err)
		}
	}
	r.pollUntil(10*time.Second, "three messages in the DLQ", func() bool { return r.waiting(r.dlqURL) == 3 })
	r.settle()
	if r.out.count() != 0 {
		t.Fatal("an outcome was applied")
	}
}

// The consumer as the function wires it (template environment, AbsQueue.fifo as provisioned
// from template.yaml): a job enqueued on the template's queue is called and applied.
func TestWiredCaller(t *testing.T) {
	env := testenv.Get(t)
	env.ABS.ClearFault("")
	out := newOutcomes()
	abswire.RegisterOutcomes(func(context.Context) (abs.Outcomes, error) { return out, nil })
	t.Cleanup(func() { abswire.RegisterOutcomes(nil) })
	c, err := abswire.Caller(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(env.Resources.Queues["AbsQueue"].URL, ".fifo") || !strings.HasSuffix(env.Resources.Queues["AbsDeadLetterQueue"].URL, ".fifo") {
		t.Fatalf("queues %+v", env.Resources.Queues)
	}
	q := &absqueue.Queue{SQS: env.SQS, URL: env.Resources.Queues["AbsQueue"].URL}
	appID := ulid.Make().String()
	out.add(appID, "7707083893")
	j := abs.Job{ID: ulid.Make().String(), ApplicationID: appID, Kind: abs.NewClient, RequestedAt: time.Now().UTC()}
	if err := q.Enqueue(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	env.Drain(t, abswire.Function, c.HandleEvent)
	if got := out.of(appID); len(got) != 1 || !got[0].res.OK || got[0].res.AccountNumber == "" {
		t.Fatalf("applied %+v", got)
	}
}
