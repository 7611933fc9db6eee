package applications_test

import (
	"slices"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Issue 4: a retried create or submit with the same Idempotency-Key runs once.
func TestApplicationIdempotencyKey(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	call := func(method, path, body, key string) testenv.Reply {
		t.Helper()
		return c.Do(testenv.Request{Method: method, Path: path, Body: body, Token: tok, Header: map[string]string{"Idempotency-Key": key}})
	}

	first := call("POST", "/v1/applications", body(0), "create-1")
	expect(t, first, 201, "create")
	again := call("POST", "/v1/applications", body(0), "create-1")
	expect(t, again, 201, "create retried")
	if again.S("id") != first.S("id") || again.Header.Get("Idempotent-Replayed") != "true" || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry: id %s (first %s), replayed %q", again.S("id"), first.S("id"), again.Header.Get("Idempotent-Replayed"))
	}
	list := c.Call("GET", "/v1/applications", "", tok)
	expect(t, list, 200, "list")
	if n := len(list.Body["items"].([]any)); n != 1 {
		t.Fatalf("%d applications after a retried create, want 1", n)
	}
	r := call("POST", "/v1/applications", body(1), "create-1")
	expect(t, r, 422, "same key, another body")
	expect(t, call("POST", "/v1/applications", body(1), "x y"), 400, "bad key")

	id := first.S("id")
	sub := call("POST", "/v1/applications/"+id+"/submit", "", "submit-1")
	expect(t, sub, 200, "submit")
	again = call("POST", "/v1/applications/"+id+"/submit", "", "submit-1")
	expect(t, again, 200, "submit retried")
	if again.S("status") != "submitted" || again.S("submittedAt") != sub.S("submittedAt") {
		t.Fatalf("retried submit: %v, first %v", again.Body, sub.Body)
	}
	if h := history(t, c, id, tok); !slices.Equal(h, []entry{{"", "draft", ""}, {"draft", "submitted", ""}}) {
		t.Fatalf("history after a retried submit: %v", h)
	}
	expect(t, c.Call("POST", "/v1/applications/"+id+"/submit", "", tok), 409, "submit again without the key")
}
