package catalogue_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// owned makes, in organisation a, one object for a kind of path parameter and returns its id.
// A route with a path parameter not listed here fails the walk: add how to make one.
var owned = map[string]func(t *testing.T, c *testflows.Client, a testflows.Account) string{
	"userId": func(t *testing.T, c *testflows.Client, a testflows.Account) string {
		r := c.Call("POST", "/v1/users", fmt.Sprintf(`{"fullName":"Секретный Сотрудник","email":"secret@example.ru","phone":%q,"role":"user"}`, testenv.UniquePhone()), a.Token())
		testflows.Expect(t, r, 201, "make a user")
		return r.S("id")
	},
	"id": func(t *testing.T, c *testflows.Client, a testflows.Account) string { // a challenge (password change)
		r := c.Call("POST", "/v1/me/password", `{"newPassword":"Drugoi-Parol-2026","newPasswordRepeat":"Drugoi-Parol-2026"}`, a.Token())
		testflows.Expect(t, r, 202, "make a challenge")
		return r.S("challengeId")
	},
	"orgId": func(t *testing.T, c *testflows.Client, a testflows.Account) string { return a.OrgID },
	"appId": func(t *testing.T, c *testflows.Client, a testflows.Account) string { // an agent API credential (A12)
		r := c.Call("POST", "/v1/api-credentials", "", a.Token())
		testflows.Expect(t, r, 201, "make an API credential")
		return r.S("appId")
	},
	// a is an agent organisation, which cannot have partner keys (licensees do): any key id.
	"keyId": func(*testing.T, *testflows.Client, testflows.Account) string { return "01KAPIKEYSNOPARTNERKEY0000" },
	"entryId": func(t *testing.T, c *testflows.Client, a testflows.Account) string { // an IP allowlist entry (D6)
		// 203.0.0.0/8 holds every testenv.UniqueIP, so a's users still log in.
		r := c.Call("POST", "/v1/ip-allowlist", `{"address":"203.0.0.0/8","comment":"Секретный Сотрудник"}`, a.Token())
		testflows.Expect(t, r, 201, "make an allowlist entry")
		return r.S("id")
	},
	"applicationId": func(t *testing.T, c *testflows.Client, a testflows.Account) string { // a draft application (A5)
		r := c.Call("POST", "/v1/applications", `{"company":{"inn":"7707083893","shortName":"Секретный Сотрудник"},"contact":{"email":"secret@example.ru"}}`, a.Token())
		testflows.Expect(t, r, 201, "make an application")
		return r.S("id")
	},
	"documentId": func(t *testing.T, c *testflows.Client, a testflows.Account) string { // a document of a draft (A5)
		app := c.Call("POST", "/v1/applications", `{"company":{"inn":"7707083893"}}`, a.Token())
		testflows.Expect(t, app, 201, "make an application for a document")
		r := c.Call("POST", "/v1/applications/"+app.S("id")+"/documents", `{"typeId":1,"fileName":"Секретный Сотрудник.pdf","size":1000}`, a.Token())
		testflows.Expect(t, r, 201, "make a document")
		return r.Body["document"].(map[string]any)["id"].(string)
	},
	// Not objects of a: a document type of the bank's list (seed 004's doctype and docle).
	"doctype": func(*testing.T, *testflows.Client, testflows.Account) string { return "1" },
	"docle":   func(*testing.T, *testflows.Client, testflows.Account) string { return "LEGAL_ENTITY" },
	// Not an object of a: a company of the public register (the DaData simulator's Sberbank).
	"inn": func(*testing.T, *testflows.Client, testflows.Account) string { return dadatasim.Companies()[0].INN },
	"reportId": func(t *testing.T, c *testflows.Client, a testflows.Account) string { // a report request (A9)
		r := c.Call("POST", "/v1/reports", `{"columns":["shortName","contactEmail"],"from":"2026-01-01","to":"2026-01-31","format":"csv","delivery":"download"}`, a.Token())
		testflows.Expect(t, r, 202, "request a report")
		return r.S("id")
	},
}

