package abssettings_test

import (
	"context"
	"encoding/json"
	"fmt"
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
)

const path = "/v1/abs-settings"

// bank is the back office with an administrator and an operator logged in.
type bank struct {
	*testflows.Bank
	t   *testing.T
	env *testenv.Env
}

func newBank(t *testing.T) *bank {
	t.Helper()
	env := testenv.Get(t)
	b := &bank{Bank: testflows.NewBank(t, "abs", map[string]backoffice.RoleID{"operator": backoffice.Operator}), t: t, env: env}

	// The settings are one item of the table: every test starts from the defaults.
	clear := func() {
		if _, err := env.DynamoDB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(os.Getenv("APPLICATIONS_TABLE")), Key: abssettingsdb.Key()}); err != nil {
			t.Fatal(err)
		}
	}
	clear()
	t.Cleanup(clear)
	return b
}

func (b *bank) as(who, method, body string) testenv.Reply {
	b.t.Helper()
	return b.As(who, method, path, body)
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
	key := b.WithKey("")

	testflows.Expect(t, b.Call("GET", path, "", ""), 401, "read without credentials")
	testflows.Expect(t, b.Call("PUT", path, `{"version":0}`, ""), 401, "save without credentials")
	testflows.Expect(t, b.Do(testenv.Request{Method: "GET", Path: path, Header: map[string]string{"X-Authorization": "not-the-key"}}), 401, "a wrong API key")
	testflows.Expect(t, b.as("operator", "GET", ""), 403, "read by an operator")
	testflows.Expect(t, b.as("operator", "PUT", body(0, abs.DefaultSettings("https://abs.bank.example"))), 403, "save by an operator")

	res := b.as("admin", "GET", "")
	testflows.Expect(t, res, 200, "read the defaults")
	def := abs.DefaultSettings(b.env.Params["AbsUrl"])
	if res.Body["version"] != 0.0 || settingsOf(t, res) != def || res.Body["updatedBy"] != nil {
		t.Fatalf("defaults: %s", res.Body)
	}
	testflows.Expect(t, b.Send("GET", path, "", key), 403, "read by API key without User-LKB (no role)")
	forAdmin := b.WithKey(b.IDs["admin"])
	testflows.Expect(t, b.Send("GET", path, "", forAdmin), 200, "read by API key for the administrator")
	testflows.Expect(t, b.Send("PUT", path, body(0, def), key), 403, "save by API key without User-LKB")

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
	if res.Body["version"] != 1.0 || saved != edited || res.S("updatedBy") != b.IDs["admin"] {
		t.Fatalf("saved: %s", res.Body)
	}
	if at, err := time.Parse(time.RFC3339Nano, res.S("updatedAt")); err != nil || at.Before(before) {
		t.Fatalf("updatedAt: %s", res.Body)
	}
	res = b.as("admin", "GET", "")
	testflows.Expect(t, res, 200, "read again")
	if res.Body["version"] != 1.0 || settingsOf(t, res) != edited || res.S("updatedBy") != b.IDs["admin"] {
		t.Fatalf("read after the save: %s", res.Body)
	}

	testflows.Expect(t, b.as("admin", "PUT", body(0, edited)), 409, "stale version")
	testflows.Expect(t, b.as("admin", "PUT", body(2, edited)), 409, "a version from the future")
	res = b.Send("PUT", path, body(1, def), forAdmin)
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
