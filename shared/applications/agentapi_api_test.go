package applications_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

const modificationPath = "/api/voz/agentapi/document/modification"

// agentKey makes an agent API credential (A12) of the account's organisation and returns the
// Basic header for it.
func agentKey(t *testing.T, c *testflows.Client, token string) map[string]string {
	t.Helper()
	cred := c.Call("POST", "/v1/api-credentials", "", token)
	expect(t, cred, 201, "make an API credential")
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.S("appId")+":"+cred.S("sharedKey")))}
}

func nested(r testenv.Reply, section, field string) string {
	app, _ := r.Body["application"].(map[string]any)
	if section == "" {
		s, _ := app[field].(string)
		return s
	}
	m, _ := app[section].(map[string]any)
	s, _ := m[field].(string)
	return s
}

// A12, seed 000: documentId null creates an application (as the key's owner, or as the agent
// agentId names), a documentId updates only the fields sent; the departments ids resolve into
// the office; errors use the seed's field names; another organisation's documentId, a
// document that is no longer editable and unknown agents are refused.
func TestAgentAPIModification(t *testing.T) {
	client := testflows.New(t, httpapi.Client)
	partner := testflows.New(t, httpapi.Partner)
	head := client.Ready()
	basic := agentKey(t, client, head.Token())
	call := func(body string, h map[string]string) testenv.Reply {
		return partner.Do(testenv.Request{Method: "POST", Path: modificationPath, Body: body, Header: h})
	}

	expect(t, call(`{"documentId":null}`, nil), 401, "no credentials")

	r := call(`{"tin":"7707083893","crr":"773601001","company":"ПАО Сбербанк","fullName":"Иванов Иван Иванович",
		"phone":"79161234567","idOffice":"77-001-01","idCity":"77-001","email":"ivanov@example.ru",
		"comment":"Позвонить после 15:00","documentId":null,"agentId":null}`, basic)
	expect(t, r, 201, "create")
	number, _ := r.Body["documentId"].(float64)
	id := nested(r, "", "id")
	if number < 1 || r.Body["created"] != true || id == "" {
		t.Fatalf("create answer: %v", r.Body)
	}
	for _, c := range []struct{ section, field, want string }{
		{"company", "inn", "7707083893"}, {"company", "kpp", "773601001"}, {"company", "shortName", "ПАО Сбербанк"},
		{"contact", "fullName", "Иванов Иван Иванович"}, {"contact", "phone", "+79161234567"}, {"contact", "email", "ivanov@example.ru"},
		{"office", "city", "Москва"}, {"office", "office", "Центральный офис"}, {"office", "idCity", "77-001"}, {"office", "idOffice", "77-001-01"},
		{"", "comment", "Позвонить после 15:00"}, {"", "status", "draft"}, {"", "createdBy", head.UserID},
	} {
		if got := nested(r, c.section, c.field); got != c.want {
			t.Errorf("%s.%s = %q, want %q", c.section, c.field, got, c.want)
		}
	}
	// The head sees it in the cabinet with the same number.
	got := client.Call("GET", "/v1/applications/"+id, "", head.Token())
	expect(t, got, 200, "the head reads it")
	if got.Body["number"] != number {
		t.Fatalf("number in the cabinet: %v, agent API said %v", got.Body["number"], number)
	}

	// Update by number, as a number and as a string: only what is sent changes.
	r = call(fmt.Sprintf(`{"comment":"Перезвонить завтра","documentId":%d}`, int64(number)), basic)
	expect(t, r, 200, "update by number")
	if r.Body["created"] != false || nested(r, "", "comment") != "Перезвонить завтра" || nested(r, "company", "inn") != "7707083893" || nested(r, "office", "office") != "Центральный офис" {
		t.Fatalf("update answer: %v", r.Body)
	}
	r = call(fmt.Sprintf(`{"idCity":"78-001","documentId":"%d"}`, int64(number)), basic)
	expect(t, r, 200, "another city, documentId as a string")
	if nested(r, "office", "city") != "Санкт-Петербург" || nested(r, "office", "office") != "" || nested(r, "office", "idOffice") != "" {
		t.Fatalf("city change keeps no office of the old city: %v", r.Body)
	}

	// Errors in the seed's field names.
	for _, c := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"bad INN", `{"tin":"7707083890","documentId":null}`, 400, "tin"},
		{"bad KPP", `{"tin":"7707083893","crr":"77360100","documentId":null}`, 400, "crr"},
		{"bad phone", `{"phone":"12","documentId":null}`, 400, "phone"},
		{"bad e-mail", `{"email":"nobody","documentId":null}`, 400, "email"},
		{"unknown office", `{"idCity":"77-001","idOffice":"78-001-01","documentId":null}`, 400, "idOffice"},
		{"unknown city", `{"idCity":"00-000","documentId":null}`, 400, "idCity"},
		{"unknown agent", `{"agentId":"01ARZ3NDEKTSV4RRFFQ69G5FAV","documentId":null}`, 400, "agentId"},
		{"numeric agent", `{"agentId":1,"documentId":null}`, 400, "agentId"},
		{"unknown document", `{"comment":"x","documentId":999999}`, 404, ""},
		{"document not a number", `{"comment":"x","documentId":"abc"}`, 404, ""},
		{"documentId of a wrong type", `{"documentId":true}`, 400, ""},
		{"unknown field", `{"documentId":null,"inn":"7707083893"}`, 400, ""},
	} {
		r := call(c.body, basic)
		expect(t, r, c.status, c.name)
		if c.field != "" {
			e, _ := r.Body["error"].(map[string]any)
			if f, _ := e["fields"].(map[string]any); f[c.field] == nil {
				t.Errorf("%s: no error for field %q: %v", c.name, c.field, r.Body)
			}
		}
	}

	// agentId: a member of the organisation gets the application; it sees it, and an update
	// naming another agent finds nothing.
	memberToken := member(t, client, head.Token(), "user", "", "Агентов Агент Агентович")
	me := client.Call("GET", "/v1/me", "", memberToken)
	expect(t, me, 200, "member me")
	r = call(fmt.Sprintf(`{"company":"ООО Ромашка","agentId":%q,"documentId":null}`, me.S("id")), basic)
	expect(t, r, 201, "create for an agent")
	if nested(r, "", "createdBy") != me.S("id") {
		t.Fatalf("created for %q, want %q", nested(r, "", "createdBy"), me.S("id"))
	}
	memberNumber, _ := r.Body["documentId"].(float64)
	expect(t, client.Call("GET", "/v1/applications/"+nested(r, "", "id"), "", memberToken), 200, "the agent sees it")
	expect(t, call(fmt.Sprintf(`{"comment":"x","agentId":%q,"documentId":%d}`, me.S("id"), int64(number)), basic), 404, "another agent's application")
	expect(t, call(fmt.Sprintf(`{"comment":"x","agentId":%q,"documentId":%d}`, me.S("id"), int64(memberNumber)), basic), 200, "the agent's own application")

	// Another organisation: neither its numbers nor its ids reach ours, nor its agents.
	other := client.Ready()
	otherKey := agentKey(t, client, other.Token())
	expect(t, call(fmt.Sprintf(`{"comment":"x","documentId":%d}`, int64(number)), otherKey), 404, "our number from another organisation")
	expect(t, call(fmt.Sprintf(`{"comment":"x","documentId":%q}`, id), otherKey), 404, "our id from another organisation")
	expect(t, call(fmt.Sprintf(`{"agentId":%q,"documentId":null}`, me.S("id")), otherKey), 400, "our agent from another organisation")

	// A document the bank has closed is no longer editable.
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Advance(context.Background(), id, "annulled", "test-bank-user", "клиент отказался"); err != nil {
		t.Fatal(err)
	}
	expect(t, call(fmt.Sprintf(`{"comment":"x","documentId":%d}`, int64(number)), basic), 409, "annulled")
}

