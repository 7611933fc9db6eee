package abs

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Defaults of Options.
const (
	// DefaultTimeout bounds a whole call, answer read included. The ABS reserves and opens
	// accounts behind its API, so it gets longer than a typed suggestion; a queue consumer's
	// visibility timeout must leave room for it.
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultTLSTimeout     = 5 * time.Second
	// DefaultMaxBody caps the answer: the seed's answers are a few KiB of notes.
	DefaultMaxBody = 1 << 20
	// maxRetryAfter caps the Retry-After hint an ABS may send.
	maxRetryAfter = 15 * time.Minute
)

// RequestIDHeader carries a new id per call, logged on our side, so the bank can find the call
// in its own logs.
const RequestIDHeader = "X-Request-Id"

// ErrDisabled is returned, without a call, when the settings disable the kind: the step is done
// by hand in the back office. It is neither transient nor permanent: the consumer decides.
var ErrDisabled = errors.New("abs: this call is disabled in the settings")

// Options tune a Client; zero values take the defaults.
type Options struct {
	Timeout        time.Duration // the whole call (DefaultTimeout); a shorter context deadline wins
	ConnectTimeout time.Duration // TCP connect (DefaultConnectTimeout)
	TLSTimeout     time.Duration // TLS handshake (DefaultTLSTimeout)
	MaxBody        int64         // answer size cap (DefaultMaxBody)
	// Transport replaces the default one (tests; client certificates when the bank asks for
	// mutual TLS).
	Transport http.RoundTripper
	Logger    *slog.Logger // slog.Default() when nil
}

// Client calls the ABS with the settings its source gives at each call (the administrator may
// change them at any time).
type Client struct {
	settings SettingsSource
	http     *http.Client
	maxBody  int64
	log      *slog.Logger
}

// New returns a client reading its settings from src.
func New(src SettingsSource, o Options) *Client {
	timeout, connect, handshake := o.Timeout, o.ConnectTimeout, o.TLSTimeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if connect <= 0 {
		connect = DefaultConnectTimeout
	}
	if handshake <= 0 {
		handshake = DefaultTLSTimeout
	}
	tr := o.Transport
	if tr == nil {
		dialer := &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}
		tr = &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         dialer.DialContext,
			TLSHandshakeTimeout: handshake,
			TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2:   true,
			MaxIdleConns:        10,
			IdleConnTimeout:     90 * time.Second,
		}
	}
	maxBody := o.MaxBody
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Client{
		settings: src,
		http: &http.Client{Transport: tr, Timeout: timeout,
			// a redirect means a wrong URL in the settings: following it would re-send client
			// data to wherever it points
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		maxBody: maxBody,
		log:     log,
	}
}

// Error is a call that got no business answer. Transient ones (network, timeouts, HTTP 408,
// 429, 5xx) may succeed later, after RetryAfter when the ABS sent one; the others (4xx, a
// redirect, an answer that is not the protocol, a bad request or URL) need a human.
//
// Call returns it wrapped in an apperr.Error (Unavailable with RetryAfter for transient ones,
// Internal otherwise), the permanent ones also in sqsworker.Permanent, so a queue consumer can
// return the error as it is. A transient NewClient or OpenAccount may have taken effect (a
// timeout after the ABS acted): retrying relies on the ABS being idempotent per application,
// as the simulator is (infra/abssim) and as the bank must confirm.
type Error struct {
	Kind       Kind
	Transient  bool
	HTTPStatus int           // 0 when there was no answer
	RetryAfter time.Duration // the ABS's Retry-After hint, 0 when none
	Err        error
}

func (e *Error) Error() string {
	class := "permanent"
	if e.Transient {
		class = "transient"
	}
	if e.HTTPStatus != 0 {
		return fmt.Sprintf("abs %s (%s, HTTP %d): %v", e.Kind, class, e.HTTPStatus, e.Err)
	}
	return fmt.Sprintf("abs %s (%s): %v", e.Kind, class, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// IsTransient reports whether err is a call failure worth retrying.
func IsTransient(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Transient
}

// IsPermanent reports whether err is a call failure no retry fixes.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && !e.Transient
}

// RetryAfter is the wait the ABS asked for with a transient failure (0 when none).
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) && e.Transient {
		return e.RetryAfter
	}
	return 0
}

func wrap(e *Error) error {
	if e.Transient {
		return &apperr.Error{Code: apperr.Unavailable, Message: "the bank's core-banking system is unavailable; try again later",
			RetryAfter: e.RetryAfter, Err: e}
	}
	return sqsworker.Permanent(&apperr.Error{Code: apperr.Internal, Message: "the bank's core-banking system refused the call", Err: e})
}

