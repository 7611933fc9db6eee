package testflows

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Bank is the back office (the catalogue's Backoffice API) of a bank whose administrator and
// staff are logged in the way the bank's front end does it: the form login sets the JSESSION
// cookie, and a temporary password is changed at once through POST /api/lkbuser/firstlogin.
type Bank struct {
	*testenv.API
	t       testing.TB
	APIKey  string            // the back office's API key (X-Authorization)
	OrgID   string            // the bank's organisation
	IDs     map[string]string // user ids by name: "admin" and the staff
	Cookies map[string]string // JSESSION values by name
}

var staffSeq atomic.Int64

// AdminPassword is the password NewBank gives the administrator <prefix>-admin.
func AdminPassword(prefix string) string {
	return strings.ToUpper(prefix[:1]) + prefix[1:] + "-Admin-2026"
}

// NewBank bootstraps the bank with the administrator <prefix>-admin (all roles, Administrator
// active) and creates one member per entry of staff with that role, a fresh login, the full
// name "Сотрудник <name>" and the employee id "E-<name>"; every member sets NewPassword at the
// first login and logs in again. IDs and Cookies hold them all by name, the administrator as
// "admin".
func NewBank(t testing.TB, prefix string, staff map[string]backoffice.RoleID) *Bank {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	b := &Bank{API: New(t, httpapi.Backoffice).API, t: t, APIKey: env.Params["BackofficeApiKey"],
		IDs: map[string]string{}, Cookies: map[string]string{}}
	st := &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}
	admin := prefix + "-admin"
	u := BankAdmin(t, admin, AdminPassword(prefix))
	b.IDs["admin"], b.OrgID, b.Cookies["admin"] = u.ID, u.OrgID, b.Login(admin, AdminPassword(prefix))
	for name, role := range staff {
		login := fmt.Sprintf("%s-%s-%d-%s", prefix, name, staffSeq.Add(1), strings.ToLower(ulid.Make().String()[20:]))
		u, temp, err := backoffice.CreateMember(ctx, st, backoffice.NewMember{Login: login, FullName: "Сотрудник " + name,
			EmployeeID: "E-" + name, Roles: []backoffice.RoleID{role}})
		if err != nil {
			t.Fatal(err)
		}
		res := b.Call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+u.ID+`","value":"`+NewPassword+`"}`, b.Login(login, temp))
		Expect(t, res, 200, "firstlogin of "+name)
		b.IDs[name], b.Cookies[name] = u.ID, b.Login(login, NewPassword)
	}
	return b
}

// BankAdmin bootstraps the bank with the administrator login (password pw the first time; an
// existing administrator keeps its own) and returns that user: for tests that call the back
// office with the API key and User-LKB.
func BankAdmin(t testing.TB, login, pw string) identity.User {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	st := &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}
	if _, err := backoffice.Bootstrap(ctx, st, login, pw); err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Login logs in through the form POST /api/login and returns the JSESSION value it sets.
func (b *Bank) Login(login, pw string) string {
	b.t.Helper()
	res := b.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: url.Values{"username": {login}, "password": {pw}}.Encode(),
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	Expect(b.t, res, 200, "bank login "+login)
	for _, sc := range res.Header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(sc, boauth.CookieName+"="); ok {
			v, _, _ = strings.Cut(v, ";")
			return v
		}
	}
	b.t.Fatal("no session cookie")
	return ""
}

// WithCookie is the header carrying a JSESSION value.
func WithCookie(ck string) map[string]string {
	return map[string]string{"Cookie": boauth.CookieName + "=" + ck}
}

// WithKey is the header of a call by the API key, on behalf of the bank user user (User-LKB)
// unless it is "".
func (b *Bank) WithKey(user string) map[string]string {
	h := map[string]string{"X-Authorization": b.APIKey}
	if user != "" {
		h["User-LKB"] = user
	}
	return h
}

// Send calls the back office with the headers h (nil: no credentials).
func (b *Bank) Send(method, path, body string, h map[string]string) testenv.Reply {
	b.t.Helper()
	return b.Do(testenv.Request{Method: method, Path: path, Body: body, Header: h})
}

// Call calls the back office with a JSESSION value ("": no credentials).
func (b *Bank) Call(method, path, body, ck string) testenv.Reply {
	b.t.Helper()
	if ck == "" {
		return b.Send(method, path, body, nil)
	}
	return b.Send(method, path, body, WithCookie(ck))
}

// As calls the back office as the named member of the bank.
func (b *Bank) As(name, method, path, body string) testenv.Reply {
	b.t.Helper()
	return b.Call(method, path, body, b.Cookies[name])
}

// Array GETs path with the headers h and decodes the JSON array it answers.
func (b *Bank) Array(path string, h map[string]string) []map[string]any {
	b.t.Helper()
	return Array(b.t, b.API, path, h)
}

// Raw GETs path of api with the headers h from a fresh address, not following redirects: the
// status, headers and bytes (for answers testenv.Reply does not hold: files, arrays).
func Raw(t testing.TB, api *testenv.API, path string, h map[string]string) (int, http.Header, []byte) {
	t.Helper()
	r := api.DoRaw(testenv.Request{Method: "GET", Path: path, Header: h})
	return r.Status, r.Header, r.Body
}

// ExpectRaw fails unless r has the status, as Expect does for a decoded reply.
func ExpectRaw(t testing.TB, r testenv.RawReply, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
	}
}

// Array GETs path of api with the headers h and decodes the JSON array it answers, failing
// unless the status is 200.
func Array(t testing.TB, api *testenv.API, path string, h map[string]string) []map[string]any {
	t.Helper()
	status, _, raw := Raw(t, api, path, h)
	if status != 200 {
		t.Fatalf("GET %s: status %d: %s", path, status, raw)
	}
	var out []map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("GET %s: not a JSON array: %s", path, raw)
	}
	return out
}
