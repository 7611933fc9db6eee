package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// MaxBody is the default limit of a JSON request body.
const MaxBody = 64 << 10

// Validator is implemented by request types that check their own fields after decoding.
type Validator interface{ Validate() error }

// Decode reads a JSON body of at most maxBytes (MaxBody when 0) into dst, rejecting unknown
// fields, wrong types and trailing data with field-level errors, then runs dst.Validate.
func Decode(w http.ResponseWriter, r *http.Request, dst any, maxBytes int64) error {
	if maxBytes <= 0 {
		maxBytes = MaxBody
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return apperr.New(apperr.NotAcceptable, "request body must be application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, maxBytes)
	}
	if dec.More() {
		return apperr.New(apperr.BadRequest, "request body must hold a single JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.New(apperr.BadRequest, "request body must hold a single JSON object")
	}
	if v, ok := dst.(Validator); ok {
		return v.Validate()
	}
	return nil
}

func decodeError(err error, maxBytes int64) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.BadRequest, "request body is empty")
	case errors.As(err, &tooBig):
		return apperr.Newf(apperr.TooLarge, "request body exceeds %d bytes", maxBytes)
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.BadRequest, "request body is not valid JSON")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.New(apperr.BadRequest, "request body must be a JSON object")
		}
		return apperr.InvalidField(field, fmt.Sprintf("must be a %s", jsonKind(typ.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.InvalidField(name, "unknown field")
	}
	return apperr.New(apperr.BadRequest, "request body cannot be read")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "map", "struct":
		return "object"
	}
	return "number"
}

// QueryInt reads an integer query parameter within [min, max], def when absent.
func QueryInt(r *http.Request, name string, def, min, max int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		return 0, apperr.InvalidField(name, fmt.Sprintf("must be a whole number from %d to %d", min, max))
	}
	return n, nil
}
