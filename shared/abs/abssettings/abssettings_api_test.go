package abssettings_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/abssim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/absqueue"
	"github.com/kabinet/kabinet/shared/abs/abssettings/abssettingsdb"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

const path = "/v1/abs-settings"

// bank is the back office with an administrator and an operator logged in.
type bank struct {
	t       *testing.T
	env     *testenv.Env
	bo      *testflows.Client
	admin   string // user id
	cookies map[string]string
}

func newBank(t *testing.T) *bank {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	b := &bank{t: t, env: env, bo: testflows.New(t, httpapi.Backoffice), cookies: map[string]string{}}
	store := &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}
	if _, err := backoffice.Bootstrap(ctx, store, "abs-admin", "Abs-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	u, err := store.UserByLogin(ctx, "abs-admin")
	if err != nil {
		t.Fatal(err)
	}
	b.admin, b.cookies["admin"] = u.ID, b.login("abs-admin", "Abs-Admin-2026")
	login := "abs-operator-" + strings.ToLower(ulid.Make().String()[16:])
	op, temp, err := backoffice.CreateMember(ctx, store, backoffice.NewMember{Login: login, FullName: "Операционист", EmployeeID: "E-op",
		Roles: []backoffice.RoleID{backoffice.Operator}})
	if err != nil {
		t.Fatal(err)
	}
	ck := b.login(login, temp)
	testflows.Expect(t, b.call("POST", "/api/lkbuser/firstlogin", `{"userid":"`+op.ID+`","value":"`+testflows.NewPassword+`"}`, ck), 200, "firstlogin")
	b.cookies["operator"] = b.login(login, testflows.NewPassword)

	// The settings are one item of the table: every test starts from the defaults.
	clear := func() {
		if _, err := env.DynamoDB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(os.Getenv("APPLICATIONS_TABLE")), Key: abssettingsdb.Key()}); err != nil {
			t.Fatal(err)
		}
	}
	clear()
	t.Cleanup(clear)
	return b
}

func (b *bank) login(login, pw string) string {
	b.t.Helper()
	res := b.bo.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: url.Values{"username": {login}, "password": {pw}}.Encode(),
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	testflows.Expect(b.t, res, 200, "bank login "+login)
	for _, sc := range res.Header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(sc, boauth.CookieName+"="); ok {
			v, _, _ = strings.Cut(v, ";")
			return v
		}
	}
	b.t.Fatal("no session cookie")
	return ""
}

func (b *bank) call(method, p, body, ck string) testenv.Reply {
	b.t.Helper()
	h := map[string]string{}
	if ck != "" {
		h["Cookie"] = boauth.CookieName + "=" + ck
	}
	return b.bo.Do(testenv.Request{Method: method, Path: p, Body: body, Header: h})
}

func (b *bank) as(who, method, body string) testenv.Reply {
	b.t.Helper()
	return b.call(method, path, body, b.cookies[who])
}

// body is a PUT body: the settings at version.
func body(version int64, s abs.Settings) string {
	raw, _ := json.Marshal(s)
	return fmt.Sprintf(`{"version":%d,%s`, version, raw[1:])
}

// settingsOf reads the settings of an answer.
func settingsOf(t *testing.T, res testenv.Reply) abs.Settings {
	t.Helper()
	raw, _ := json.Marshal(res.Body)
	var s abs.Settings
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return s
}

