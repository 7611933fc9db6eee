package apidocs

import (
	"encoding/json"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

func TestDocument(t *testing.T) {
	routes := []httpapi.Route{
		{API: httpapi.Backoffice, Method: "POST", Path: "/api/login", Function: "backoffice/login", Auth: httpapi.Public, Example: "username=a&password=b"},
		{API: httpapi.Backoffice, Method: "PUT", Path: "/v1/things/{thingId}", Function: "things/thing-update", Auth: httpapi.BackofficeID,
			Roles: []string{"1"}, Example: `{"version":1}`, Idempotent: true},
		{API: httpapi.Client, Method: "GET", Path: "/v1/other", Function: "other/get", Auth: httpapi.Session},
	}
	doc := Document(routes, httpapi.Backoffice, "1.2.3")
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]struct {
			Parameters  []map[string]any          `json:"parameters"`
			Security    []map[string][]string     `json:"security"`
			RequestBody map[string]map[string]any `json:"requestBody"`
			Responses   map[string]any            `json:"responses"`
			Roles       []string                  `json:"x-roles"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Paths) != 2 || d.Paths["/v1/other"] != nil {
		t.Fatalf("paths: %s", b)
	}
	login := d.Paths["/api/login"]["post"]
	if len(login.Security) != 0 || login.RequestBody["content"]["application/x-www-form-urlencoded"] == nil || login.Responses["401"] != nil {
		t.Fatalf("login: %+v", login)
	}
	put := d.Paths["/v1/things/{thingId}"]["put"]
	if len(put.Parameters) != 2 || put.Parameters[0]["name"] != "thingId" || put.Parameters[1]["name"] != "Idempotency-Key" {
		t.Fatalf("parameters: %+v", put.Parameters)
	}
	if len(put.Security) != 2 || put.Security[1]["userLkb"] == nil || put.Roles[0] != "1" || put.Responses["409"] == nil || put.Responses["403"] == nil {
		t.Fatalf("put: %+v", put)
	}
	if put.RequestBody["content"]["application/json"] == nil {
		t.Fatalf("body: %+v", put.RequestBody)
	}
}