// Call makes one call of r.Kind with the current settings. It returns a Result when the ABS
// answered with its success or its error value (Result.OK tells which: an error answer is the
// business outcome the flow records, not a Go error); an *Error (see there) otherwise, with the
// partial Result (Raw included) when an HTTP 200 answer was JSON but not the protocol; and
// ErrDisabled when the kind is switched off.
func (c *Client) Call(ctx context.Context, r Request) (Result, error) {
	res := Result{Kind: r.Kind}
	if err := r.Validate(); err != nil {
		return res, wrap(&Error{Kind: r.Kind, Err: err})
	}
	settings, err := c.settings.Settings(ctx)
	if err != nil { // the settings' store: worth another try
		return res, wrap(&Error{Kind: r.Kind, Transient: true, Err: fmt.Errorf("reading the settings: %w", err)})
	}
	ep := settings.For(r.Kind)
	if !ep.Enabled {
		return res, ErrDisabled
	}
	if u, err := url.Parse(ep.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return res, wrap(&Error{Kind: r.Kind, Err: errors.New("the settings' URL is not an absolute http(s) URL")})
	}
	body, err := json.Marshal(r)
	if err != nil {
		return res, wrap(&Error{Kind: r.Kind, Err: err})
	}
	res.RequestID = ulid.Make().String()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return res, wrap(&Error{Kind: r.Kind, Err: err})
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(RequestIDHeader, res.RequestID)

	started := time.Now()
	res, err = c.do(req, ep, res)
	res.Duration = time.Since(started)
	c.logCall(ctx, r, res, err)
	return res, err
}

func (c *Client) do(req *http.Request, ep Endpoint, res Result) (Result, error) {
	kind := res.Kind
	resp, err := c.http.Do(req)
	if err != nil { // refused, reset, DNS, TLS, timeouts, the context's deadline
		return res, wrap(&Error{Kind: kind, Transient: true, Err: scrub(err)})
	}
	defer resp.Body.Close()
	res.HTTPStatus = resp.StatusCode
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil { // cut off or timed out while reading
		return res, wrap(&Error{Kind: kind, Transient: true, HTTPStatus: resp.StatusCode, Err: fmt.Errorf("reading the answer: %w", scrub(err))})
	}
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
	case s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500:
		return res, wrap(&Error{Kind: kind, Transient: true, HTTPStatus: s, RetryAfter: retryAfter(resp.Header), Err: errors.New(http.StatusText(s))})
	default: // 3xx (redirects are not followed) and the other 4xx: our request or our URL is wrong
		return res, wrap(&Error{Kind: kind, HTTPStatus: s, Err: errors.New(http.StatusText(s))})
	}
	if int64(len(data)) > c.maxBody {
		return res, wrap(&Error{Kind: kind, HTTPStatus: resp.StatusCode, Err: fmt.Errorf("%w: the answer is over %d bytes", ErrProtocol, c.maxBody)})
	}
	got, err := ep.Interpret(kind, data)
	got.HTTPStatus, got.RequestID = res.HTTPStatus, res.RequestID
	if err != nil {
		return got, wrap(&Error{Kind: kind, HTTPStatus: resp.StatusCode, Err: err})
	}
	return got, nil
}

// scrub drops the URL from a transport error: the settings' URL may one day carry a
// credential in its query, and errors end up in logs.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: "(abs url)", Err: ue.Err}
	}
	return err
}

// retryAfter reads Retry-After (seconds or an HTTP date), capped; 0 when absent or unreadable.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	} else {
		return 0
	}
	return max(0, min(d, maxRetryAfter))
}

// logCall writes one line per call: never the bodies, the comment or the notes (client data).
func (c *Client) logCall(ctx context.Context, r Request, res Result, err error) {
	outcome, level := "ok", slog.LevelInfo
	switch {
	case err == nil && !res.OK:
		outcome = "abs_error"
	case IsTransient(err):
		outcome, level = "transient", slog.LevelWarn
	case err != nil:
		outcome, level = "permanent", slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("kind", string(r.Kind)),
		slog.String("applicationId", r.ApplicationID),
		slog.Int("httpStatus", res.HTTPStatus),
		slog.String("outcome", outcome),
		slog.Int64("durationMs", res.Duration.Milliseconds()),
		slog.String("absRequestId", res.RequestID),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, level, "abs call", attrs...)
}
