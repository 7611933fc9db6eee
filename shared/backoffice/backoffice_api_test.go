package backoffice_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

const (
	adminLogin    = "admin"
	adminPassword = "Admin-Parol-2026"
	newPassword   = "Novyi-Parol-2026"
)

type office struct {
	*testenv.API
	t     *testing.T
	store *backofficedb.Store
	key   string
	admin string // the administrator's user id
}

// newOffice serves the back office's routes with the catalogue's authenticators, on a bank
// with its administrator.
func newOffice(t *testing.T) *office {
	t.Helper()
	env := testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	o := &office{API: testenv.NewAPI(t, auth, bowire.Routes()), t: t, key: env.Params["BackofficeApiKey"],
		store: &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}}
	if _, err := backoffice.Bootstrap(context.Background(), o.store, adminLogin, adminPassword); err != nil {
		t.Fatal(err)
	}
	u, err := o.store.UserByLogin(context.Background(), adminLogin)
	if err != nil {
		t.Fatal(err)
	}
	o.admin = u.ID
	return o
}

func expect(t *testing.T, r testenv.Reply, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %v", what, r.Status, status, r.Body)
	}
}

var seq int

// member creates a bank user with a temporary password: its id, login and password.
func (o *office) member(name string, roles ...backoffice.RoleID) (id, login, temp string) {
	o.t.Helper()
	seq++
	login = fmt.Sprintf("staff-%d-%s", seq, ulid.Make().String()[20:])
	u, temp, err := backoffice.CreateMember(context.Background(), o.store, backoffice.NewMember{Login: login, FullName: name,
		EmployeeID: "E-" + strconv.Itoa(seq), Roles: roles})
	if err != nil {
		o.t.Fatal(err)
	}
	return u.ID, login, temp
}

func (o *office) login(username, pw string) testenv.Reply {
	o.t.Helper()
	return o.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: url.Values{"username": {username}, "password": {pw}}.Encode(),
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
}

// cookie returns the JSESSION value a reply sets, checking the cookie's attributes.
func cookie(t *testing.T, r testenv.Reply) string {
	t.Helper()
	for _, sc := range r.Header.Values("Set-Cookie") {
		v, ok := strings.CutPrefix(sc, boauth.CookieName+"=")
		if !ok {
			continue
		}
		for _, attr := range []string{"; Path=/api", "; HttpOnly", "; Secure", "; SameSite=Strict"} {
			if !strings.Contains(sc, attr) {
				t.Fatalf("cookie %q lacks %q", sc, attr)
			}
		}
		v, _, _ = strings.Cut(v, ";")
		return v
	}
	t.Fatalf("no JSESSION cookie set: %v", r.Header)
	return ""
}

func (o *office) withKey(user string) map[string]string {
	h := map[string]string{"X-Authorization": o.key}
	if user != "" {
		h["User-LKB"] = user
	}
	return h
}

func (o *office) call(method, path, body string, h map[string]string) testenv.Reply {
	o.t.Helper()
	return o.Do(testenv.Request{Method: method, Path: path, Body: body, Header: h})
}

// ready logs a new member in and sets its first password: its id and session cookie.
func (o *office) ready(name string, roles ...backoffice.RoleID) (id, login, ck string) {
	o.t.Helper()
	id, login, temp := o.member(name, roles...)
	r := o.login(login, temp)
	expect(o.t, r, 200, "login with the temporary password")
	r = o.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+id+`","value":"`+newPassword+`"}`, testflows.WithCookie(cookie(o.t, r)))
	expect(o.t, r, 200, "firstlogin")
	return id, login, cookie(o.t, r)
}

func ids(items []map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		out[it["userId"].(string)] = true
	}
	return out
}

// outsider creates a user of an agent organisation: its id, login and password.
func (o *office) outsider() (id, login string) {
	o.t.Helper()
	hash, err := password.Hash(newPassword)
	if err != nil {
		o.t.Fatal(err)
	}
	org := identity.Org{ID: ulid.Make().String(), Kind: identity.AgentOrg, Name: "ООО Агент", Status: identity.StatusActive, CreatedAt: time.Now()}
	u := identity.User{ID: ulid.Make().String(), OrgID: org.ID, Role: identity.Superuser, Status: identity.StatusActive, FullName: "Агентов Агент",
		Login: testenv.UniquePhone(), PasswordHash: hash, CreatedAt: time.Now()}
	puts, err := identitydb.NewAccountPuts(o.store.Table, org, u)
	if err != nil {
		o.t.Fatal(err)
	}
	if _, err := o.store.DB.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{TransactItems: puts}); err != nil {
		o.t.Fatal(err)
	}
	return u.ID, u.Login
}

