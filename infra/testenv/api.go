package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// API serves routes through the real handlers and middleware, as one API Gateway API would.
// A request's X-Test-Ip header sets the caller's address, so per-IP limits can be exercised.
type API struct {
	t   testing.TB
	Env *Env
	URL string
}

// NewAPI mounts routes (with the catalogue's authenticators, auth) on a test server.
func NewAPI(t testing.TB, auth map[httpapi.AuthScheme]httpapi.Authenticator, routes []httpapi.Route) *API {
	t.Helper()
	env := Get(t)
	mounted, err := httpapi.BuildAll(context.Background(), routes)
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.NewServer(auth, mounted...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip := r.Header.Get("X-Test-Ip"); ip != "" {
			r.RemoteAddr = net.JoinHostPort(ip, "40000") // IPv6 too
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &API{t: t, Env: env, URL: srv.URL}
}

// Reply is a decoded JSON response.
type Reply struct {
	Status int
	Header http.Header
	Body   map[string]any
}

// Field is the message of a field error.
func (r Reply) Field(name string) string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

// Code is the error code.
func (r Reply) Code() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// Message is the error message.
func (r Reply) Message() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// S returns a string field of the body.
func (r Reply) S(name string) string {
	s, _ := r.Body[name].(string)
	return s
}

// Request is one call: Token is sent as a bearer token, IP as the caller's address.
type Request struct {
	Method, Path, Body, Token, IP string
	Header                        map[string]string
}

// Do performs a request and decodes its JSON answer (204 gives an empty body).
func (a *API) Do(q Request) Reply {
	a.t.Helper()
	raw := a.send(q, http.DefaultClient)
	r := Reply{Status: raw.Status, Header: raw.Header, Body: map[string]any{}}
	if len(raw.Body) > 0 {
		if err := json.Unmarshal(raw.Body, &r.Body); err != nil {
			a.t.Fatalf("%s %s: body is not JSON: %q", q.Method, q.Path, raw.Body)
		}
	}
	return r
}

// RawReply is an answer as it came: any body (a file, a JSON array, nothing) and any status,
// a redirect's included.
type RawReply struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r RawReply) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("body %q: %v", r.Body, err)
	}
}

// noRedirect hands a redirect back to the test (downloads answer 302 with a presigned link).
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// DoRaw performs a request as Do does (Body may be any bytes; Header overrides the JSON
// Content-Type) but neither follows redirects nor decodes the answer.
func (a *API) DoRaw(q Request) RawReply {
	a.t.Helper()
	return a.send(q, noRedirect)
}

func (a *API) send(q Request, c *http.Client) RawReply {
	a.t.Helper()
	req, err := http.NewRequest(q.Method, a.URL+q.Path, strings.NewReader(q.Body))
	if err != nil {
		a.t.Fatal(err)
	}
	if q.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if q.Token != "" {
		req.Header.Set("Authorization", "Bearer "+q.Token)
	}
	if q.IP == "" {
		q.IP = UniqueIP()
	}
	req.Header.Set("X-Test-Ip", q.IP)
	for k, v := range q.Header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return RawReply{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// Post sends a JSON body from a fresh address.
func (a *API) Post(path, body string) Reply {
	a.t.Helper()
	return a.Do(Request{Method: http.MethodPost, Path: path, Body: body})
}

// DeliverSMS runs the SMS worker over the SMS queue, as its event source mapping would.
func (a *API) DeliverSMS(worker *sqsworker.Consumer) {
	a.t.Helper()
	a.Env.Drain(a.t, "notifications/sms-sender", worker.HandleEvent)
}

var codeRe = regexp.MustCompile(`\b(\d{6})\b`)

// LastCode returns the code of the newest SMS to phone.
func (a *API) LastCode(phone string) string {
	a.t.Helper()
	msgs := a.Env.SMS.Messages(phone)
	if len(msgs) == 0 {
		a.t.Fatalf("no SMS sent to %s", phone)
	}
	m := codeRe.FindStringSubmatch(msgs[len(msgs)-1].Text)
	if m == nil {
		a.t.Fatalf("no code in %q", msgs[len(msgs)-1].Text)
	}
	return m[1]
}

var seq atomic.Int64

// UniquePhone returns a valid Russian mobile number no other caller in this process gets.
func UniquePhone() string { return fmt.Sprintf("+7916%07d", 1000000+seq.Add(1)) }

// UniqueIP returns an address no other caller in this process gets.
func UniqueIP() string {
	n := seq.Add(1)
	return fmt.Sprintf("203.%d.%d.%d", n/62500%250, n/250%250, n%250+1)
}