// E13: the administrator reads the defaults (the environment's, version 0), saves edited
// settings with the version read (who and when kept), a stale version is a 409, invalid
// settings a 400 naming the fields; no credentials 401, another role 403, the API key only for
// an administrator (User-LKB).
func TestSettingsReadAndEdit(t *testing.T) {
	b := newBank(t)
	key := map[string]string{"X-Authorization": b.env.Params["BackofficeApiKey"]}

	testflows.Expect(t, b.call("GET", path, "", ""), 401, "read without credentials")
	testflows.Expect(t, b.call("PUT", path, `{"version":0}`, ""), 401, "save without credentials")
	testflows.Expect(t, b.bo.Do(testenv.Request{Method: "GET", Path: path, Header: map[string]string{"X-Authorization": "not-the-key"}}), 401, "a wrong API key")
	testflows.Expect(t, b.as("operator", "GET", ""), 403, "read by an operator")
	testflows.Expect(t, b.as("operator", "PUT", body(0, abs.DefaultSettings("https://abs.bank.example"))), 403, "save by an operator")

	res := b.as("admin", "GET", "")
	testflows.Expect(t, res, 200, "read the defaults")
	def := abs.DefaultSettings(b.env.Params["AbsUrl"])
	if res.Body["version"] != 0.0 || settingsOf(t, res) != def || res.Body["updatedBy"] != nil {
		t.Fatalf("defaults: %s", res.Body)
	}
	testflows.Expect(t, b.bo.Do(testenv.Request{Method: "GET", Path: path, Header: key}), 403, "read by API key without User-LKB (no role)")
	forAdmin := map[string]string{"X-Authorization": b.env.Params["BackofficeApiKey"], "User-LKB": b.admin}
	testflows.Expect(t, b.bo.Do(testenv.Request{Method: "GET", Path: path, Header: forAdmin}), 200, "read by API key for the administrator")
	testflows.Expect(t, b.bo.Do(testenv.Request{Method: "PUT", Path: path, Body: body(0, def), Header: key}), 403, "save by API key without User-LKB")

	edited := def
	edited.InitialCheck = abs.Endpoint{Enabled: true, URL: " https://abs.bank.example/send-request ", SuccessKey: "answerPermit",
		SuccessValue: "PERMIT", ErrorKey: "answerError", ErrorValue: "ERROR", CommentKey: "comment"}
	edited.OpenAccount.DateFromKey, edited.OpenAccount.DateFromValue = "answerDateFrom", "DATEFROM"
	edited.DeleteClient = abs.Endpoint{} // off: the step is done by hand
	edited.AutoReject = true
	before := time.Now().Add(-time.Second)
	res = b.as("admin", "PUT", body(0, edited))
	testflows.Expect(t, res, 200, "save")
	saved := settingsOf(t, res)
	edited.InitialCheck.URL = "https://abs.bank.example/send-request" // stored trimmed
	if res.Body["version"] != 1.0 || saved != edited || res.S("updatedBy") != b.admin {
		t.Fatalf("saved: %s", res.Body)
	}
	if at, err := time.Parse(time.RFC3339Nano, res.S("updatedAt")); err != nil || at.Before(before) {
		t.Fatalf("updatedAt: %s", res.Body)
	}
	res = b.as("admin", "GET", "")
	testflows.Expect(t, res, 200, "read again")
	if res.Body["version"] != 1.0 || settingsOf(t, res) != edited || res.S("updatedBy") != b.admin {
		t.Fatalf("read after the save: %s", res.Body)
	}

	testflows.Expect(t, b.as("admin", "PUT", body(0, edited)), 409, "stale version")
	testflows.Expect(t, b.as("admin", "PUT", body(2, edited)), 409, "a version from the future")
	res = b.bo.Do(testenv.Request{Method: "PUT", Path: path, Body: body(1, def), Header: forAdmin})
	testflows.Expect(t, res, 200, "save by API key for the administrator")
	if res.Body["version"] != 2.0 || settingsOf(t, res) != def {
		t.Fatalf("saved by key: %s", res.Body)
	}

	bad := func(change func(*abs.Settings)) string {
		s := def
		change(&s)
		return body(2, s)
	}
	for what, tc := range map[string]struct{ body, field string }{
		"relative url":        {bad(func(s *abs.Settings) { s.NewClient.URL = "/api/reservationInvoice" }), "newClient.url"},
		"not http":            {bad(func(s *abs.Settings) { s.OpenAccount.URL = "ftp://abs.bank.example/" }), "openAccount.url"},
		"no success key":      {bad(func(s *abs.Settings) { s.InitialCheck.SuccessKey = "  " }), "initialCheck.successKey"},
		"long key":            {bad(func(s *abs.Settings) { s.DeleteClient.CommentKey = strings.Repeat("k", 201) }), "deleteClient.commentKey"},
		"no version":          {strings.Replace(bad(func(*abs.Settings) {}), `"version":2,`, ``, 1), "version"},
		"a call left out":     {`{"version":2,"initialCheck":{"enabled":false},"newClient":{"enabled":false},"openAccount":{"enabled":false},"autoReject":false}`, "deleteClient"},
		"autoReject left out": {strings.Replace(bad(func(*abs.Settings) {}), `,"autoReject":false`, ``, 1), "autoReject"},
		"negative version":    {strings.Replace(bad(func(*abs.Settings) {}), `"version":2`, `"version":-1`, 1), "version"},
		"unknown field":       {strings.Replace(bad(func(*abs.Settings) {}), `"autoReject"`, `"auto_reject"`, 1), ""},
		"not JSON":            {`{"version":`, ""},
		"a string for bool":   {`{"version":2,"autoReject":"yes"}`, ""},
	} {
		res := b.as("admin", "PUT", tc.body)
		testflows.Expect(t, res, 400, what)
		if tc.field != "" {
			if res.Field(tc.field) == "" {
				t.Fatalf("%s: no error for %s: %s", what, tc.field, res.Body)
			}
		}
	}
	if res := b.as("admin", "GET", ""); res.Body["version"] != 2.0 {
		t.Fatalf("an invalid save changed the settings: %s", res.Body)
	}
}

