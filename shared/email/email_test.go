package email_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

type fakeSender struct {
	sent []email.Message
	err  error
}

func (f *fakeSender) Send(_ context.Context, m email.Message) (string, error) {
	if f.err != nil {
		return "", f.err
	}
	f.sent = append(f.sent, m)
	return "provider-1", nil
}

type memClaims map[string]string

func (c memClaims) Begin(_ context.Context, key string, _ time.Duration) (bool, error) {
	if c[key] == "done" {
		return true, nil
	}
	c[key] = "in_progress"
	return false, nil
}
func (c memClaims) Complete(_ context.Context, key string) error { c[key] = "done"; return nil }
func (c memClaims) Release(_ context.Context, key string) error  { delete(c, key); return nil }

type memDLQ struct{ reasons []string }

func (d *memDLQ) Send(_ context.Context, _ sqsworker.Message, reason string) error {
	d.reasons = append(d.reasons, reason)
	return nil
}

func body(m email.Message) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// The consumer without emulators: idempotent by message id, malformed messages and invalid
// addresses dead-lettered at once (without their addresses in the reason), transient errors retried.
func TestConsumer(t *testing.T) {
	ctx := context.Background()
	s, dlq := &fakeSender{}, &memDLQ{}
	c := email.NewConsumer(s, memClaims{}, dlq, time.Minute)
	ok := email.Message{ID: "inv-1", To: []string{"ivanov@example.ru"}, Subject: "Приглашение", Text: "Здравствуйте", Purpose: "invitation"}
	badAddr := ok
	badAddr.ID, badAddr.To = "inv-2", []string{"ivanov@example.ru", "petrov at example.ru"}
	failed := c.Process(ctx, []sqsworker.Message{
		{ID: "m1", Body: body(ok)},
		{ID: "m2", Body: body(ok)}, // the same business key again
		{ID: "m3", Body: `{"id":"inv-3"}`},
		{ID: "m4", Body: "not json"},
		{ID: "m5", Body: body(badAddr)},
	})
	if len(failed) != 0 || len(s.sent) != 1 || len(dlq.reasons) != 3 {
		t.Fatalf("failed %v, sent %d, dead-lettered %v", failed, len(s.sent), dlq.reasons)
	}
	for _, r := range dlq.reasons {
		if strings.Contains(r, "example.ru") {
			t.Errorf("address in dead-letter reason: %s", r)
		}
	}

	s.err = errors.New("connection refused")
	retry := ok
	retry.ID = "inv-4"
	if failed := c.Process(ctx, []sqsworker.Message{{ID: "m6", Body: body(retry)}}); len(failed) != 1 {
		t.Fatalf("transient failure not reported: %v", failed)
	}
	s.err = nil
	if failed := c.Process(ctx, []sqsworker.Message{{ID: "m6", Body: body(retry)}}); len(failed) != 0 || len(s.sent) != 2 {
		t.Fatalf("retry: failed %v, sent %d", failed, len(s.sent))
	}
}

func TestRedact(t *testing.T) {
	got := email.Redact("550 5.1.1 <ivanov@example.ru>: Recipient address rejected; also petrov@example.ru")
	if strings.Contains(got, "example.ru") || !strings.Contains(got, "[address]") {
		t.Fatal(got)
	}
}
