package members_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var expect = testflows.Expect

var tempRe = regexp.MustCompile(`временный пароль: (\S+)\.`)

// invite invites a user and returns its id, phone and temporary password (from the SMS).
func invite(t *testing.T, c *testflows.Client, token, role, groupID, name string) (id, phone, temp string) {
	t.Helper()
	phone = testenv.UniquePhone()
	email := strings.ToLower(strings.ReplaceAll(phone, "+", "u")) + "@example.ru"
	r := c.Call("POST", "/v1/users", fmt.Sprintf(`{"fullName":%q,"email":%q,"phone":%q,"role":%q,"groupId":%q}`, name, email, phone, role, groupID), token)
	expect(t, r, 201, "invite "+role)
	if r.S("status") != "awaiting_confirmation" || r.Body["mustChangePassword"] != true {
		t.Fatalf("invited: %v", r.Body)
	}
	c.DeliverSMS()
	msgs := c.Env.SMS.Messages(phone)
	m := tempRe.FindStringSubmatch(msgs[len(msgs)-1].Text)
	if m == nil {
		t.Fatalf("no temporary password in %q", msgs[len(msgs)-1].Text)
	}
	return r.S("id"), phone, m[1]
}

// member logs an invited user in and changes its temporary password; it returns the token.
func member(t *testing.T, c *testflows.Client, phone, temp string) string {
	t.Helper()
	r := c.Login(phone, temp)
	expect(t, r, 200, "invited user's first login")
	return c.ChangePassword(phone, r.S("accessToken"), testflows.NewPassword).S("accessToken")
}

func TestGroupsAndInvitations(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()

	g := c.Call("POST", "/v1/groups", `{"name":"Отдел  продаж"}`, tok)
	expect(t, g, 201, "create group")
	if g.S("name") != "Отдел продаж" {
		t.Fatalf("name not normalised: %v", g.Body)
	}
	expect(t, c.Call("POST", "/v1/groups", `{"name":"отдел продаж"}`, tok), 409, "group name taken (any case)")
	expect(t, c.Call("POST", "/v1/groups", `{"name":""}`, tok), 400, "empty group name")
	groupID := g.S("id")

	adminID, adminPhone, adminTemp := invite(t, c, tok, "administrator", groupID, "Администратор Анна")
	userID, userPhone, userTemp := invite(t, c, tok, "user", groupID, "Пользователь Пётр")
	otherID, _, _ := invite(t, c, tok, "user", "", "Другой Дмитрий")

	// The invitation also went by e-mail.
	c.DeliverMail()
	mails := c.Env.Mail.Messages("")
	found := false
	for _, m := range mails {
		found = found || strings.Contains(m.Text, adminTemp)
	}
	if !found {
		t.Error("invitation e-mail with the login details not delivered")
	}

	// Invalid invitations.
	expect(t, c.Call("POST", "/v1/users", `{"fullName":"X Y","email":"bad","phone":"1","role":"god"}`, tok), 400, "invalid invite")
	expect(t, c.Call("POST", "/v1/users", fmt.Sprintf(`{"fullName":"Дубль","email":"d@example.ru","phone":%q,"role":"user"}`, userPhone), tok), 409, "phone taken")
	expect(t, c.Call("POST", "/v1/users", `{"fullName":"Без группы","email":"g@example.ru","phone":"+79160000001","role":"user","groupId":"01KAXQ7ZJ3M1P2Q3R4S5T6V7W8"}`, tok), 400, "unknown group")

	// First login confirms the invitation (A15).
	adminTok := member(t, c, adminPhone, adminTemp)
	if r := c.Call("GET", "/v1/users/"+adminID, "", tok); r.S("status") != "active" {
		t.Fatalf("after first login: %v", r.Body)
	}

	// Search by name, filter by status and group (A16).
	list := func(query, token string) []string {
		r := c.Call("GET", "/v1/users?"+query, "", token)
		expect(t, r, 200, "list "+query)
		var names []string
		for _, it := range r.Body["items"].([]any) {
			names = append(names, it.(map[string]any)["fullName"].(string))
		}
		return names
	}
	if got := list("q=польз", tok); len(got) != 1 || got[0] != "Пользователь Пётр" {
		t.Fatalf("name search: %v", got)
	}
	if got := list("status=awaiting_confirmation", tok); len(got) != 2 {
		t.Fatalf("status filter: %v", got)
	}
	if got := list("groupId="+groupID, tok); len(got) != 2 {
		t.Fatalf("group filter: %v", got)
	}
	expect(t, c.Call("GET", "/v1/users?status=sleeping", "", tok), 400, "unknown status")

	// The administrator sees and manages only its group's plain users (A17).
	if got := list("", adminTok); len(got) != 2 {
		t.Fatalf("administrator sees %v", got)
	}
	expect(t, c.Call("GET", "/v1/users/"+otherID, "", adminTok), 403, "administrator, user outside the group")
	expect(t, c.Call("POST", "/v1/users", `{"fullName":"Новый Начальник","email":"h@example.ru","phone":"+79160000002","role":"head"}`, adminTok), 403, "administrator inviting a head")
	expect(t, c.Call("POST", "/v1/users/"+userID+"/refuse", "", adminTok), 200, "administrator marks its group's invitee refused")
	expect(t, c.Call("POST", "/v1/users/"+userID+"/refuse", "", adminTok), 409, "refused twice")
	expect(t, c.Login(userPhone, userTemp), 403, "login of a refused user")
	expect(t, c.Call("PATCH", "/v1/users/"+adminID, `{"role":"head"}`, adminTok), 403, "administrator promoting itself")

	// Resend only while awaiting confirmation.
	expect(t, c.Call("POST", "/v1/users/"+adminID+"/resend-invitation", "", tok), 409, "resend to an active user")
	r := c.Call("POST", "/v1/users/"+otherID+"/resend-invitation", "", tok)
	expect(t, r, 200, "resend")

	// Role change is audited.
	expect(t, c.Call("PATCH", "/v1/users/"+adminID, `{"role":"head"}`, tok), 200, "promote")
	expect(t, c.Call("PATCH", "/v1/users/"+adminID, `{}`, tok), 400, "empty update")
	audit := c.Call("GET", "/v1/audit", "", tok)
	if !strings.Contains(fmt.Sprint(audit.Body["items"]), "role_changed") {
		t.Fatalf("role change not audited: %v", audit.Body)
	}

	// A plain user cannot list users.
	expect(t, c.Call("GET", "/v1/users", "", adminTok), 200, "head lists")
}

