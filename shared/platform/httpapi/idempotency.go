package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Idempotency-Key (issue 4): on an Idempotent route, a request carrying the header runs once.
// After authentication the middleware claims (API, route pattern, caller organisation, caller
// subject, key) with a conditional write; the winner runs the handler and stores its
// response (below 500; a 5xx releases the claim so a retry runs again). A later request with
// the same key gets the stored response with Idempotent-Replayed: true when its method, path
// and body hash match, 409 while the first is still running, and 422 when they differ.
// Keys live IdempotencyTTL.
const (
	IdempotencyKeyHeader      = "Idempotency-Key"
	IdempotencyReplayedHeader = "Idempotent-Replayed"
	IdempotencyTTL            = 24 * time.Hour
	maxIdempotencyKey         = 100
)

// StoredResponse is what a retry gets back.
type StoredResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// IdempotencyRecord is the state of a claimed key.
type IdempotencyRecord struct {
	Hash      string // SHA-256 of method, path and body of the first request
	Completed bool   // false while the first request runs
	Response  StoredResponse
}

// IdempotencyStore keeps claimed keys (shared/platform/idempotency in DynamoDB). id is opaque
// and already scoped to the route and caller.
type IdempotencyStore interface {
	// Claim records id as in progress with hash until expires, unless a live record holds
	// it: then it returns that record and won is false.
	Claim(ctx context.Context, id, hash string, expires time.Time) (rec IdempotencyRecord, won bool, err error)
	// Complete stores the response of the claim id / hash.
	Complete(ctx context.Context, id, hash string, resp StoredResponse, expires time.Time) error
	// Release deletes the claim id / hash so that a retry can run.
	Release(ctx context.Context, id, hash string) error
}

// idempotent runs m's handler under the Idempotency-Key protocol; without the header it just
// runs it.
func idempotent(m Mounted, w http.ResponseWriter, r *http.Request) error {
	keys := r.Header.Values(IdempotencyKeyHeader)
	if len(keys) == 0 {
		return m.Handler(w, r)
	}
	if len(keys) > 1 || !validIdempotencyKey(keys[0]) {
		return apperr.InvalidField(IdempotencyKeyHeader, fmt.Sprintf("must be one value of 1 to %d visible ASCII characters", maxIdempotencyKey))
	}
	if m.Idempotency == nil {
		return fmt.Errorf("%s %s: Idempotent route mounted without an idempotency store", m.Method, m.Path)
	}
	limit := m.MaxBody
	if limit <= 0 {
		limit = MaxBody
	}
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.Newf(apperr.TooLarge, "request body exceeds %d bytes", limit)
		} else if err != nil {
			return apperr.New(apperr.BadRequest, "request body cannot be read")
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	caller, _ := CallerOf(r.Context())
	id := digest(string(m.API), Pattern(m.Method, m.Path), caller.Org, caller.Subject, keys[0])
	hash := digest(r.Method, r.URL.Path, string(body))
	expires := time.Now().Add(IdempotencyTTL)
	ctx := context.WithoutCancel(r.Context()) // the record must settle even if the caller goes away
	rec, won, err := m.Idempotency.Claim(ctx, id, hash, expires)
	if err != nil {
		return fmt.Errorf("idempotency claim: %w", err)
	}
	if !won {
		switch {
		case rec.Hash != hash:
			return apperr.New(apperr.Unprocessable, "Idempotency-Key reused with a different request")
		case !rec.Completed:
			return apperr.New(apperr.Conflict, "a request with this Idempotency-Key is in progress")
		}
		h := w.Header()
		if rec.Response.ContentType != "" {
			h.Set("Content-Type", rec.Response.ContentType)
		}
		if rec.Response.Location != "" {
			h.Set("Location", rec.Response.Location)
		}
		h.Set("Cache-Control", "no-store")
		h.Set(IdempotencyReplayedHeader, "true")
		w.WriteHeader(rec.Response.Status)
		_, _ = w.Write(rec.Response.Body)
		return nil
	}

	cw := &captureWriter{header: http.Header{}}
	settled := false
	defer func() { // a panicking handler must not leave the key in progress
		if !settled {
			if err := m.Idempotency.Release(ctx, id, hash); err != nil {
				slog.ErrorContext(ctx, "idempotency release", "error", err.Error())
			}
		}
	}()
	herr := m.Handler(cw, r)
	if herr != nil && cw.status == 0 {
		WriteError(cw, r, herr)
		herr = nil // written
	}
	if cw.status == 0 {
		cw.status = http.StatusOK
	}
	settled = true
	if cw.status < 500 {
		resp := StoredResponse{Status: cw.status, ContentType: cw.header.Get("Content-Type"), Location: cw.header.Get("Location"), Body: cw.body.Bytes()}
		if err := m.Idempotency.Complete(ctx, id, hash, resp, expires); err != nil {
			// The handler's effect happened: keep the claim (retries get 409 until it
			// expires) rather than risk running it twice.
			slog.ErrorContext(ctx, "idempotency complete", "error", err.Error())
		}
	} else if err := m.Idempotency.Release(ctx, id, hash); err != nil {
		slog.ErrorContext(ctx, "idempotency release", "error", err.Error())
	}
	for k, v := range cw.header {
		w.Header()[k] = v
	}
	w.WriteHeader(cw.status)
	_, _ = w.Write(cw.body.Bytes())
	return herr
}

// validIdempotencyKey: 1 to 100 visible ASCII characters.
func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > maxIdempotencyKey {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// digest is the hex SHA-256 of parts, each length-prefixed so that no two lists collide.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		_, _ = io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// captureWriter holds a handler's response until it is stored.
type captureWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}
