package partnersign_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/apikeys/partnersign"
)

func TestCanonicalQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"":                     "",
		"b=z&a=1&b=x+y":        "a=1&b=x+y&b=z",
		"b=x%20y&a=1&b=z":      "a=1&b=x+y&b=z", // the same query, spaces escaped another way
		"q=%D0%BC%D0%B8%D1%80": "q=%D0%BC%D0%B8%D1%80",
		"flag&x=":              "flag=&x=",
	} {
		if got := partnersign.CanonicalQuery(raw); got != want {
			t.Errorf("CanonicalQuery(%q) = %q, want %q", raw, got, want)
		}
	}
}

// The README's openssl recipe gives this signature for the same input; keep them in step.
func TestSignatureMatchesOpenSSL(t *testing.T) {
	const secret = "test-secret-0123456789abcdefghijklmnopqrstuv"
	got := partnersign.Signature(secret, "post", "/v1/partner/whoami", "b=z&a=1&b=x+y", "1764072000", []byte(`{"hello":"мир"}`))
	if want := "2a3a979e9d520448a9c03a5b3b4d294244d0b4ad596032518bb4d71f0dffbd4c"; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	s := partnersign.StringToSign("GET", "/p", "", "1", nil)
	if !strings.HasSuffix(s, "\n1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") {
		t.Fatalf("empty body: %q", s)
	}
}

// Transport signs what it sends and leaves the body intact for the server.
func TestTransportSignsAndKeepsTheBody(t *testing.T) {
	now := time.Unix(1764072000, 0)
	var seen http.Header
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		want := partnersign.Signature("s3cret", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get(partnersign.HeaderTimestamp), b)
		if r.Header.Get(partnersign.HeaderSignature) != want {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	c := &http.Client{Transport: &partnersign.Transport{KeyID: "k1", Secret: "s3cret", Now: func() time.Time { return now }}}
	resp, err := c.Post(srv.URL+"/v1/x?b=2&a=1", "application/json", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || body != `{"a":1}` || seen.Get(partnersign.HeaderKeyID) != "k1" || seen.Get(partnersign.HeaderTimestamp) != "1764072000" {
		t.Fatalf("status %d, body %q, headers %v", resp.StatusCode, body, seen)
	}
}
