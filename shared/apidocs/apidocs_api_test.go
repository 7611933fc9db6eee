package apidocs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Issue 5 (seed 004 getSwaggerFile): the OpenAPI document of the back-office API holds every
// back-office route of the catalogue — any route added later included — with its method, path
// parameters and authentication, and nothing of the other APIs; it is served as openapi.json
// and swagger.json to bank users (401 without credentials), 404 for other names.
func TestOpenAPIDocument(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	auth, err := catalogue.Authenticators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var mine []httpapi.Route
	for _, r := range catalogue.Routes() {
		if r.Function == "apidocs/swagger" {
			mine = append(mine, r)
		}
	}
	api := testenv.NewAPI(t, auth, mine)
	if _, err := bowire.Bootstrap(ctx, "apidocs-admin", "Apidocs-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"X-Authorization": env.Params["BackofficeApiKey"]}

	testflows.Expect(t, api.Do(testenv.Request{Method: "GET", Path: "/api/swagger/openapi.json"}), 401, "without credentials")
	r := api.Do(testenv.Request{Method: "GET", Path: "/api/swagger/other.yaml", Header: key})
	testflows.Expect(t, r, 404, "another file")

	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Info       map[string]any                        `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]map[string]string `json:"securitySchemes"`
			Responses       map[string]any               `json:"responses"`
		} `json:"components"`
	}
	for _, name := range []string{"openapi.json", "swagger.json"} {
		resp := api.DoRaw(testenv.Request{Method: "GET", Path: "/api/swagger/" + name, Header: key})
		if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: %d %v", name, resp.Status, resp.Header)
		}
		if err := json.Unmarshal(resp.Body, &doc); err != nil {
			t.Fatalf("%s is not JSON: %v", name, err)
		}
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info["version"] == "" {
		t.Fatalf("header: %s %v", doc.OpenAPI, doc.Info)
	}
	if doc.Components.SecuritySchemes["session"]["name"] != "JSESSION" || doc.Components.SecuritySchemes["apiKey"]["name"] != "X-Authorization" ||
		doc.Components.SecuritySchemes["userLkb"]["name"] != "User-LKB" {
		t.Fatalf("security schemes: %v", doc.Components.SecuritySchemes)
	}

	want := 0
	for _, rt := range catalogue.Routes() {
		method := strings.ToLower(rt.Method)
		op, ok := doc.Paths[rt.Path][method]
		if rt.API != httpapi.Backoffice {
			if ok && !servedOnBackoffice(rt) {
				t.Errorf("%s %s of the %s API is in the back-office document", rt.Method, rt.Path, rt.API)
			}
			continue
		}
		want++
		if !ok {
			t.Errorf("%s %s (%s) is missing", rt.Method, rt.Path, rt.Function)
			continue
		}
		var o struct {
			OperationID string           `json:"operationId"`
			Parameters  []map[string]any `json:"parameters"`
			Security    []map[string]any `json:"security"`
			Responses   map[string]any   `json:"responses"`
			RequestBody map[string]any   `json:"requestBody"`
		}
		if err := json.Unmarshal(op, &o); err != nil {
			t.Fatal(err)
		}
		if o.OperationID != strings.Replace(rt.Function, "/", ".", 1) || o.Responses["200"] == nil {
			t.Errorf("%s %s: %s", rt.Method, rt.Path, op)
		}
		params := strings.Count(rt.Path, "{")
		inPath := 0
		for _, p := range o.Parameters {
			if p["in"] == "path" && strings.Contains(rt.Path, "{"+p["name"].(string)+"}") && p["required"] == true {
				inPath++
			}
		}
		if inPath != params {
			t.Errorf("%s %s: path parameters %v", rt.Method, rt.Path, o.Parameters)
		}
		switch rt.Auth {
		case httpapi.Public:
			if len(o.Security) != 0 || o.Responses["401"] != nil {
				t.Errorf("%s %s is public: %s", rt.Method, rt.Path, op)
			}
		case httpapi.BackofficeID:
			if len(o.Security) < 2 || o.Security[0]["session"] == nil || o.Responses["401"] == nil {
				t.Errorf("%s %s needs a bank user: %s", rt.Method, rt.Path, op)
			}
		}
		if rt.Example != "" && o.RequestBody == nil {
			t.Errorf("%s %s: the example body is missing", rt.Method, rt.Path)
		}
	}
	got := 0
	for _, ops := range doc.Paths {
		got += len(ops)
	}
	if got != want || want == 0 {
		t.Fatalf("%d operations in the document, %d back-office routes", got, want)
	}
	for _, p := range []string{"/api/logo/login", "/api/swagger/{swaggerFile}", "/api/user/info/"} {
		if doc.Paths[p] == nil {
			t.Errorf("%s is missing", p)
		}
	}
}

// servedOnBackoffice reports whether a route of another API shares its method and path with
// a back-office route (the same path may be served by both).
func servedOnBackoffice(r httpapi.Route) bool {
	for _, o := range catalogue.Routes() {
		if o.API == httpapi.Backoffice && o.Method == r.Method && o.Path == r.Path {
			return true
		}
	}
	return false
}
