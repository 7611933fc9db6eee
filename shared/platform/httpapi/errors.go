package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/logging"
)

// statusOf is the one place where error codes become HTTP statuses.
var statusOf = map[apperr.Code]int{
	apperr.BadRequest:       http.StatusBadRequest,
	apperr.Validation:       http.StatusBadRequest,
	apperr.Unauthorized:     http.StatusUnauthorized,
	apperr.Forbidden:        http.StatusForbidden,
	apperr.NotFound:         http.StatusNotFound,
	apperr.MethodNotAllowed: http.StatusMethodNotAllowed,
	apperr.NotAcceptable:    http.StatusNotAcceptable,
	apperr.Conflict:         http.StatusConflict,
	apperr.TooLarge:         http.StatusRequestEntityTooLarge,
	apperr.Unprocessable:    http.StatusUnprocessableEntity,
	apperr.TooManyRequests:  http.StatusTooManyRequests,
	apperr.Internal:         http.StatusInternalServerError,
	apperr.Unavailable:      http.StatusServiceUnavailable,
}

// Status returns the HTTP status of an error code.
func Status(c apperr.Code) int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error     ErrorDetail `json:"error"`
	RequestID string      `json:"requestId"`
}

// ErrorDetail says what is wrong.
type ErrorDetail struct {
	Code    apperr.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// WriteError writes err as a JSON error. Anything that is not an *apperr.Error, and every
// Internal error, is logged in full and shown only as "internal error".
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal {
		slog.ErrorContext(ctx, "internal error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
		e = apperr.New(apperr.Internal, "internal error")
	} else if e.Code == apperr.Unavailable && e.Err != nil {
		slog.WarnContext(ctx, "dependency unavailable", "path", r.URL.Path, "error", e.Err.Error())
	}
	if e.RetryAfter > 0 {
		secs := int((e.RetryAfter + 999_999_999) / 1_000_000_000) // round up
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	WriteJSON(w, Status(e.Code), ErrorBody{
		Error:     ErrorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields},
		RequestID: logging.RequestID(ctx),
	})
}

// WriteJSON writes v as a JSON response with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}
