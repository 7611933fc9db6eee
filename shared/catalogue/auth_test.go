package catalogue_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// TestProtectedRoutesRefuseAnonymousCalls walks the whole catalogue: every route that is not
// public answers 401 without credentials, and its handler never runs. New routes are covered
// without editing this test.
func TestProtectedRoutesRefuseAnonymousCalls(t *testing.T) {
	testenv.Get(t) // the authenticators read their configuration from the functions' environment
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range catalogue.Routes() {
		if r.Auth == httpapi.Public {
			continue
		}
		t.Run(string(r.API)+" "+r.Method+" "+r.Path, func(t *testing.T) {
			ran := false
			srv := httpapi.NewServer(auth, httpapi.Mounted{Route: r, Handler: func(w http.ResponseWriter, _ *http.Request) error {
				ran = true
				return nil
			}})
			path := strings.NewReplacer("{", "", "}", "").Replace(r.Path) // any value for path parameters
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(r.Method, path, strings.NewReader("{}")))
			if rec.Code != http.StatusUnauthorized || ran {
				t.Fatalf("status %d, handler ran %v", rec.Code, ran)
			}
		})
	}
}
