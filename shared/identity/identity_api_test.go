package identity_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	smswire "github.com/kabinet/kabinet/shared/sms/wire"
)

type client struct {
	*testenv.API
	t *testing.T
}

// newClient serves the client API (registration and identity routes) as deployed.
func newClient(t *testing.T) *client {
	t.Helper()
	testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var routes []httpapi.Route
	for _, r := range catalogue.Routes() {
		if r.API == httpapi.Client {
			routes = append(routes, r)
		}
	}
	return &client{API: testenv.NewAPI(t, auth, routes), t: t}
}

func (c *client) deliverSMS() {
	c.t.Helper()
	h, err := smswire.Sender(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	c.DeliverSMS(h)
}

func (c *client) code(phone string) string {
	c.t.Helper()
	c.deliverSMS()
	return c.LastCode(phone)
}

func (c *client) call(method, path, body, token string) testenv.Reply {
	c.t.Helper()
	return c.Do(testenv.Request{Method: method, Path: path, Body: body, Token: token})
}

func expect(t *testing.T, r testenv.Reply, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %v", what, r.Status, status, r.Body)
	}
}

// register creates an account through A1 and returns its phone and temporary password.
func (c *client) register() (phone, temp string) {
	c.t.Helper()
	phone = testenv.UniquePhone()
	r := c.Post("/v1/registrations", fmt.Sprintf(`{"type":"sole_proprietor","phone":%q,"fullName":"ИП Смирнова Анна","email":"anna@example.ru","consent":true}`, phone))
	expect(c.t, r, 202, "register")
	temp = c.code(phone)
	expect(c.t, c.Post("/v1/registrations/"+r.S("registrationId")+"/confirm", `{"code":"`+temp+`"}`), 201, "confirm registration")
	return phone, temp
}

func (c *client) login(login, pw string) testenv.Reply {
	c.t.Helper()
	return c.Post("/v1/auth/login", fmt.Sprintf(`{"login":%q,"password":%q}`, login, pw))
}

const newPassword = "Novyi-Parol-2026"

// changePassword runs A4 with the token and returns the new tokens.
func (c *client) changePassword(phone, token, pw string) testenv.Reply {
	c.t.Helper()
	r := c.call("POST", "/v1/me/password", fmt.Sprintf(`{"newPassword":%q,"newPasswordRepeat":%q}`, pw, pw), token)
	expect(c.t, r, 202, "start password change")
	code := c.code(phone)
	r = c.call("POST", "/v1/me/password/"+r.S("challengeId")+"/confirm", `{"code":"`+code+`"}`, token)
	expect(c.t, r, 200, "confirm password change")
	return r
}