// block blocks a user as user management does: status and the end of every session.
func (o *office) block(id string) {
	o.t.Helper()
	_, err := o.store.DB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(o.store.Table), Key: identitydb.UserKey(id),
		UpdateExpression:          aws.String("SET #s = :b ADD sessionEpoch :one"),
		ExpressionAttributeNames:  map[string]string{"#s": "status"},
		ExpressionAttributeValues: dynamo.Item{":b": dynamo.S(identity.StatusBlocked), ":one": dynamo.N(1)},
	})
	if err != nil {
		o.t.Fatal(err)
	}
}

// POST /api/login with a form sets JSESSION; the cookie works; GET /api/logout ends it.
func TestLoginCookieLogout(t *testing.T) {
	o := newOffice(t)
	r := o.login(adminLogin, adminPassword)
	expect(t, r, 200, "login")
	ck := cookie(t, r)
	if r.S("userId") != o.admin || r.S("userFio") != "Администратор" || r.S("roleString") != "Администратор" || r.Body["firstPassword"] != false {
		t.Fatalf("login body: %v", r.Body)
	}
	if roles, _ := r.Body["roles"].([]any); len(roles) != 4 || roles[2].(map[string]any)["signer"] != true || roles[3].(map[string]any)["taker"] != true {
		t.Fatalf("roles: %v", r.Body["roles"])
	}
	if _, ok := r.Body["filterSettings"].(map[string]any); !ok {
		t.Fatalf("filterSettings: %v", r.Body)
	}
	other := cookie(t, o.login(adminLogin, adminPassword)) // a second browser

	info := o.call("GET", "/api/user/info/", "", testflows.WithCookie(ck))
	expect(t, info, 200, "user info by cookie")
	if info.S("userId") != o.admin || info.S("employeeId") != adminLogin {
		t.Fatalf("info: %v", info.Body)
	}
	if len(testflows.Array(t, o.API, "/api/user/list", testflows.WithCookie(ck))) == 0 {
		t.Fatal("empty user list")
	}
	sid, uid, _, _ := boauth.ParseCookie(ck)
	forged := sid + "." + uid + "." + strings.Repeat("A", 43)
	expect(t, o.call("GET", "/api/user/info/", "", testflows.WithCookie(forged)), 401, "forged secret")
	expect(t, o.call("GET", "/api/user/info/", "", testflows.WithCookie("garbage")), 401, "garbage cookie")
	expect(t, o.call("GET", "/api/user/info/", "", nil), 401, "no credentials")

	r = o.call("GET", "/api/logout", "", testflows.WithCookie(ck))
	expect(t, r, 200, "logout")
	if sc := r.Header.Get("Set-Cookie"); !strings.HasPrefix(sc, "JSESSION=;") || !strings.Contains(sc, "Max-Age=0") {
		t.Fatalf("logout does not clear the cookie: %q", sc)
	}
	expect(t, o.call("GET", "/api/user/info/", "", testflows.WithCookie(ck)), 401, "cookie after logout")
	expect(t, o.call("GET", "/api/logout", "", testflows.WithCookie(ck)), 401, "logout twice")
	expect(t, o.call("GET", "/api/user/info/", "", testflows.WithCookie(other)), 200, "the other browser")
}

func TestWrongPasswordLockoutAndBadForms(t *testing.T) {
	o := newOffice(t)
	_, login, _ := o.ready("Петрова Анна Сергеевна", backoffice.Operator)
	for i := range 5 {
		r := o.login(login, "Wrong-Password-1")
		expect(t, r, 401, fmt.Sprintf("wrong password %d", i+1))
		if r.Message() != "wrong login or password" || r.Header.Get("Set-Cookie") != "" {
			t.Fatalf("wrong password: %v %v", r.Body, r.Header)
		}
	}
	r := o.login(login, newPassword)
	expect(t, r, 429, "right password while locked")
	if wait, _ := strconv.Atoi(r.Header.Get("Retry-After")); wait < 50 || wait > 60 {
		t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
	}
	r = o.login("nobody-"+ulid.Make().String(), "Whatever-123")
	expect(t, r, 401, "unknown user")
	if r.Message() != "wrong login or password" {
		t.Fatalf("unknown user: %v", r.Body)
	}
	r = o.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: "username=" + login, Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	expect(t, r, 400, "missing password")
	if r.Field("password") == "" {
		t.Fatalf("missing password: %v", r.Body)
	}
	expect(t, o.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: `{"username":"admin","password":"x"}`}), 406, "JSON instead of a form")
	expect(t, o.call("GET", "/api/login", "", nil), 405, "GET /api/login")
	// A password in the query string does not count.
	expect(t, o.Do(testenv.Request{Method: "POST", Path: "/api/login?username=admin&password=" + adminPassword, Body: "x=1",
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}), 400, "credentials in the URL")
}

