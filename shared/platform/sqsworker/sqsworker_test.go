package sqsworker

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

type memClaims struct{ state map[string]string }

func (m *memClaims) Begin(_ context.Context, key string, _ time.Duration) (bool, error) {
	switch m.state[key] {
	case "done":
		return true, nil
	case "in_progress":
		return false, ErrBusy
	}
	m.state[key] = "in_progress"
	return false, nil
}
func (m *memClaims) Complete(_ context.Context, key string) error { m.state[key] = "done"; return nil }
func (m *memClaims) Release(_ context.Context, key string) error  { delete(m.state, key); return nil }

type memDLQ struct {
	sent []string
	fail bool
}

func (d *memDLQ) Send(_ context.Context, m Message, _ string) error {
	if d.fail {
		return errors.New("dlq down")
	}
	d.sent = append(d.sent, m.ID)
	return nil
}

func TestProcess(t *testing.T) {
	tests := []struct {
		name       string
		result     error
		preState   string
		dlqDown    bool
		wantFailed bool
		wantCalls  int
		wantDLQ    int
		wantState  string
	}{
		{name: "success is acked and remembered", wantCalls: 1, wantState: "done"},
		{name: "transient is retried and released", result: errors.New("gateway down"), wantFailed: true, wantCalls: 1, wantState: ""},
		{name: "permanent goes to DLQ and is acked", result: Permanent(errors.New("bad phone")), wantCalls: 1, wantDLQ: 1, wantState: "done"},
		{name: "permanent with DLQ down is retried", result: Permanent(errors.New("bad phone")), dlqDown: true, wantFailed: true, wantCalls: 1, wantState: ""},
		{name: "duplicate is skipped", preState: "done", wantCalls: 0, wantState: "done"},
		{name: "busy elsewhere is retried later", preState: "in_progress", wantFailed: true, wantCalls: 0, wantState: "in_progress"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			claims := &memClaims{state: map[string]string{}}
			if tc.preState != "" {
				claims.state["c#k1"] = tc.preState
			}
			dlq := &memDLQ{fail: tc.dlqDown}
			calls := 0
			c := &Consumer{Name: "c", Claims: claims, DeadLetter: dlq,
				Key:    func(m Message) (string, error) { return m.Attributes["key"], nil },
				Handle: func(context.Context, Message) error { calls++; return tc.result }}
			failed := c.Process(context.Background(), []Message{{ID: "m1", Attributes: map[string]string{"key": "k1"}}})
			if (len(failed) == 1) != tc.wantFailed || calls != tc.wantCalls || len(dlq.sent) != tc.wantDLQ || claims.state["c#k1"] != tc.wantState {
				t.Fatalf("failed=%v calls=%d dlq=%d state=%q", failed, calls, len(dlq.sent), claims.state["c#k1"])
			}
		})
	}
}

// A failed FIFO message holds back the later messages of its group, not those of others.
func TestProcessFIFOHoldsBackGroup(t *testing.T) {
	var handled []string
	c := &Consumer{Name: "c", Handle: func(_ context.Context, m Message) error {
		handled = append(handled, m.ID)
		if m.ID == "a1" {
			return errors.New("down")
		}
		return nil
	}}
	failed := c.Process(context.Background(), []Message{
		{ID: "a1", GroupID: "a"}, {ID: "b1", GroupID: "b"}, {ID: "a2", GroupID: "a"}, {ID: "s1"}, {ID: "b2", GroupID: "b"},
	})
	if got, want := fmt.Sprint(failed), "[a1 a2]"; got != want {
		t.Fatalf("failed = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(handled), "[a1 b1 s1 b2]"; got != want {
		t.Fatalf("handled = %s, want %s", got, want)
	}
}
