// Package logging sets up structured JSON logs (log/slog) carrying the request id of the
// call being served, and keeps secrets out of them: attributes named like passwords, codes,
// tokens or keys are replaced before they are written, whatever the caller passes.
package logging

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
)

type ctxKey struct{}

// WithRequestID returns ctx carrying the request id that every log line of the call will show.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the request id stored in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// sensitive names (lower case, compared after removing '_' and '-') whose values never reach a log.
var sensitive = []string{"password", "passwd", "secret", "token", "code", "otp", "pepper",
	"authorization", "cookie", "apikey", "sharedkey", "signature", "body", "content", "text", "msg"}

var separators = strings.NewReplacer("_", "", "-", "")

// notSensitive are keys that contain a sensitive word but carry no secret.
var notSensitive = map[string]bool{"statuscode": true, "errorcode": true, "httpcode": true}

// Redacted reports whether an attribute key must not be logged with its value.
func Redacted(key string) bool {
	k := strings.ToLower(separators.Replace(key))
	if notSensitive[k] {
		return false
	}
	for _, s := range sensitive {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

func replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && (a.Key == slog.MessageKey || a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
		return a
	}
	if a.Value.Kind() != slog.KindGroup && Redacted(a.Key) {
		return slog.String(a.Key, "[redacted]")
	}
	return a
}

// handler adds the request id of the context to each record.
type handler struct{ slog.Handler }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("requestId", id))
	}
	return h.Handler.Handle(ctx, r)
}
func (h handler) WithAttrs(as []slog.Attr) slog.Handler { return handler{h.Handler.WithAttrs(as)} }
func (h handler) WithGroup(n string) slog.Handler       { return handler{h.Handler.WithGroup(n)} }

// New returns a JSON logger writing to w at level.
func New(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(handler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: replace})})
}

// Setup installs the default logger: JSON on stdout, level from LOG_LEVEL (debug, info, warn, error).
func Setup() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	l := New(os.Stdout, level)
	slog.SetDefault(l)
	return l
}
