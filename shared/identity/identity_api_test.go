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
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// A1 → first login with the temporary password → only password change allowed → A4 →
// full access; the old token stops working at once.
func TestFirstLoginMustChangePassword(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	phone, temp := c.Register()
	r := c.Login("8"+phone[2:], temp) // typed the Russian way
	testflows.Expect(t, r, 200, "login with temporary password")
	if r.Body["mustChangePassword"] != true || r.S("limitedReason") == "" || r.S("tokenType") != "Bearer" {
		t.Fatalf("login: %v", r.Body)
	}
	limited := r.S("accessToken")
	me := c.Call("GET", "/v1/me", "", limited)
	testflows.Expect(t, me, 200, "me with limited token")
	if me.S("role") != "superuser" || me.S("status") != "awaiting_activation" || me.S("orgStatus") != "awaiting_activation" || me.S("login") != phone {
		t.Fatalf("me: %v", me.Body)
	}
	r = c.Call("GET", "/v1/audit", "", limited)
	testflows.Expect(t, r, 403, "audit before the password change")
	if !strings.Contains(r.Message(), "temporary password") {
		t.Fatalf("403 does not say why: %v", r.Body)
	}

	// Weak or mismatched passwords are refused with the rules stated.
	r = c.Call("POST", "/v1/me/password", `{"newPassword":"short","newPasswordRepeat":"short"}`, limited)
	testflows.Expect(t, r, 400, "weak password")
	if !strings.Contains(r.Field("newPassword"), identity.PasswordRules) {
		t.Fatalf("rules not stated: %v", r.Body)
	}
	r = c.Call("POST", "/v1/me/password", `{"newPassword":"Novyi-Parol-2026","newPasswordRepeat":"Novyi-Parol-2027"}`, limited)
	testflows.Expect(t, r, 400, "mismatch")
	if r.Field("newPasswordRepeat") == "" {
		t.Fatalf("mismatch: %v", r.Body)
	}

	full := c.ChangePassword(phone, limited, testflows.NewPassword)
	if full.Body["mustChangePassword"] != false || !strings.Contains(full.S("limitedReason"), "activate") {
		t.Fatalf("after change, still waiting for activation (A2): %v", full.Body)
	}
	testflows.Expect(t, c.Call("GET", "/v1/me", "", limited), 401, "old token after password change")
	testflows.Expect(t, c.Call("GET", "/v1/audit", "", full.S("accessToken")), 403, "audit before activation")
	testflows.Activate(t, me.S("orgId"))
	audit := c.Call("GET", "/v1/audit", "", full.S("accessToken"))
	testflows.Expect(t, audit, 200, "audit")
	items, _ := audit.Body["items"].([]any)
	var actions []string
	for _, it := range items {
		actions = append(actions, it.(map[string]any)["action"].(string))
	}
	want := []string{"activated", "login_after_password_change", "password_changed", "login"}
	if len(actions) < len(want) || strings.Join(actions[:len(want)], ",") != strings.Join(want, ",") {
		t.Fatalf("audit actions %v", actions)
	}
	testflows.Expect(t, c.Login(phone, temp), 401, "temporary password after change")
	testflows.Expect(t, c.Login(phone, testflows.NewPassword), 200, "new password")
}

func TestRefreshRotationAndReuse(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	first := c.Ready().Tokens
	r := c.Post("/v1/auth/refresh", `{"refreshToken":"`+first.S("refreshToken")+`"}`)
	testflows.Expect(t, r, 200, "refresh")
	second := r
	if second.S("refreshToken") == first.S("refreshToken") || second.S("accessToken") == "" {
		t.Fatal("refresh token not rotated")
	}
	testflows.Expect(t, c.Call("GET", "/v1/me", "", second.S("accessToken")), 200, "new access token")
	// The first refresh token again: reuse → the whole session ends.
	testflows.Expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+first.S("refreshToken")+`"}`), 401, "reused refresh token")
	testflows.Expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+second.S("refreshToken")+`"}`), 401, "refresh after reuse")
	testflows.Expect(t, c.Call("GET", "/v1/me", "", second.S("accessToken")), 401, "access after reuse")
	for _, bad := range []string{`{"refreshToken":"garbage"}`, `{}`, `{"refreshToken":"` + strings.Repeat("A", 26) + "." + strings.Repeat("b", 43) + `"}`} {
		if r := c.Post("/v1/auth/refresh", bad); r.Status != 401 && r.Status != 400 {
			t.Fatalf("%s: %d", bad, r.Status)
		}
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	acc := c.Ready()
	phone, tokens := acc.Phone, acc.Tokens
	other := c.Login(phone, testflows.NewPassword) // a second device
	testflows.Expect(t, other, 200, "second login")
	testflows.Expect(t, c.Call("POST", "/v1/auth/logout", "", tokens.S("accessToken")), 204, "logout")
	testflows.Expect(t, c.Call("GET", "/v1/me", "", tokens.S("accessToken")), 401, "access after logout")
	testflows.Expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+tokens.S("refreshToken")+`"}`), 401, "refresh after logout")
	testflows.Expect(t, c.Call("GET", "/v1/me", "", other.S("accessToken")), 200, "the other device")
}

