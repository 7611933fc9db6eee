// Package testflows drives the client API through the real handlers against the emulators,
// the way a mobile app would: register (A1), log in, change the temporary password (A4), and
// get an organisation activated (A2), so tests of any domain start from a ready account.
package testflows

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/catalogue"
	emailwire "github.com/kabinet/kabinet/shared/email/wire"
	members "github.com/kabinet/kabinet/shared/members/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	smswire "github.com/kabinet/kabinet/shared/sms/wire"
)

// Client calls one API of the catalogue.
type Client struct {
	*testenv.API
	t testing.TB
}

// New serves the routes of api (all of them, with the catalogue's authenticators).
func New(t testing.TB, api httpapi.API) *Client {
	t.Helper()
	testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var routes []httpapi.Route
	for _, r := range catalogue.Routes() {
		if r.API == api {
			routes = append(routes, r)
		}
	}
	return &Client{API: testenv.NewAPI(t, auth, routes), t: t}
}

// DeliverSMS runs the SMS worker over the queue.
func (c *Client) DeliverSMS() {
	c.t.Helper()
	h, err := smswire.Sender(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	c.API.DeliverSMS(h)
}

// DeliverMail runs the e-mail worker over the queue.
func (c *Client) DeliverMail() {
	c.t.Helper()
	h, err := emailwire.Sender(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	c.Env.Drain(c.t, "notifications/email-sender", h.HandleEvent)
}

// Code delivers queued SMS and returns the newest code sent to phone.
func (c *Client) Code(phone string) string {
	c.t.Helper()
	c.DeliverSMS()
	return c.LastCode(phone)
}

// Call sends a request with a bearer token from a fresh address.
func (c *Client) Call(method, path, body, token string) testenv.Reply {
	c.t.Helper()
	return c.Do(testenv.Request{Method: method, Path: path, Body: body, Token: token})
}

// Expect fails the test unless r has status.
func Expect(t testing.TB, r testenv.Reply, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %v", what, r.Status, status, r.Body)
	}
}

// Register creates an account through A1 and returns its phone and temporary password.
func (c *Client) Register() (phone, temp string) {
	c.t.Helper()
	phone = testenv.UniquePhone()
	r := c.Post("/v1/registrations", fmt.Sprintf(`{"type":"sole_proprietor","phone":%q,"fullName":"ИП Смирнова Анна","email":"anna@example.ru","consent":true}`, phone))
	Expect(c.t, r, 202, "register")
	temp = c.Code(phone)
	Expect(c.t, c.Post("/v1/registrations/"+r.S("registrationId")+"/confirm", `{"code":"`+temp+`"}`), 201, "confirm registration")
	return phone, temp
}

// Login logs in with a login and password.
func (c *Client) Login(login, pw string) testenv.Reply {
	c.t.Helper()
	return c.Post("/v1/auth/login", fmt.Sprintf(`{"login":%q,"password":%q}`, login, pw))
}

// NewPassword is the password ChangePassword and Ready set.
const NewPassword = "Novyi-Parol-2026"

// ChangePassword runs A4 with token and returns the new tokens.
func (c *Client) ChangePassword(phone, token, pw string) testenv.Reply {
	c.t.Helper()
	r := c.Call("POST", "/v1/me/password", fmt.Sprintf(`{"newPassword":%q,"newPasswordRepeat":%q}`, pw, pw), token)
	Expect(c.t, r, 202, "start password change")
	code := c.Code(phone)
	r = c.Call("POST", "/v1/me/password/"+r.S("challengeId")+"/confirm", `{"code":"`+code+`"}`, token)
	Expect(c.t, r, 200, "confirm password change")
	return r
}

// Activate activates an organisation as the bank does after the contract (A2).
func Activate(t testing.TB, orgID string) {
	t.Helper()
	svc, err := members.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Activate(context.Background(), "test-bank-user", orgID, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
}

// Account is a ready superuser of a fresh, activated agent organisation.
type Account struct {
	Phone, UserID, OrgID string
	Tokens               testenv.Reply
}

// Token is the account's access token.
func (a Account) Token() string { return a.Tokens.S("accessToken") }

// Ready registers, logs in, changes the temporary password and has the bank activate the
// organisation.
func (c *Client) Ready() Account {
	c.t.Helper()
	phone, temp := c.Register()
	r := c.Login(phone, temp)
	Expect(c.t, r, 200, "login")
	tokens := c.ChangePassword(phone, r.S("accessToken"), NewPassword)
	me := c.Call("GET", "/v1/me", "", tokens.S("accessToken"))
	Expect(c.t, me, 200, "me")
	Activate(c.t, me.S("orgId"))
	return Account{Phone: phone, UserID: me.S("id"), OrgID: me.S("orgId"), Tokens: tokens}
}

// temporaryPassword finds the temporary password in an invitation SMS (A15).
var temporaryPassword = regexp.MustCompile(`временный пароль: (\S+)\.`)

// Member is an invited user that has logged in and set its own password (NewPassword).
type Member struct {
	ID, Phone, Token string // Token: its access token
}

// Invite has the user behind token invite name as role into groupID ("" for none); the invitee
// logs in with the temporary password from the SMS and sets NewPassword (A15, A4).
func (c *Client) Invite(token, role, groupID, name string) Member {
	c.t.Helper()
	phone := testenv.UniquePhone()
	email := strings.ToLower(strings.ReplaceAll(phone, "+", "u")) + "@example.ru"
	r := c.Call("POST", "/v1/users", fmt.Sprintf(`{"fullName":%q,"email":%q,"phone":%q,"role":%q,"groupId":%q}`, name, email, phone, role, groupID), token)
	Expect(c.t, r, 201, "invite a "+role)
	id := r.S("id")
	c.DeliverSMS()
	msgs := c.Env.SMS.Messages(phone)
	m := temporaryPassword.FindStringSubmatch(msgs[len(msgs)-1].Text)
	if m == nil {
		c.t.Fatalf("no temporary password in %q", msgs[len(msgs)-1].Text)
	}
	login := c.Login(phone, m[1])
	Expect(c.t, login, 200, "first login of the "+role)
	return Member{ID: id, Phone: phone, Token: c.ChangePassword(phone, login.S("accessToken"), NewPassword).S("accessToken")}
}
