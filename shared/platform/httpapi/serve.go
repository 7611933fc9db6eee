package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/logging"
)

// Mounted is a route with its built handler.
type Mounted struct {
	Route
	Handler Handler
	// Idempotency keeps the keys of an Idempotent route (built by BuildAll from
	// Route.Idempotency); without it such a route answers 500 to a request with a key.
	Idempotency IdempotencyStore
}

// Pattern returns the net/http pattern of a route. A path ending in "/" is matched exactly
// (API Gateway does not match subtrees).
func Pattern(method, path string) string {
	if strings.HasSuffix(path, "/") {
		path += "{$}"
	}
	return method + " " + path
}

// NewServer mounts routes of one API on a mux. Every request gets a request id, an access-log
// line, panic recovery, and the authentication its route declares, before handler code runs.
// Unknown paths answer 404 and known paths with another method 405, both as JSON errors.
func NewServer(auth map[AuthScheme]Authenticator, routes ...Mounted) http.Handler {
	mux := http.NewServeMux()
	methods := map[string]bool{}
	for _, m := range routes {
		mux.Handle(Pattern(m.Method, m.Path), guard(auth, m))
		methods[m.Method] = true
	}
	mux.Handle("/", wrap(func(w http.ResponseWriter, r *http.Request) error {
		// No route matched: 405 if the path is served under another method, else 404.
		var allow []string
		for method := range methods {
			probe := r.Clone(r.Context())
			probe.Method = method
			if _, pattern := mux.Handler(probe); pattern != "/" {
				allow = append(allow, method)
			}
		}
		if len(allow) == 0 {
			return apperr.New(apperr.NotFound, "no such endpoint")
		}
		sort.Strings(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return apperr.Newf(apperr.MethodNotAllowed, "method %s is not allowed here; allowed: %s", r.Method, strings.Join(allow, ", "))
	}))
	return mux
}

// guard runs authentication for the route's scheme, then the handler.
func guard(auth map[AuthScheme]Authenticator, m Mounted) http.Handler {
	return wrap(func(w http.ResponseWriter, r *http.Request) error {
		if m.Auth != Public {
			check, ok := auth[m.Auth]
			if !ok {
				return apperr.New(apperr.Unauthorized, "authentication required")
			}
			p, err := check(r)
			if err != nil {
				return err
			}
			p.Scheme = m.Auth
			if p.Limited != "" && !m.AllowLimited {
				return apperr.New(apperr.Forbidden, p.Limited)
			}
			if len(m.Roles) > 0 && !p.HasRole(m.Roles...) {
				return apperr.New(apperr.Forbidden, "your role does not allow this")
			}
			r = r.WithContext(WithCaller(r.Context(), p))
		}
		if m.MaxBody > 0 && r.Body != nil {
			// Whatever the handler reads, it reads no more than the route allows.
			r.Body = http.MaxBytesReader(w, r.Body, m.MaxBody)
		}
		if m.Idempotent {
			return idempotent(m, w, r)
		}
		return m.Handler(w, r)
	})
}

// wrap adds request id, access log, panic recovery and error writing around h.
func wrap(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		r = r.WithContext(logging.WithRequestID(r.Context(), id))
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				slog.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					WriteError(sw, r, fmt.Errorf("panic: %v", v))
				}
			}
			slog.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "durationMs", time.Since(start).Milliseconds(), "ip", ClientIP(r))
		}()
		if err := h(sw, r); err != nil {
			if sw.status != 0 {
				slog.ErrorContext(r.Context(), "error after response started", "error", err.Error())
				return
			}
			WriteError(sw, r, err)
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// requestID is API Gateway's request id when behind it, else a valid X-Request-Id header,
// else a new random id.
func requestID(r *http.Request) string {
	if gw, ok := core.GetAPIGatewayContextFromContext(r.Context()); ok && gw.RequestID != "" {
		return gw.RequestID
	}
	if h := r.Header.Get("X-Request-Id"); h != "" && len(h) <= 64 && isToken(h) {
		return h
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func isToken(s string) bool {
	for _, c := range s {
		if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// ClientIP is the caller's address: API Gateway's source IP when behind it, else the peer.
func ClientIP(r *http.Request) string {
	if gw, ok := core.GetAPIGatewayContextFromContext(r.Context()); ok && gw.Identity.SourceIP != "" {
		return gw.Identity.SourceIP
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// BuildAll builds the handlers of routes, each once even when a function serves several.
func BuildAll(ctx context.Context, routes []Route) ([]Mounted, error) {
	out := make([]Mounted, 0, len(routes))
	for _, rt := range routes {
		h, err := rt.Build(ctx)
		if err != nil {
			return nil, fmt.Errorf("build %s %s (%s): %w", rt.Method, rt.Path, rt.Function, err)
		}
		mt := Mounted{Route: rt, Handler: h}
		if rt.Idempotent {
			if rt.Idempotency == nil {
				return nil, fmt.Errorf("build %s %s (%s): Idempotent route without Idempotency", rt.Method, rt.Path, rt.Function)
			}
			if mt.Idempotency, err = rt.Idempotency(ctx); err != nil {
				return nil, fmt.Errorf("build %s %s (%s): idempotency store: %w", rt.Method, rt.Path, rt.Function, err)
			}
		}
		out = append(out, mt)
	}
	return out, nil
}