func TestLockoutGrows(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	phone := c.Ready().Phone
	for i := range 5 {
		testflows.Expect(t, c.Login(phone, "Wrong-Password-1"), 401, fmt.Sprintf("wrong password %d", i+1))
	}
	r := c.Login(phone, testflows.NewPassword)
	testflows.Expect(t, r, 429, "right password while locked")
	wait, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if wait < 50 || wait > 60 {
		t.Fatalf("first lock Retry-After = %q", r.Header.Get("Retry-After"))
	}
	// Unknown logins answer exactly like wrong passwords.
	r = c.Login("+79990000000", "Whatever-123")
	testflows.Expect(t, r, 401, "unknown login")
	if r.Message() != "wrong login or password" {
		t.Fatalf("unknown login message %q", r.Message())
	}
	testflows.Expect(t, c.Post("/v1/auth/login", `{"login":"x"}`), 400, "missing password")
}

func TestBlockedUserIsOutAtOnce(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	acc := c.Ready()
	phone, tokens := acc.Phone, acc.Tokens
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
	testflows.Expect(t, c.Call("GET", "/v1/me", "", tokens.S("accessToken")), 401, "access of a blocked user")
	testflows.Expect(t, c.Post("/v1/auth/refresh", `{"refreshToken":"`+tokens.S("refreshToken")+`"}`), 401, "refresh of a blocked user")
	r := c.Login(phone, testflows.NewPassword)
	testflows.Expect(t, r, 403, "login of a blocked user")
}

func TestLoginByPhoneCode(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	phone := c.Ready().Phone
	r := c.Post("/v1/auth/otp", `{"phone":"`+phone+`"}`)
	testflows.Expect(t, r, 202, "start")
	id := r.S("challengeId")
	code := c.Code(phone)
	testflows.Expect(t, c.Do(testenv.Request{Method: "POST", Path: "/v1/auth/challenges/" + id + "/resend"}), 429, "resend within 3 minutes")
	r = c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`)
	testflows.Expect(t, r, 200, "confirm")
	testflows.Expect(t, c.Call("GET", "/v1/me", "", r.S("accessToken")), 200, "me")
	testflows.Expect(t, c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`), 409, "code used twice")

	// A phone without an account gets the same answer, and no SMS.
	nobody := testenv.UniquePhone()
	r = c.Post("/v1/auth/otp", `{"phone":"`+nobody+`"}`)
	testflows.Expect(t, r, 202, "decoy")
	c.DeliverSMS()
	if len(c.Env.SMS.Messages(nobody)) != 0 {
		t.Fatal("SMS sent to a phone without an account")
	}
	r = c.Post("/v1/auth/otp/"+r.S("challengeId")+"/confirm", `{"code":"123456"}`)
	testflows.Expect(t, r, 400, "decoy confirm")
}

func TestPasswordRecovery(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	acc := c.Ready()
	phone, tokens := acc.Phone, acc.Tokens
	r := c.Post("/v1/auth/password-recovery", fmt.Sprintf(`{"phone":%q,"newPassword":"abc","newPasswordRepeat":"abc"}`, phone))
	testflows.Expect(t, r, 400, "weak password")
	if !strings.Contains(r.Field("newPassword"), "8 to 128 characters") {
		t.Fatalf("rules: %v", r.Body)
	}
	const recovered = "Vosstanovlen-2026"
	r = c.Post("/v1/auth/password-recovery", fmt.Sprintf(`{"phone":%q,"newPassword":%q,"newPasswordRepeat":%q}`, phone, recovered, recovered))
	testflows.Expect(t, r, 202, "start")
	id := r.S("challengeId")
	code := c.Code(phone)
	wrong := fmt.Sprintf("%06d", (mustAtoi(code)+1)%1000000)
	r = c.Post("/v1/auth/password-recovery/"+id+"/confirm", `{"code":"`+wrong+`"}`)
	testflows.Expect(t, r, 400, "wrong code")
	if !strings.Contains(r.Field("code"), "4 attempts left") {
		t.Fatalf("wrong code: %v", r.Body)
	}
	testflows.Expect(t, c.Post("/v1/auth/password-recovery/"+id+"/confirm", `{"code":"`+code+`"}`), 200, "confirm")
	testflows.Expect(t, c.Call("GET", "/v1/me", "", tokens.S("accessToken")), 401, "old session after recovery")
	testflows.Expect(t, c.Login(phone, testflows.NewPassword), 401, "old password")
	testflows.Expect(t, c.Login(phone, recovered), 200, "recovered password")
	// The recovery code cannot confirm a login.
	testflows.Expect(t, c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`), 404, "code of another purpose")
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestAuditIsForTheSuperuser(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	acc := c.Ready()
	phone, tokens := acc.Phone, acc.Tokens
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
	testflows.Expect(t, c.Call("GET", "/v1/audit", "", tokens.S("accessToken")), 403, "audit as head (role change applies at once)")
}

func TestAuditPages(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	tokens := c.Ready().Tokens
	tok := tokens.S("accessToken")
	seen := map[string]bool{}
	page := ""
	for range 10 {
		r := c.Call("GET", "/v1/audit?limit=1&pageToken="+page, "", tok)
		testflows.Expect(t, r, 200, "audit page")
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
	r := c.Call("GET", "/v1/audit?limit=1", "", tok)
	tampered := []byte(r.S("nextPageToken"))
	tampered[5] ^= 1
	testflows.Expect(t, c.Call("GET", "/v1/audit?pageToken="+string(tampered), "", tok), 400, "tampered page token")
	testflows.Expect(t, c.Call("GET", "/v1/audit?limit=0", "", tok), 400, "limit out of range")
}