// X-Authorization with the API key, plus User-LKB for the user the call acts for.
func TestAPIKey(t *testing.T) {
	o := newOffice(t)
	id, _, _ := o.member("Сидоров Пётр Ильич", backoffice.Operator, backoffice.Signer)

	r := o.call("GET", "/api/user/info/", "", o.withKey(o.admin))
	expect(t, r, 200, "info as the administrator")
	if r.S("userId") != o.admin {
		t.Fatalf("info: %v", r.Body)
	}
	// A user with a temporary password is limited whichever way it is reached.
	expect(t, o.call("POST", "/api/user/role/3", "", o.withKey(id)), 403, "business operation of a user with a temporary password")
	expect(t, o.call("POST", "/api/user/role/3", "", o.withKey(o.admin)), 200, "business operation with User-LKB")
	expect(t, o.call("POST", "/api/user/role/1", "", o.withKey(o.admin)), 200, "back to administrator")

	// Without User-LKB: reads only, and nothing about a current user.
	if len(testflows.Array(t, o.API, "/api/user/list", o.withKey(""))) == 0 {
		t.Fatal("empty user list by API key")
	}
	r = o.call("POST", "/api/user/role/1", "", o.withKey(""))
	expect(t, r, 403, "business operation without User-LKB")
	if !strings.Contains(r.Message(), "User-LKB") {
		t.Fatalf("403 does not say why: %v", r.Body)
	}
	expect(t, o.call("GET", "/api/user/info/", "", o.withKey("")), 403, "user info without User-LKB")
	expect(t, o.call("POST", "/api/lkbuser/firstlogin", `{"value":"`+newPassword+`"}`, o.withKey("")), 403, "firstlogin without User-LKB")

	bad := map[string]string{"X-Authorization": o.key + "x", "User-LKB": o.admin}
	expect(t, o.call("GET", "/api/user/info/", "", bad), 401, "wrong API key")
	expect(t, o.call("GET", "/api/user/info/", "", map[string]string{"User-LKB": o.admin}), 401, "User-LKB alone")

	outsider, outLogin := o.outsider()
	for _, who := range []string{outsider, ulid.Make().String()} {
		r = o.call("GET", "/api/user/info/", "", o.withKey(who))
		expect(t, r, 403, "User-LKB of someone who is not bank staff")
		if r.S("userId") != "" || strings.Contains(fmt.Sprint(r.Body), "Агентов") {
			t.Fatalf("data of a non-bank user: %v", r.Body)
		}
	}
	expect(t, o.login(outLogin, newPassword), 401, "form login of a user of another organisation")
}

func TestStaffLists(t *testing.T) {
	o := newOffice(t)
	signer, _, _ := o.member("Подписантова Ольга", backoffice.Signer)
	executor, _, _ := o.member("Исполнителев Игорь", backoffice.Executor)
	operator, _, _ := o.member("Операционистов Олег", backoffice.Operator)
	blocked, _, _ := o.member("Заблокированный Борис", backoffice.Signer, backoffice.Executor)
	o.block(blocked)
	outsider, _ := o.outsider()

	all := ids(testflows.Array(t, o.API, "/api/user/list", o.withKey("")))
	signers := ids(testflows.Array(t, o.API, "/api/user/signer", o.withKey("")))
	takers := ids(testflows.Array(t, o.API, "/api/user/takers", o.withKey(o.admin)))
	for _, c := range []struct {
		name string
		set  map[string]bool
		in   []string
		out  []string
	}{
		{"list", all, []string{o.admin, signer, executor, operator}, []string{blocked, outsider}},
		{"signers", signers, []string{o.admin, signer}, []string{executor, operator, blocked, outsider}},
		{"takers", takers, []string{o.admin, executor}, []string{signer, operator, blocked, outsider}},
	} {
		for _, id := range c.in {
			if !c.set[id] {
				t.Errorf("%s lacks %s", c.name, id)
			}
		}
		for _, id := range c.out {
			if c.set[id] {
				t.Errorf("%s holds %s", c.name, id)
			}
		}
	}
	for _, it := range testflows.Array(t, o.API, "/api/user/signer", o.withKey("")) {
		for _, f := range []string{"userId", "userFio", "employeeId", "roleString", "firstPassword", "roles", "filterSettings"} {
			if _, ok := it[f]; !ok {
				t.Fatalf("signer lacks %s: %v", f, it)
			}
		}
		if it["userId"] == signer && (it["userFio"] != "Подписантова Ольга" || it["roleString"] != "Подписант" || it["firstPassword"] != true) {
			t.Fatalf("signer: %v", it)
		}
	}
}

