package wire_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/localcloud"
	"github.com/kabinet/kabinet/infra/samtemplate"
	"github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/platform/config"
)

func TestConfig(t *testing.T) {
	base := map[string]string{"ABS_URL": "https://abs.bank.example", "PROCESSED_MESSAGES_TABLE": "t", "ABS_DEAD_LETTER_QUEUE_URL": "http://q/AbsDeadLetterQueue.fifo", "ABS_QUEUE_URL": "http://q/AbsQueue.fifo"}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{name: "defaults"},
		{name: "no url", env: map[string]string{"ABS_URL": ""}, wantErr: "ABS_URL"},
		{name: "relative url", env: map[string]string{"ABS_URL": "abs.bank.example"}, wantErr: "ABS_URL"},
		{name: "lease shorter than a call", env: map[string]string{"ABS_CLAIM_LEASE": "10s"}, wantErr: "ABS_CLAIM_LEASE"},
		{name: "no retries", env: map[string]string{"ABS_MAX_RECEIVE_COUNT": "0"}, wantErr: "ABS_MAX_RECEIVE_COUNT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			var cfg wire.Config
			err := config.LoadFrom(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, &cfg)
			if err == nil {
				err = cfg.Validate()
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// Until the review flow registers its abs.Outcomes the caller refuses to start, saying why.
func TestCallerNeedsOutcomes(t *testing.T) {
	if _, err := wire.Caller(context.Background()); !errors.Is(err, wire.ErrNoOutcomes) {
		t.Fatalf("err = %v, want ErrNoOutcomes", err)
	}
}

// The consumer's timings agree with AbsQueue's, and an hour-long outage is retried for about
// an hour before the jobs are dead-lettered.
func TestTemplateTimings(t *testing.T) {
	root, err := localcloud.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q, ok := tpl.Queue("AbsQueue")
	dlq, ok2 := tpl.Queue("AbsDeadLetterQueue")
	f, ok3 := tpl.Function("AbsAbsCallerFunction")
	if !ok || !ok2 || !ok3 {
		t.Fatal("AbsQueue, AbsDeadLetterQueue or AbsAbsCallerFunction missing")
	}
	if !q.FIFO || !dlq.FIFO || q.ContentBasedDeduplication || q.DeadLetterQueue != "AbsDeadLetterQueue" {
		t.Fatalf("queues %+v %+v", q, dlq)
	}
	lit := func(k string) string {
		v := f.Env[k]
		if v.Param != "" || v.Resource != "" || v.Opaque {
			t.Fatalf("%s must be a literal, is %s", k, v)
		}
		return v.Literal
	}
	maxReceive, _ := strconv.Atoi(lit("ABS_MAX_RECEIVE_COUNT"))
	lease, _ := time.ParseDuration(lit("ABS_CLAIM_LEASE"))
	call, _ := time.ParseDuration(lit("ABS_CALL_TIMEOUT"))
	visibility := time.Duration(q.VisibilityTimeout) * time.Second
	if maxReceive != q.MaxReceiveCount || lease != visibility {
		t.Fatalf("ABS_MAX_RECEIVE_COUNT %d / ABS_CLAIM_LEASE %s disagree with AbsQueue (%d, %s)", maxReceive, lease, q.MaxReceiveCount, visibility)
	}
	if fn := time.Duration(f.Timeout) * time.Second; call+5*time.Second > fn || f.SQSEvents[0].BatchSize != 1 {
		t.Fatalf("a %s call must fit the function's %s with one job per invocation", call, fn)
	}
	if f.Env["ABS_URL"].Param != "AbsUrl" {
		t.Fatalf("ABS_URL is %s, want the AbsUrl parameter", f.Env["ABS_URL"])
	}
	if v := f.Env["ABS_QUEUE_URL"]; v.Resource != "AbsQueue" || v.Attr != "" { // Retry-After changes the visibility there
		t.Fatalf("ABS_QUEUE_URL is %s, want AbsQueue's URL", v)
	}
	for _, fn := range []string{"AbsSettingsGetFunction", "AbsSettingsUpdateFunction", "ReviewApplicationStepFunction"} {
		g, ok := tpl.Function(fn)
		if !ok || g.Env["ABS_URL"].Param != "AbsUrl" { // the settings' defaults agree with the consumer's
			t.Fatalf("%s: ABS_URL is %v, want the AbsUrl parameter", fn, g.Env["ABS_URL"])
		}
	}
	if retried := time.Duration(q.MaxReceiveCount) * visibility; retried < 55*time.Minute || retried > 70*time.Minute {
		t.Fatalf("an outage is retried for %s before the DLQ, want about an hour", retried)
	}
}
