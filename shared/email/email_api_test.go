package email_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/kabinet/kabinet/infra/smtpsink"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/email/wire"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

const function = "notifications/email-sender"

// pipe is the e-mail path of one test process: the outbox, the consumer as the Lambda
// function runs it, and the SMTP sink behind it (EmailTransport=smtp in testenv).
type pipe struct {
	t      *testing.T
	env    *testenv.Env
	outbox *email.Outbox
	sender *sqsworker.Consumer
}

func newPipe(t *testing.T) *pipe {
	t.Helper()
	env := testenv.Get(t)
	sender, err := wire.Sender(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := &pipe{t: t, env: env, sender: sender, outbox: &email.Outbox{SQS: env.SQS, QueueURL: env.Resources.Queues["EmailQueue"].URL}}
	p.deliver() // what earlier tests left
	return p
}

func (p *pipe) send(m email.Message) {
	p.t.Helper()
	if err := p.outbox.Send(context.Background(), m); err != nil {
		p.t.Fatal(err)
	}
}

func (p *pipe) deliver() { p.t.Helper(); p.env.Drain(p.t, function, p.sender.HandleEvent) }

func unique(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func invitation(to string) email.Message {
	return email.Message{ID: unique("invitation-"), To: []string{"Иванов Иван <" + to + ">"}, Subject: "Приглашение в личный кабинет агента",
		Text: "Здравствуйте, Иван Иванович!\nВас пригласили в кабинет.", HTML: "<p>Здравствуйте, Иван Иванович!</p>", Purpose: "invitation"}
}

// An invitation goes through the queue and the consumer to the mail server, readable by a
// developer over HTTP with its Cyrillic subject decoded.
func TestInvitationDelivered(t *testing.T) {
	p := newPipe(t)
	to := unique("agent-") + "@example.ru"
	m := invitation(to)
	p.send(m)
	p.deliver()
	got := p.env.Mail.Messages(to)
	if len(got) != 1 || got[0].Subject != m.Subject || got[0].Text != m.Text || got[0].HTML != m.HTML || got[0].From != "no-reply@kabinet.example" {
		t.Fatalf("received %+v", got)
	}

	resp, err := http.Get(p.env.MailURL + "/_sim/messages/last?to=" + url.QueryEscape(to))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var last smtpsink.Message
	if err := json.NewDecoder(resp.Body).Decode(&last); err != nil || resp.StatusCode != 200 || last.Subject != m.Subject || last.To[0] != to {
		t.Fatalf("GET last: %d %+v %v", resp.StatusCode, last, err)
	}
}

// The same message id enqueued twice (a retried producer) is sent once.
func TestDuplicateDeliveredOnce(t *testing.T) {
	p := newPipe(t)
	to := unique("agent-") + "@example.ru"
	m := invitation(to)
	p.send(m)
	p.send(m)
	p.deliver()
	p.send(m) // and once more after it was sent
	p.deliver()
	if n := len(p.env.Mail.Messages(to)); n != 1 {
		t.Fatalf("%d messages delivered, want 1", n)
	}
}

// An invalid address is dead-lettered at once: no attempt at the mail server, no retries.
func TestInvalidAddressDeadLettered(t *testing.T) {
	p := newPipe(t)
	ctx := context.Background()
	dlq := p.env.Resources.Queues["EmailDeadLetterQueue"]
	m := invitation("x@example.ru")
	m.To = []string{"ivanov.example.ru"}
	calls := p.env.Mail.Calls()
	p.send(m)
	p.deliver()
	if p.env.Mail.Calls() != calls {
		t.Fatal("the mail server was called for an invalid address")
	}
	out, err := p.env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq.URL), MaxNumberOfMessages: 10,
		WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, msg := range out.Messages {
		var got email.Message
		_ = json.Unmarshal([]byte(aws.ToString(msg.Body)), &got)
		if got.ID == m.ID {
			found = true
			if _, err := p.env.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(dlq.URL), ReceiptHandle: msg.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !found {
		t.Fatal("invalid message not in the dead-letter queue")
	}
}

// TestSinkDown: with the mail server answering 421 the message is retried by SQS and
// dead-lettered after maxReceiveCount; replayed once the server is back, it is delivered
// exactly once.
func TestSinkDown(t *testing.T) {
	p := newPipe(t)
	ctx := context.Background()
	q := p.env.Resources.Queues["EmailQueue"]
	dlq := p.env.Resources.Queues["EmailDeadLetterQueue"]
	// Redelivery after a second instead of a minute, for this test's queue only.
	setVisibility(t, p, q.URL, "1")
	defer setVisibility(t, p, q.URL, "60")
	base := depth(t, p, dlq.URL)

	p.env.Mail.SetFault(&smtpsink.Fault{Mode: "down"})
	defer p.env.Mail.SetFault(nil)
	to := unique("agent-") + "@example.ru"
	p.send(invitation(to))
	calls := p.env.Mail.Calls()
	o, err := p.env.Queue(function)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && depth(t, p, dlq.URL) == base {
		if _, err := sqsworker.PollOnce(ctx, p.env.SQS, o, p.sender.HandleEvent); err != nil {
			t.Fatal(err)
		}
	}
	if depth(t, p, dlq.URL) != base+1 {
		t.Fatal("message did not reach the dead-letter queue")
	}
	if tries := p.env.Mail.Calls() - calls; tries != 5 {
		t.Errorf("mail server tried %d times, want maxReceiveCount = 5", tries)
	}
	if len(p.env.Mail.Messages(to)) != 0 {
		t.Fatal("delivered while the server was down")
	}

	p.env.Mail.SetFault(nil)
	moved, err := sqsworker.Redrive(ctx, p.env.SQS, dlq.URL, q.URL)
	if err != nil || moved != base+1 {
		t.Fatalf("redrive: %d %v", moved, err)
	}
	p.deliver()
	if n := len(p.env.Mail.Messages(to)); n != 1 {
		t.Fatalf("%d messages delivered after replay, want 1", n)
	}
}

func setVisibility(t *testing.T, p *pipe, queueURL, seconds string) {
	t.Helper()
	if _, err := p.env.SQS.SetQueueAttributes(context.Background(), &sqs.SetQueueAttributesInput{QueueUrl: aws.String(queueURL),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNameVisibilityTimeout): seconds}}); err != nil {
		t.Fatal(err)
	}
}

func depth(t *testing.T, p *pipe, queueURL string) int {
	t.Helper()
	out, err := p.env.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
	m, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return n + m
}
