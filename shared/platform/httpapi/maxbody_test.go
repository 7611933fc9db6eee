package httpapi

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// A route's MaxBody holds whatever its handler reads to the limit, even a handler that reads
// the raw body (a multipart upload) rather than through Decode.
func TestRouteMaxBody(t *testing.T) {
	raw := func(w http.ResponseWriter, r *http.Request) error {
		b, err := io.ReadAll(r.Body)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.TooLarge, "too big")
		}
		WriteJSON(w, http.StatusOK, map[string]int{"read": len(b)})
		return err
	}
	srv := NewServer(nil,
		Mounted{Route: Route{Method: "POST", Path: "/limited", Auth: Public, MaxBody: 10}, Handler: raw},
		Mounted{Route: Route{Method: "POST", Path: "/open", Auth: Public}, Handler: raw},
	)
	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"/limited", strings.Repeat("a", 10), 200},
		{"/limited", strings.Repeat("a", 11), 413},
		{"/open", strings.Repeat("a", 11), 200},
	} {
		req := httptest.NewRequest("POST", tc.path, strings.NewReader(tc.body))
		req.ContentLength = -1 // chunked: only the reader can tell
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s with %d bytes: %d, want %d: %s", tc.path, len(tc.body), rec.Code, tc.status, rec.Body)
		}
	}
}