func TestBlockAndUnblock(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	id, phone, temp := invite(t, c, tok, "user", "", "Иванова Мария")
	userTok := member(t, c, phone, temp)
	expect(t, c.Call("GET", "/v1/users", "", userTok), 403, "a plain user lists users")
	expect(t, c.Call("GET", "/v1/users/"+id, "", userTok), 200, "a user sees itself")

	expect(t, c.Call("POST", "/v1/users/"+id+"/block", "", tok), 200, "block")
	expect(t, c.Call("GET", "/v1/me", "", userTok), 401, "session of a blocked user")
	expect(t, c.Login(phone, testflows.NewPassword), 403, "login of a blocked user")
	expect(t, c.Call("POST", "/v1/users/"+id+"/block", "", tok), 409, "block twice")
	expect(t, c.Call("POST", "/v1/users/"+id+"/unblock", "", tok), 200, "unblock")
	expect(t, c.Login(phone, testflows.NewPassword), 200, "login after unblock")
	expect(t, c.Call("POST", "/v1/users/"+boss.UserID+"/block", "", tok), 403, "blocking oneself")
}

func TestOtherOrganisationSeesNothing(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	a := c.Ready()
	b := c.Ready()
	id, _, _ := invite(t, c, a.Token(), "user", "", "Сотрудник Альфа")
	for _, call := range []struct{ method, path, body string }{
		{"GET", "/v1/users/" + id, ""},
		{"PATCH", "/v1/users/" + id, `{"role":"head"}`},
		{"POST", "/v1/users/" + id + "/block", ""},
		{"POST", "/v1/users/" + id + "/resend-invitation", ""},
	} {
		r := c.Call(call.method, call.path, call.body, b.Token())
		expect(t, r, 404, "another organisation: "+call.method+" "+call.path)
		if strings.Contains(fmt.Sprint(r.Body), "Альфа") {
			t.Fatal("data of another organisation leaked")
		}
	}
	r := c.Call("GET", "/v1/users?q=сотрудник", "", b.Token())
	if items := r.Body["items"].([]any); len(items) != 0 {
		t.Fatalf("another organisation's users listed: %v", items)
	}
	g := c.Call("GET", "/v1/groups", "", b.Token())
	expect(t, g, 200, "groups")
}

// A2: bank staff activate an agent organisation on the back-office API; until then its users
// can only reach their profile, password change and logout.
func TestBankActivatesAgent(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	phone, temp := c.Register()
	r := c.Login(phone, temp)
	tokens := c.ChangePassword(phone, r.S("accessToken"), testflows.NewPassword)
	me := c.Call("GET", "/v1/me", "", tokens.S("accessToken"))
	orgID := me.S("orgId")
	expect(t, c.Call("GET", "/v1/groups", "", tokens.S("accessToken")), 403, "before activation")

	if _, err := bowire.Bootstrap(context.Background(), "bank-admin", "Bank-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	expect(t, c.Login("bank-admin", "Bank-Admin-2026"), 403, "bank staff on the client API")
	bo := testflows.New(t, httpapi.Backoffice)
	login := bo.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: "username=bank-admin&password=Bank-Admin-2026",
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	expect(t, login, 200, "bank login")
	cookie := strings.Split(login.Header.Get("Set-Cookie"), ";")[0]
	activate := func(id string, withCookie bool) testenv.Reply {
		h := map[string]string{}
		if withCookie {
			h["Cookie"] = cookie
		}
		return bo.Do(testenv.Request{Method: "POST", Path: "/v1/agents/" + id + "/activate", Header: h})
	}
	expect(t, activate(orgID, false), 401, "activation without credentials")
	a := activate(orgID, true)
	expect(t, a, 200, "activation")
	if a.S("status") != "active" {
		t.Fatalf("activated: %v", a.Body)
	}
	expect(t, activate(orgID, true), 409, "activated twice")
	expect(t, activate("01KAXQ7ZJ3M1P2Q3R4S5T6V7W8", true), 404, "unknown organisation")
	expect(t, c.Call("GET", "/v1/groups", "", tokens.S("accessToken")), 200, "after activation")
	if me := c.Call("GET", "/v1/me", "", tokens.S("accessToken")); me.S("status") != "active" || me.S("orgStatus") != "active" {
		t.Fatalf("me after activation: %v", me.Body)
	}
}
