package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// memStore is an in-memory IdempotencyStore.
type memStore struct {
	mu   sync.Mutex
	recs map[string]IdempotencyRecord
}

func (m *memStore) Claim(_ context.Context, id, hash string, _ time.Time) (IdempotencyRecord, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rec, ok := m.recs[id]; ok {
		return rec, false, nil
	}
	m.recs[id] = IdempotencyRecord{Hash: hash}
	return IdempotencyRecord{}, true, nil
}

func (m *memStore) Complete(_ context.Context, id, hash string, resp StoredResponse, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs[id] = IdempotencyRecord{Hash: hash, Completed: true, Response: resp}
	return nil
}

func (m *memStore) Release(_ context.Context, id, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.recs, id)
	return nil
}

func TestIdempotencyKey(t *testing.T) {
	store := &memStore{recs: map[string]IdempotencyRecord{}}
	runs := 0
	fail := false
	create := func(w http.ResponseWriter, r *http.Request) error {
		var req createReq
		if err := Decode(w, r, &req, 64); err != nil {
			return err
		}
		if fail {
			return apperr.New(apperr.Unavailable, "down")
		}
		runs++
		w.Header().Set("Location", "/v1/items/"+req.Name)
		WriteJSON(w, http.StatusCreated, map[string]any{"name": req.Name, "run": runs})
		return nil
	}
	auth := map[AuthScheme]Authenticator{Session: func(r *http.Request) (Principal, error) {
		return Principal{Subject: r.Header.Get("X-User"), Org: "o1"}, nil
	}}
	srv := NewServer(auth, Mounted{Route: Route{API: Client, Method: "POST", Path: "/v1/items", Auth: Session, Idempotent: true, MaxBody: 64},
		Handler: create, Idempotency: store})
	// A request of another caller holds "slow" in progress.
	if _, won, _ := store.Claim(context.Background(), digest(string(Client), "POST /v1/items", "o1", "u1", "slow"), digest("POST", "/v1/items", `{"name":"s"}`), time.Time{}); !won {
		t.Fatal("seed claim")
	}

	type call struct {
		name, key, user, body string
		fail                  bool
		status, runs          int
		replayed              bool
		want                  string // in the body
	}
	for _, c := range []call{
		{name: "first call", key: "k1", body: `{"name":"a"}`, status: 201, runs: 1, want: `"run":1`},
		{name: "replay identical", key: "k1", body: `{"name":"a"}`, status: 201, runs: 1, replayed: true, want: `"run":1`},
		{name: "different body", key: "k1", body: `{"name":"b"}`, status: 422, runs: 1, want: "reused with a different request"},
		{name: "other caller, same key", key: "k1", user: "u2", body: `{"name":"a"}`, status: 201, runs: 2, want: `"run":2`},
		{name: "in progress", key: "slow", body: `{"name":"s"}`, status: 409, runs: 2, want: "in progress"},
		{name: "5xx not stored", key: "k5", body: `{"name":"c"}`, fail: true, status: 503, runs: 2},
		{name: "5xx retried runs", key: "k5", body: `{"name":"c"}`, status: 201, runs: 3, want: `"run":3`},
		{name: "4xx stored", key: "k4", body: `{"name":""}`, status: 400, runs: 3, want: "required"},
		{name: "4xx replayed", key: "k4", body: `{"name":""}`, status: 400, runs: 3, replayed: true, want: "required"},
		{name: "no header", body: `{"name":"a"}`, status: 201, runs: 4, want: `"run":4`},
		{name: "no header again", body: `{"name":"a"}`, status: 201, runs: 5, want: `"run":5`},
		{name: "empty key", key: "-", body: `{"name":"a"}`, status: 400, runs: 5, want: "Idempotency-Key"},
		{name: "key with space", key: "a b", body: `{"name":"a"}`, status: 400, runs: 5, want: "Idempotency-Key"},
		{name: "key too long", key: strings.Repeat("x", 101), body: `{"name":"a"}`, status: 400, runs: 5, want: "Idempotency-Key"},
		{name: "key of 100", key: strings.Repeat("x", 100), body: `{"name":"z"}`, status: 201, runs: 6},
		{name: "body too large", key: "big", body: `{"name":"` + strings.Repeat("x", 100) + `"}`, status: 413, runs: 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			fail = c.fail
			req := httptest.NewRequest("POST", "/v1/items", strings.NewReader(c.body))
			if c.user == "" {
				c.user = "u1"
			}
			req.Header.Set("X-User", c.user)
			switch c.key {
			case "":
			case "-":
				req.Header.Set(IdempotencyKeyHeader, "")
			default:
				req.Header.Set(IdempotencyKeyHeader, c.key)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != c.status || runs != c.runs || !strings.Contains(rec.Body.String(), c.want) {
				t.Fatalf("status %d runs %d body %s; want %d, %d runs, %q", rec.Code, runs, rec.Body, c.status, c.runs, c.want)
			}
			if got := rec.Header().Get(IdempotencyReplayedHeader) == "true"; got != c.replayed {
				t.Fatalf("replayed header %v, want %v", got, c.replayed)
			}
			if c.status == 201 && (rec.Header().Get("Location") == "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json")) {
				t.Fatalf("headers %v", rec.Header())
			}
		})
	}
}

func TestIdempotentRouteNeedsStore(t *testing.T) {
	h := func(context.Context) (Handler, error) {
		return func(http.ResponseWriter, *http.Request) error { return nil }, nil
	}
	if _, err := BuildAll(context.Background(), []Route{{Method: "POST", Path: "/v1/x", Auth: Public, Idempotent: true, Build: h}}); err == nil {
		t.Fatal("an Idempotent route without Idempotency was built")
	}
	srv := NewServer(nil, Mounted{Route: Route{Method: "POST", Path: "/v1/x", Auth: Public, Idempotent: true}, Handler: func(http.ResponseWriter, *http.Request) error { return nil }})
	req := httptest.NewRequest("POST", "/v1/x", nil)
	req.Header.Set(IdempotencyKeyHeader, "k")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != 500 {
		t.Fatalf("a key on a route without a store: %d", rec.Code)
	}
}