// A1 → first login with the temporary password → only password change allowed → A4 →
// full access; the old token stops working at once.
func TestFirstLoginMustChangePassword(t *testing.T) {
	c := newClient(t)
	phone, temp := c.register()
	r := c.login("8"+phone[2:], temp) // typed the Russian way
	expect(t, r, 200, "login with temporary password")
	if r.Body["mustChangePassword"] != true || r.S("limitedTo") == "" || r.S("tokenType") != "Bearer" {
		t.Fatalf("login: %v", r.Body)
	}
	limited := r.S("accessToken")
	me := c.call("GET", "/v1/me", "", limited)
	expect(t, me, 200, "me with limited token")
	if me.S("role") != "superuser" || me.S("status") != "awaiting_activation" || me.S("orgStatus") != "awaiting_activation" || me.S("login") != phone {
		t.Fatalf("me: %v", me.Body)
	}
	r = c.call("GET", "/v1/audit", "", limited)
	expect(t, r, 403, "audit before the password change")
	if !strings.Contains(r.Message(), "temporary password") {
		t.Fatalf("403 does not say why: %v", r.Body)
	}

	// Weak or mismatched passwords are refused with the rules stated.
	r = c.call("POST", "/v1/me/password", `{"newPassword":"short","newPasswordRepeat":"short"}`, limited)
	expect(t, r, 400, "weak password")
	if !strings.Contains(r.Field("newPassword"), identity.PasswordRules) {
		t.Fatalf("rules not stated: %v", r.Body)
	}
	r = c.call("POST", "/v1/me/password", `{"newPassword":"Novyi-Parol-2026","newPasswordRepeat":"Novyi-Parol-2027"}`, limited)
	expect(t, r, 400, "mismatch")
	if r.Field("newPasswordRepeat") == "" {
		t.Fatalf("mismatch: %v", r.Body)
	}

	full := c.changePassword(phone, limited, newPassword)
	if full.Body["mustChangePassword"] != false || full.S("limitedTo") != "" {
		t.Fatalf("after change: %v", full.Body)
	}
	expect(t, c.call("GET", "/v1/me", "", limited), 401, "old token after password change")
	audit := c.call("GET", "/v1/audit", "", full.S("accessToken"))
	expect(t, audit, 200, "audit")
	items, _ := audit.Body["items"].([]any)
	var actions []string
	for _, it := range items {
		actions = append(actions, it.(map[string]any)["action"].(string))
	}
	if len(actions) < 3 || actions[0] != "login_after_password_change" || !contains(actions, "password_changed") || !contains(actions, "login") {
		t.Fatalf("audit actions %v", actions)
	}
	expect(t, c.login(phone, temp), 401, "temporary password after change")
	expect(t, c.login(phone, newPassword), 200, "new password")
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// ready returns a full-access token pair for a new account.
func (c *client) ready() (phone string, tokens testenv.Reply) {
	phone, temp := c.register()
	r := c.login(phone, temp)
	expect(c.t, r, 200, "login")
	return phone, c.changePassword(phone, r.S("accessToken"), newPassword)
}

func TestRefreshRotationAndReuse(t *testing.T) {
	c := newClient(t)
	_, first := c.ready()
	r := c.Post("/v1/auth/refresh", `{"refreshToken":"`+first.S("refreshToken")+`"}`)
	expect(t, r, 200, "refresh")
	second := r
	if second.S("refreshToken") == first.S("refreshToken") || second.S("accessToken") == "" {
		t.Fatal("refresh token not rotated")
	}
	expect(t, c.call("GET", "/v1/me", "", second.S("accessToken")), 200, "new access token")
	// The first refresh token again: reuse → the whole session ends.
	expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+first.S("refreshToken")+`"}`), 401, "reused refresh token")
	expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+second.S("refreshToken")+`"}`), 401, "refresh after reuse")
	expect(t, c.call("GET", "/v1/me", "", second.S("accessToken")), 401, "access after reuse")
	for _, bad := range []string{`{"refreshToken":"garbage"}`, `{}`, `{"refreshToken":"` + strings.Repeat("A", 26) + "." + strings.Repeat("b", 43) + `"}`} {
		if r := c.Post("/v1/auth/refresh", bad); r.Status != 401 && r.Status != 400 {
			t.Fatalf("%s: %d", bad, r.Status)
		}
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	c := newClient(t)
	phone, tokens := c.ready()
	other := c.login(phone, newPassword) // a second device
	expect(t, other, 200, "second login")
	expect(t, c.call("POST", "/v1/auth/logout", "", tokens.S("accessToken")), 204, "logout")
	expect(t, c.call("GET", "/v1/me", "", tokens.S("accessToken")), 401, "access after logout")
	expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+tokens.S("refreshToken")+`"}`), 401, "refresh after logout")
	expect(t, c.call("GET", "/v1/me", "", other.S("accessToken")), 200, "the other device")
}

func TestLockoutGrows(t *testing.T) {
	c := newClient(t)
	phone, _ := c.ready()
	for i := range 5 {
		expect(t, c.login(phone, "Wrong-Password-1"), 401, fmt.Sprintf("wrong password %d", i+1))
	}
	r := c.login(phone, newPassword)
	expect(t, r, 429, "right password while locked")
	wait, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if wait < 50 || wait > 60 {
		t.Fatalf("first lock Retry-After = %q", r.Header.Get("Retry-After"))
	}
	// Unknown logins answer exactly like wrong passwords.
	r = c.login("+79990000000", "Whatever-123")
	expect(t, r, 401, "unknown login")
	if r.Message() != "wrong login or password" {
		t.Fatalf("unknown login message %q", r.Message())
	}
	expect(t, c.Post("/v1/auth/login", `{"login":"x"}`), 400, "missing password")
}

func TestBlockedUserIsOutAtOnce(t *testing.T) {
	c := newClient(t)
	phone, tokens := c.ready()
	u, err := (&identitydb.Store{DB: c.Env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}).UserByLogin(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	// Blocking (the A15 endpoint comes with user management) sets the status and ends sessions.
	_, err = c.Env.DynamoDB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: identitydb.UserKey(u.ID),
		UpdateExpression:          aws.String("SET #s = :b ADD sessionEpoch :one"),
		ExpressionAttributeNames:  map[string]string{"#s": "status"},
		ExpressionAttributeValues: dynamo.Item{":b": dynamo.S(identity.StatusBlocked), ":one": dynamo.N(1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, c.call("GET", "/v1/me", "", tokens.S("accessToken")), 401, "access of a blocked user")
	expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+tokens.S("refreshToken")+`"}`), 401, "refresh of a blocked user")
	r := c.login(phone, newPassword)
	expect(t, r, 403, "login of a blocked user")
}

