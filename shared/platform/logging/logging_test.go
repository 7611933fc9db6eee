package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestRequestIDAndRedaction(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, slog.LevelDebug)
	ctx := WithRequestID(context.Background(), "req-1")
	l.InfoContext(ctx, "started", "phone_id", "p1", "password", "hunter2", "sms_code", "123456", "X-Api-Token", "t0k")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m["requestId"] != "req-1" || m["phone_id"] != "p1" || m["msg"] != "started" {
		t.Fatalf("missing attrs: %v", m)
	}
	for _, secret := range []string{"hunter2", "123456", "t0k"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("secret %q logged: %s", secret, buf.String())
		}
	}
}
