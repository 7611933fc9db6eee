// Package apperr is the small set of error codes every Kabinet service returns. Domain code
// returns these; the HTTP layer (httpapi) maps each code to one status in one place (P5).
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code names a class of failure a client can act on.
type Code string

const (
	BadRequest       Code = "bad_request"        // 400: malformed request
	Validation       Code = "validation_failed"  // 400: well-formed, but fields are wrong
	Unauthorized     Code = "unauthorized"       // 401: no or bad credentials
	Forbidden        Code = "forbidden"          // 403: credentials fine, right missing
	NotFound         Code = "not_found"          // 404
	MethodNotAllowed Code = "method_not_allowed" // 405
	NotAcceptable    Code = "not_acceptable"     // 406: unsupported content type / format
	Conflict         Code = "conflict"           // 409: state conflict (exists, changed meanwhile)
	TooLarge         Code = "payload_too_large"  // 413
	Unprocessable    Code = "unprocessable"      // 422: e.g. idempotency key reused with another body
	TooManyRequests  Code = "too_many_requests"  // 429
	Internal         Code = "internal"           // 500: never shows details
	Unavailable      Code = "unavailable"        // 503: a dependency is down
)

// Error is a failure meant for the caller: its message and fields are shown as they are.
type Error struct {
	Code    Code
	Message string
	// Fields maps a request field (JSON name, dotted for nesting) to what is wrong with it.
	Fields map[string]string
	// RetryAfter, when set, tells the caller when to try again (429, 503).
	RetryAfter time.Duration
	// Err is an underlying cause kept for logs only.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with a message.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Newf formats the message.
func Newf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid is a validation failure with per-field messages.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: Validation, Message: "request has invalid fields", Fields: fields}
}

// InvalidField is a validation failure of one field.
func InvalidField(field, message string) *Error {
	return Invalid(map[string]string{field: message})
}

// TooMany is a rate-limit refusal with the wait the caller must respect.
func TooMany(message string, retryAfter time.Duration) *Error {
	return &Error{Code: TooManyRequests, Message: message, RetryAfter: retryAfter}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns the code of err: Internal for anything that is not an *Error.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// Fields collects per-field validation messages; Err returns nil when there are none.
type Fields map[string]string

// Add records a problem with field, keeping the first one reported.
func (f Fields) Add(field, message string) {
	if _, ok := f[field]; !ok {
		f[field] = message
	}
}

// Check adds message for field when ok is false.
func (f Fields) Check(ok bool, field, message string) {
	if !ok {
		f.Add(field, message)
	}
}

// Err returns a Validation error listing the fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f)
}