func TestLoginByPhoneCode(t *testing.T) {
	c := newClient(t)
	phone, _ := c.ready()
	r := c.Post("/v1/auth/otp", `{"phone":"`+phone+`"}`)
	expect(t, r, 202, "start")
	id := r.S("challengeId")
	code := c.code(phone)
	expect(t, c.Do(testenv.Request{Method: "POST", Path: "/v1/auth/challenges/" + id + "/resend"}), 429, "resend within 3 minutes")
	r = c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`)
	expect(t, r, 200, "confirm")
	expect(t, c.call("GET", "/v1/me", "", r.S("accessToken")), 200, "me")
	expect(t, c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`), 409, "code used twice")

	// A phone without an account gets the same answer, and no SMS.
	nobody := testenv.UniquePhone()
	r = c.Post("/v1/auth/otp", `{"phone":"`+nobody+`"}`)
	expect(t, r, 202, "decoy")
	c.deliverSMS()
	if len(c.Env.SMS.Messages(nobody)) != 0 {
		t.Fatal("SMS sent to a phone without an account")
	}
	r = c.Post("/v1/auth/otp/"+r.S("challengeId")+"/confirm", `{"code":"123456"}`)
	expect(t, r, 400, "decoy confirm")
}

func TestPasswordRecovery(t *testing.T) {
	c := newClient(t)
	phone, tokens := c.ready()
	r := c.Post("/v1/auth/password-recovery", fmt.Sprintf(`{"phone":%q,"newPassword":"abc","newPasswordRepeat":"abc"}`, phone))
	expect(t, r, 400, "weak password")
	if !strings.Contains(r.Field("newPassword"), "8 to 128 characters") {
		t.Fatalf("rules: %v", r.Body)
	}
	const recovered = "Vosstanovlen-2026"
	r = c.Post("/v1/auth/password-recovery", fmt.Sprintf(`{"phone":%q,"newPassword":%q,"newPasswordRepeat":%q}`, phone, recovered, recovered))
	expect(t, r, 202, "start")
	id := r.S("challengeId")
	code := c.code(phone)
	wrong := fmt.Sprintf("%06d", (mustAtoi(code)+1)%1000000)
	r = c.Post("/v1/auth/password-recovery/"+id+"/confirm", `{"code":"`+wrong+`"}`)
	expect(t, r, 400, "wrong code")
	if !strings.Contains(r.Field("code"), "4 attempts left") {
		t.Fatalf("wrong code: %v", r.Body)
	}
	expect(t, c.Post("/v1/auth/password-recovery/"+id+"/confirm", `{"code":"`+code+`"}`), 200, "confirm")
	expect(t, c.call("GET", "/v1/me", "", tokens.S("accessToken")), 401, "old session after recovery")
	expect(t, c.login(phone, newPassword), 401, "old password")
	expect(t, c.login(phone, recovered), 200, "recovered password")
	// The recovery code cannot confirm a login.
	expect(t, c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`), 404, "code of another purpose")
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestAuditIsForTheSuperuser(t *testing.T) {
	c := newClient(t)
	phone, tokens := c.ready()
	u, err := (&identitydb.Store{DB: c.Env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}).UserByLogin(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Env.DynamoDB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: identitydb.UserKey(u.ID),
		UpdateExpression: aws.String("SET #r = :h"), ExpressionAttributeNames: map[string]string{"#r": "role"},
		ExpressionAttributeValues: dynamo.Item{":h": dynamo.S(string(identity.Head))},
	})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, c.call("GET", "/v1/audit", "", tokens.S("accessToken")), 403, "audit as head (role change applies at once)")
}

func TestAuditPages(t *testing.T) {
	c := newClient(t)
	_, tokens := c.ready()
	tok := tokens.S("accessToken")
	seen := map[string]bool{}
	page := ""
	for range 10 {
		r := c.call("GET", "/v1/audit?limit=1&pageToken="+page, "", tok)
		expect(t, r, 200, "audit page")
		items, _ := r.Body["items"].([]any)
		for _, it := range items {
			id := it.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("entry %s on two pages", id)
			}
			seen[id] = true
		}
		if page = r.S("nextPageToken"); page == "" {
			break
		}
	}
	if len(seen) < 3 { // login, password_changed, login_after_password_change
		t.Fatalf("%d entries over the pages", len(seen))
	}
	r := c.call("GET", "/v1/audit?limit=1", "", tok)
	tampered := []byte(r.S("nextPageToken"))
	tampered[5] ^= 1
	expect(t, c.call("GET", "/v1/audit?pageToken="+string(tampered), "", tok), 400, "tampered page token")
	expect(t, c.call("GET", "/v1/audit?limit=0", "", tok), 400, "limit out of range")
}
