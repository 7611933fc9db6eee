// Package simhttp is the developer-facing HTTP side every simulator of an external system
// shares (infra/smssim, infra/smtpsink…): list what was "sent", show the newest, and switch a
// fault on or off.
package simhttp

import (
	"encoding/json"
	"net/http"
)

// WriteJSON writes v as JSON, HTML left unescaped so message bodies stay readable.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// List answers GET /_sim/messages[?<param>=…]: the messages get returns for the parameter.
func List[T any](param string, get func(string) []T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		out := get(r.URL.Query().Get(param))
		if out == nil {
			out = []T{}
		}
		WriteJSON(w, http.StatusOK, out)
	}
}

// Last answers GET /_sim/messages/last?<param>=…: the newest message, 404 when none.
func Last[T any](param string, get func(string) []T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		msgs := get(r.URL.Query().Get(param))
		if len(msgs) == 0 {
			WriteJSON(w, http.StatusNotFound, map[string]any{"error": "no messages"})
			return
		}
		WriteJSON(w, http.StatusOK, msgs[len(msgs)-1])
	}
}

// SetFault answers PUT /_sim/fault: a fault F that valid accepts is set (204), anything else
// is refused with hint (400).
func SetFault[F any](valid func(F) bool, hint string, set func(*F)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var f F
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil || !valid(f) {
			WriteJSON(w, http.StatusBadRequest, map[string]any{"error": hint})
			return
		}
		set(&f)
		w.WriteHeader(http.StatusNoContent)
	}
}