func TestSetActiveRole(t *testing.T) {
	o := newOffice(t)
	_, _, ck := o.ready("Двуролев Денис", backoffice.Operator, backoffice.Signer)
	h := testflows.WithCookie(ck)
	expect(t, o.call("GET", "/api/user/info/", "", h), 200, "info")
	r := o.call("POST", "/api/user/role/3", "", h)
	expect(t, r, 200, "to signer")
	if r.S("roleString") != "Подписант" {
		t.Fatalf("after the switch: %v", r.Body)
	}
	if r = o.call("GET", "/api/user/info/", "", h); r.S("roleString") != "Подписант" {
		t.Fatalf("info after the switch: %v", r.Body)
	}
	expect(t, o.call("POST", "/api/user/role/4", "", h), 404, "a role the user lacks")
	expect(t, o.call("POST", "/api/user/role/99", "", h), 404, "no such role")
	r = o.call("POST", "/api/user/role/abc", "", h)
	expect(t, r, 400, "not a role id")
	if r.Field("roleid") == "" {
		t.Fatalf("bad role id: %v", r.Body)
	}
	if r = o.call("GET", "/api/user/info/", "", h); r.S("roleString") != "Подписант" {
		t.Fatalf("the refused switch changed the role: %v", r.Body)
	}
	expect(t, o.call("GET", "/api/user/role/3", "", h), 405, "GET on the role switch")
}

// A user created by an administrator has a temporary password: until firstlogin only user
// info, firstlogin and logout answer.
func TestFirstLogin(t *testing.T) {
	o := newOffice(t)
	id, login, temp := o.member("Новикова Нина", backoffice.Executor)
	r := o.login(login, temp)
	expect(t, r, 200, "login with the temporary password")
	if r.Body["firstPassword"] != true {
		t.Fatalf("login: %v", r.Body)
	}
	limited := testflows.WithCookie(cookie(t, r))
	expect(t, o.call("GET", "/api/user/info/", "", limited), 200, "info while limited")
	r = o.call("GET", "/api/user/list", "", limited)
	expect(t, r, 403, "user list while limited")
	if !strings.Contains(r.Message(), "temporary password") {
		t.Fatalf("403 does not say why: %v", r.Body)
	}
	expect(t, o.call("POST", "/api/user/role/4", "", limited), 403, "role switch while limited")

	r = o.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+id+`","value":"short"}`, limited)
	expect(t, r, 400, "weak password")
	if !strings.Contains(r.Field("value"), identity.PasswordRules) {
		t.Fatalf("rules not stated: %v", r.Body)
	}
	expect(t, o.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+id+`","value":"`+temp+`"}`, limited), 400, "the temporary password again")
	expect(t, o.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+o.admin+`","value":"`+newPassword+`"}`, limited), 403, "someone else's password")
	expect(t, o.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+id+`"}`, limited), 400, "no value")

	r = o.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+id+`","value":"`+newPassword+`"}`, limited)
	expect(t, r, 200, "firstlogin")
	if r.Body["firstPassword"] != false || r.S("userId") != id {
		t.Fatalf("firstlogin: %v", r.Body)
	}
	full := testflows.WithCookie(cookie(t, r))
	expect(t, o.call("GET", "/api/user/info/", "", limited), 401, "the old session after the password change")
	if len(testflows.Array(t, o.API, "/api/user/takers", full)) == 0 {
		t.Fatal("no takers")
	}
	expect(t, o.call("POST", "/api/lkbuser/firstlogin", `{"value":"Eshche-Odin-2027"}`, full), 403, "firstlogin twice")
	expect(t, o.login(login, temp), 401, "the temporary password after the change")
	expect(t, o.login(login, newPassword), 200, "the new password")

	// Logout is allowed while limited.
	_, login2, temp2 := o.member("Ещёва Елена", backoffice.Operator)
	ck2 := cookie(t, o.login(login2, temp2))
	expect(t, o.call("GET", "/api/logout", "", testflows.WithCookie(ck2)), 200, "logout while limited")
}

func TestBlockedUserIsOutAtOnce(t *testing.T) {
	o := newOffice(t)
	id, login, ck := o.ready("Уволенный Устин", backoffice.Operator)
	expect(t, o.call("GET", "/api/user/info/", "", testflows.WithCookie(ck)), 200, "before")
	o.block(id)
	expect(t, o.call("GET", "/api/user/info/", "", testflows.WithCookie(ck)), 401, "cookie of a blocked user")
	expect(t, o.call("GET", "/api/user/info/", "", o.withKey(id)), 403, "User-LKB of a blocked user")
	expect(t, o.login(login, newPassword), 403, "login of a blocked user")
}