// The consumer as the function wires it calls with the stored settings: an edit of a call's
// URL and keys takes effect (the cache off, as ABS_SETTINGS_CACHE=0 does), and a call switched
// off is not made.
func TestConsumerUsesStoredSettings(t *testing.T) {
	t.Setenv("ABS_SETTINGS_CACHE", "0s")
	b := newBank(t)
	b.env.ABS.ClearFault("")
	b.env.ABS.SetKeys(&abssim.Keys{SuccessKey: "answerPermit", SuccessValue: "PERMIT", ErrorKey: "answerError", ErrorValue: "ERROR", CommentKey: "comment"})
	t.Cleanup(func() { b.env.ABS.SetKeys(nil) })

	st := abs.DefaultSettings(b.env.Params["AbsUrl"])
	st.InitialCheck = abs.Endpoint{Enabled: true, URL: b.env.Params["AbsUrl"] + "/bank/check", SuccessKey: "answerPermit",
		SuccessValue: "PERMIT", ErrorKey: "answerError", ErrorValue: "ERROR", CommentKey: "comment"}
	st.NewClient.Enabled = false
	testflows.Expect(t, b.as("admin", "PUT", body(0, st)), 200, "save")

	out := &recorder{}
	abswire.RegisterOutcomes(func(context.Context) (abs.Outcomes, error) { return out, nil })
	t.Cleanup(func() { abswire.RegisterOutcomes(nil) })
	c, err := abswire.Caller(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q := &absqueue.Queue{SQS: b.env.SQS, URL: b.env.Resources.Queues["AbsQueue"].URL}
	appID := ulid.Make().String()
	for _, k := range []abs.Kind{abs.InitialCheck, abs.NewClient} {
		if err := q.Enqueue(context.Background(), abs.Job{ID: ulid.Make().String(), ApplicationID: appID, Kind: k, RequestedAt: time.Now().UTC()}); err != nil {
			t.Fatal(err)
		}
	}
	b.env.Drain(t, abswire.Function, c.HandleEvent)
	got := out.of(appID)
	if len(got) != 2 || got[0].job.Kind != abs.InitialCheck || !got[0].res.OK || got[0].failure != nil {
		t.Fatalf("applied %+v", got)
	}
	if got[1].job.Kind != abs.NewClient || got[1].failure != abs.ErrDisabled {
		t.Fatalf("NewClient switched off: %+v", got[1])
	}
	calls := b.env.ABS.Calls(abssim.InitialCheck)
	if last := calls[len(calls)-1]; last.Path != "/bank/check" || last.INN != inn(appID) {
		t.Fatalf("InitialCheck went to %+v", last)
	}
	for _, c := range b.env.ABS.Calls(abssim.NewClient) {
		if c.ApplicationID == appID {
			t.Fatalf("a NewClient switched off was made: %+v", c)
		}
	}
}