// A retried create with the same Idempotency-Key makes one application.
func TestAgentAPIIdempotentCreate(t *testing.T) {
	client := testflows.New(t, httpapi.Client)
	partner := testflows.New(t, httpapi.Partner)
	head := client.Ready()
	h := agentKey(t, client, head.Token())
	h["Idempotency-Key"] = "agent-create-1"
	body := `{"tin":"7707083893","company":"ПАО Сбербанк","documentId":null}`
	first := partner.Do(testenv.Request{Method: "POST", Path: modificationPath, Body: body, Header: h})
	expect(t, first, 201, "create")
	again := partner.Do(testenv.Request{Method: "POST", Path: modificationPath, Body: body, Header: h})
	expect(t, again, 201, "retry")
	if first.Body["documentId"] != again.Body["documentId"] {
		t.Fatalf("retry made another application: %v then %v", first.Body["documentId"], again.Body["documentId"])
	}
	expect(t, partner.Do(testenv.Request{Method: "POST", Path: modificationPath, Body: `{"tin":"7707083893","documentId":null}`, Header: h}), 422, "same key, another body")
	list := client.Call("GET", "/v1/applications", "", head.Token())
	expect(t, list, 200, "list")
	if items, _ := list.Body["items"].([]any); len(items) != 1 {
		t.Fatalf("%d applications, want 1", len(items))
	}
}
