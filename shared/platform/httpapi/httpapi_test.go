package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

type createReq struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func (c *createReq) Validate() error {
	f := apperr.Fields{}
	f.Check(c.Name != "", "name", "required")
	return f.Err()
}

func testServer(t *testing.T, ran *bool) http.Handler {
	t.Helper()
	ok := func(w http.ResponseWriter, r *http.Request) error {
		*ran = true
		WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
		return nil
	}
	create := func(w http.ResponseWriter, r *http.Request) error {
		var req createReq
		if err := Decode(w, r, &req, 64); err != nil {
			return err
		}
		WriteJSON(w, http.StatusCreated, req)
		return nil
	}
	auth := map[AuthScheme]Authenticator{
		Session: func(r *http.Request) (Principal, error) {
			if r.Header.Get("Authorization") != "Bearer good" {
				return Principal{}, apperr.New(apperr.Unauthorized, "bad token")
			}
			return Principal{Subject: "u1", Roles: []string{"user"}}, nil
		},
	}
	return NewServer(auth,
		Mounted{Route: Route{Method: "GET", Path: "/v1/items/{id}", Auth: Public}, Handler: ok},
		Mounted{Route: Route{Method: "POST", Path: "/v1/items", Auth: Public}, Handler: create},
		Mounted{Route: Route{Method: "GET", Path: "/v1/me", Auth: Session}, Handler: ok},
		Mounted{Route: Route{Method: "GET", Path: "/v1/partner", Auth: PartnerHMAC}, Handler: ok},
		Mounted{Route: Route{Method: "GET", Path: "/v1/admin", Auth: Session, Roles: []string{"superuser"}}, Handler: ok},
		Mounted{Route: Route{Method: "GET", Path: "/api/user/info/", Auth: Public}, Handler: ok},
		Mounted{Route: Route{Method: "GET", Path: "/v1/boom", Auth: Public}, Handler: func(w http.ResponseWriter, r *http.Request) error {
			return errors.New("db password=secret exploded")
		}},
		Mounted{Route: Route{Method: "GET", Path: "/v1/panic", Auth: Public}, Handler: func(w http.ResponseWriter, r *http.Request) error {
			panic("oops")
		}},
		Mounted{Route: Route{Method: "GET", Path: "/v1/slow", Auth: Public}, Handler: func(w http.ResponseWriter, r *http.Request) error {
			return apperr.TooMany("wait", 2500*time.Millisecond)
		}},
	)
}

func TestServer(t *testing.T) {
	tests := []struct {
		name, method, path, body, ctype, authz string
		status                                 int
		code                                   apperr.Code
		field                                  string
		handlerRuns                            bool
		header                                 [2]string
	}{
		{name: "path value", method: "GET", path: "/v1/items/42", status: 200, handlerRuns: true},
		{name: "unknown path", method: "GET", path: "/nope", status: 404, code: apperr.NotFound},
		{name: "wrong method", method: "DELETE", path: "/v1/items/42", status: 405, code: apperr.MethodNotAllowed, header: [2]string{"Allow", "GET"}},
		{name: "exact trailing slash", method: "GET", path: "/api/user/info/", status: 200, handlerRuns: true},
		{name: "no subtree match", method: "GET", path: "/api/user/info/x", status: 404, code: apperr.NotFound},
		{name: "protected without token", method: "GET", path: "/v1/me", status: 401, code: apperr.Unauthorized},
		{name: "protected bad token", method: "GET", path: "/v1/me", authz: "Bearer bad", status: 401, code: apperr.Unauthorized},
		{name: "protected good token", method: "GET", path: "/v1/me", authz: "Bearer good", status: 200, handlerRuns: true},
		{name: "role without the right", method: "GET", path: "/v1/admin", authz: "Bearer good", status: 403, code: apperr.Forbidden},
		{name: "scheme without authenticator denies", method: "GET", path: "/v1/partner", authz: "Bearer good", status: 401, code: apperr.Unauthorized},
		{name: "decode ok", method: "POST", path: "/v1/items", body: `{"name":"a","count":1}`, status: 201},
		{name: "decode unknown field", method: "POST", path: "/v1/items", body: `{"name":"a","extra":1}`, status: 400, code: apperr.Validation, field: "extra"},
		{name: "decode wrong type", method: "POST", path: "/v1/items", body: `{"name":"a","count":"x"}`, status: 400, code: apperr.Validation, field: "count"},
		{name: "decode validation", method: "POST", path: "/v1/items", body: `{"count":1}`, status: 400, code: apperr.Validation, field: "name"},
		{name: "decode empty", method: "POST", path: "/v1/items", body: ``, status: 400, code: apperr.BadRequest},
		{name: "decode syntax", method: "POST", path: "/v1/items", body: `{"name":`, status: 400, code: apperr.BadRequest},
		{name: "decode trailing", method: "POST", path: "/v1/items", body: `{"name":"a"} {}`, status: 400, code: apperr.BadRequest},
		{name: "decode too large", method: "POST", path: "/v1/items", body: `{"name":"` + strings.Repeat("a", 100) + `"}`, status: 413, code: apperr.TooLarge},
		{name: "decode content type", method: "POST", path: "/v1/items", body: `name=a`, ctype: "application/x-www-form-urlencoded", status: 406, code: apperr.NotAcceptable},
		{name: "internal hidden", method: "GET", path: "/v1/boom", status: 500, code: apperr.Internal},
		{name: "panic recovered", method: "GET", path: "/v1/panic", status: 500, code: apperr.Internal},
		{name: "retry after rounds up", method: "GET", path: "/v1/slow", status: 429, code: apperr.TooManyRequests, header: [2]string{"Retry-After", "3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ran := false
			srv := testServer(t, &ran)
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			} else if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.authz != "" {
				req.Header.Set("Authorization", tc.authz)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if ran != tc.handlerRuns && (tc.status == 200) {
				t.Fatalf("handler ran = %v", ran)
			}
			if tc.status >= 400 && ran {
				t.Fatal("handler ran on a refused request")
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
			if tc.header[0] != "" && rec.Header().Get(tc.header[0]) != tc.header[1] {
				t.Errorf("%s = %q, want %q", tc.header[0], rec.Header().Get(tc.header[0]), tc.header[1])
			}
			if tc.code == "" {
				return
			}
			var body ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body not JSON: %s", rec.Body)
			}
			if body.Error.Code != tc.code || body.RequestID == "" || body.Error.Message == "" {
				t.Fatalf("body %+v", body)
			}
			if tc.code == apperr.Internal && (body.Error.Message != "internal error" || strings.Contains(rec.Body.String(), "secret")) {
				t.Fatalf("internal details leaked: %s", rec.Body)
			}
			if tc.field != "" && body.Error.Fields[tc.field] == "" {
				t.Fatalf("no message for field %q: %+v", tc.field, body.Error.Fields)
			}
		})
	}
}