// public are the path parameters naming public data that any organisation may read (the
// company register, the bank's document types): the walk checks only that none of a's data shows up in the answer.
var public = map[string]bool{"inn": true, "doctype": true, "docle": true}

var param = regexp.MustCompile(`\{(\w+)\}`)

// TestAccessWalk walks every route of the Session scheme in the catalogue and shows that
// without credentials it answers 401; that a user of another organisation, given the ids of
// this organisation's objects, gets 404 or 403 and none of its data; and that a role the
// route does not allow gets 403. New routes are covered without editing this test.
func TestAccessWalk(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	a := c.Ready() // the owner of every object
	b := c.Ready() // the intruder
	ids := map[string]string{}
	for _, r := range catalogue.Routes() {
		for _, m := range param.FindAllStringSubmatch(r.Path, -1) {
			if _, done := ids[m[1]]; done || r.Auth != httpapi.Session {
				continue
			}
			make, ok := owned[m[1]]
			if !ok {
				t.Fatalf("route %s %s takes {%s}: add to owned how to make one", r.Method, r.Path, m[1])
			}
			ids[m[1]] = make(t, c, a)
		}
	}
	// What of a must never show up in b's answers.
	secrets := []string{a.UserID, a.OrgID, a.Phone, "Секретный Сотрудник", "secret@example.ru"}

	// One user per role in a, for the role checks.
	roleTokens := map[string]string{string(identity.Superuser): a.Token()}
	for _, role := range []identity.Role{identity.Head, identity.Administrator, identity.Member} {
		phone := testenv.UniquePhone()
		r := c.Call("POST", "/v1/users", fmt.Sprintf(`{"fullName":"Роль %s","email":"r@example.ru","phone":%q,"role":%q}`, role, phone, role), a.Token())
		testflows.Expect(t, r, 201, "invite "+string(role))
		c.DeliverSMS()
		temp := regexp.MustCompile(`временный пароль: (\S+)\.`).FindStringSubmatch(c.Env.SMS.Messages(phone)[0].Text)[1]
		login := c.Login(phone, temp)
		testflows.Expect(t, login, 200, "login "+string(role))
		roleTokens[string(role)] = c.ChangePassword(phone, login.S("accessToken"), testflows.NewPassword).S("accessToken")
	}

	intruder := b.Token()
	for _, r := range catalogue.Routes() {
		if r.API != httpapi.Client || r.Auth != httpapi.Session {
			continue
		}
		// A route may end the intruder's session (logout, password change): log in again.
		if c.Call("GET", "/v1/me", "", intruder).Status == 401 {
			login := c.Login(b.Phone, testflows.NewPassword)
			testflows.Expect(t, login, 200, "intruder logs in again")
			intruder = login.S("accessToken")
		}
		path := param.ReplaceAllStringFunc(r.Path, func(p string) string { return ids[strings.Trim(p, "{}")] })
		ownsObject := slices.ContainsFunc(param.FindAllStringSubmatch(r.Path, -1), func(m []string) bool { return !public[m[1]] })
		name := r.Method + " " + r.Path
		t.Run(name, func(t *testing.T) {
			testflows.Expect(t, c.Call(r.Method, path, r.Example, ""), 401, "no credentials")
			got := c.Call(r.Method, path, r.Example, intruder)
			if ownsObject && got.Status != 404 && got.Status != 403 {
				t.Errorf("another organisation on %s: status %d, want 404 or 403: %v", path, got.Status, got.Body)
			}
			for _, s := range secrets {
				if strings.Contains(fmt.Sprint(got.Body), s) {
					t.Errorf("another organisation's data %q in the answer: %v", s, got.Body)
				}
			}
			if len(r.Roles) == 0 {
				return
			}
			for role, tok := range roleTokens {
				if slices.Contains(r.Roles, role) {
					continue
				}
				testflows.Expect(t, c.Call(r.Method, path, r.Example, tok), 403, "role "+role)
			}
		})
	}
}
