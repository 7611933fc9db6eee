package checks_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/oklog/ulid/v2"
	"github.com/xuri/excelize/v2"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/abs"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/checks"
	"github.com/kabinet/kabinet/shared/checks/wire"
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
)

// rig is an agent with an active organisation, bank staff of each role, and the ABS queue's
// consumer as the Lambda runs it.
type rig struct {
	*testflows.Bank
	t        *testing.T
	env      *testenv.Env
	client   *testflows.Client
	agent    testflows.Account
	consumer *sqsworker.Consumer
}

func newRig(t *testing.T) *rig {
	t.Helper()
	env := testenv.Get(t)
	env.ABS.ClearFault("")
	t.Cleanup(func() { env.ABS.ClearFault("") })
	r := &rig{t: t, env: env, client: testflows.New(t, httpapi.Client)}
	r.agent = r.client.Ready()
	r.Bank = testflows.NewBank(t, "checks", map[string]backoffice.RoleID{"operator": backoffice.Operator, "signer": backoffice.Signer, "executor": backoffice.Executor})
	var err error
	if r.consumer, err = abswire.Caller(context.Background()); err != nil { // the consumer with the review flow's outcomes
		t.Fatal(err)
	}
	return r
}

// draft is an application of company i that the agent created; submitted submits it too.
func (r *rig) draft(i int) string {
	r.t.Helper()
	co := dadatasim.Companies()[i]
	b, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact": map[string]any{"fullName": "Иванов Иван Иванович", "phone": "+7 916 123-45-67", "email": "ivanov@example.ru"},
		"office":  map[string]any{"city": "Москва", "office": "Центральный"},
	})
	res := r.client.Call("POST", "/v1/applications", string(b), r.agent.Token())
	testflows.Expect(r.t, res, 201, "create")
	return res.S("id")
}

func (r *rig) submitted(i int) string {
	r.t.Helper()
	id := r.draft(i)
	testflows.Expect(r.t, r.client.Call("POST", "/v1/applications/"+id+"/submit", "", r.agent.Token()), 200, "submit")
	return id
}

func (r *rig) drain() { r.t.Helper(); r.env.Drain(r.t, abswire.Function, r.consumer.HandleEvent) }

// runs reads GET /api/check/{id} as who.
func (r *rig) runs(who, id string) []map[string]any {
	r.t.Helper()
	res := r.As(who, "GET", "/api/check/"+id, "")
	testflows.Expect(r.t, res, 200, "check list")
	var out []map[string]any
	for _, x := range res.Body["runs"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func checksOf(run map[string]any) []map[string]any {
	var out []map[string]any
	for _, x := range run["checks"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// raw GETs a path as who and returns the status, headers and bytes.
func (r *rig) raw(who, path string) (int, http.Header, []byte) {
	r.t.Helper()
	return testflows.Raw(r.t, r.API, path, testflows.WithCookie(r.Cookies[who]))
}

// The checks of a submitted application: the InitialCheck run and its checks, manual results
// and comments by role, the refusals, the XLSX journal, and a replayed ABS answer that keeps
// what the staff added.
func TestChecks(t *testing.T) {
	r := newRig(t)
	id := r.submitted(0)
	r.drain()

	testflows.Expect(t, r.Call("GET", "/api/check/"+id, "", ""), 401, "no credentials")
	testflows.Expect(t, r.As("operator", "GET", "/api/check/"+ulid.Make().String(), ""), 404, "unknown application")
	testflows.Expect(t, r.As("operator", "GET", "/api/check/not-an-id", ""), 404, "garbage id")
	key := r.WithKey("")
	testflows.Expect(t, r.Send("GET", "/api/check/"+id, "", key), 200, "read by the API key alone")

	runs := r.runs("signer", id) // reads are open to every bank role
	if len(runs) != 1 || runs[0]["kind"] != "InitialCheck" || runs[0]["ok"] != true {
		t.Fatalf("one InitialCheck run: %v", runs)
	}
	run := runs[0]["executetime"].(string)
	cs := checksOf(runs[0])
	if len(cs) != 6 || cs[0]["id"] != "1" || cs[3]["id"] != "4" || cs[3]["passed"] != false || cs[0]["passed"] != true ||
		!strings.HasPrefix(cs[3]["type"].(string), "Возраст") || cs[3]["manualResult"] != nil || len(cs[3]["comments"].([]any)) != 0 {
		t.Fatalf("the simulator's six checks: %v", cs)
	}
	base := "/api/check/" + id + "/" + run + "/4/"

	// Manual results.
	res := r.As("operator", "POST", base+"result", `{"result":"passed","id":"4"}`)
	testflows.Expect(t, res, 200, "operator sets a result")
	m, _ := res.Body["manualResult"].(map[string]any)
	if m["result"] != checks.Passed || m["userId"] != r.IDs["operator"] || m["userFio"] != "Сотрудник operator" || m["datetime"] == "" {
		t.Fatalf("manual result: %v", res.Body)
	}
	res = r.As("executor", "POST", base+"result", `{"result":"0"}`)
	testflows.Expect(t, res, 200, "executor sets the seed's 0")
	if m, _ := res.Body["manualResult"].(map[string]any); m["result"] != checks.Failed || m["userId"] != r.IDs["executor"] {
		t.Fatalf("latest result: %v", res.Body)
	}
	testflows.Expect(t, r.As("admin", "POST", "/api/check/"+id+"/"+run+"/1/result", `{"result":"1"}`), 200, "administrator")
	res = r.As("operator", "POST", base+"result", `{"result":"maybe"}`)
	testflows.Expect(t, res, 400, "unknown value")
	if res.Field("result") == "" {
		t.Fatalf("field error on result: %v", res.Body)
	}
	res = r.As("operator", "POST", base+"result", `{"result":"passed","id":"3"}`)
	testflows.Expect(t, res, 400, "id of another check")
	if res.Field("id") == "" {
		t.Fatalf("field error on id: %v", res.Body)
	}
	testflows.Expect(t, r.As("operator", "POST", base+"result", `{"result":`), 400, "broken JSON")
	testflows.Expect(t, r.As("signer", "POST", base+"result", `{"result":"passed"}`), 403, "a signer does not check")
	testflows.Expect(t, r.Call("POST", base+"result", `{"result":"passed"}`, ""), 401, "no credentials")
	testflows.Expect(t, r.Send("POST", base+"result", `{"result":"passed"}`, key), 403, "API key without User-LKB")
	keyUser := r.WithKey(r.IDs["executor"])
	testflows.Expect(t, r.Send("POST", base+"result", `{"result":"failed"}`, keyUser), 200, "API key for a bank user")
	testflows.Expect(t, r.As("operator", "POST", "/api/check/"+id+"/2020-01-01T00:00:00.000000000Z/4/result", `{"result":"passed"}`), 404, "unknown run")
	testflows.Expect(t, r.As("operator", "POST", "/api/check/"+id+"/yesterday/4/result", `{"result":"passed"}`), 404, "garbage run")
	testflows.Expect(t, r.As("operator", "POST", "/api/check/"+id+"/"+run+"/7/result", `{"result":"passed"}`), 404, "unknown check")
	testflows.Expect(t, r.As("operator", "POST", "/api/check/"+ulid.Make().String()+"/"+run+"/4/result", `{"result":"passed"}`), 404, "unknown application")

	// Comments.
	res = r.As("executor", "POST", base+"comment", `{"content":"  Учредителю 70 лет, решение за руководителем  "}`)
	testflows.Expect(t, res, 200, "executor comments")
	cm, _ := res.Body["comments"].([]any)
	if len(cm) != 1 || cm[0].(map[string]any)["content"] != "Учредителю 70 лет, решение за руководителем" || cm[0].(map[string]any)["userId"] != r.IDs["executor"] {
		t.Fatalf("comment: %v", res.Body)
	}
	testflows.Expect(t, r.As("operator", "POST", base+"comment", `{"content":"Согласовано"}`), 200, "operator comments")
	res = r.As("operator", "POST", base+"comment", `{"content":"   "}`)
	testflows.Expect(t, res, 400, "empty comment")
	if res.Field("content") == "" {
		t.Fatalf("field error on content: %v", res.Body)
	}
	testflows.Expect(t, r.As("operator", "POST", base+"comment", `{"content":"`+strings.Repeat("я", 2001)+`"}`), 400, "too long")
	testflows.Expect(t, r.As("signer", "POST", base+"comment", `{"content":"Нет"}`), 403, "a signer does not comment")
	testflows.Expect(t, r.As("operator", "POST", "/api/check/"+id+"/"+run+"/0/comment", `{"content":"Нет"}`), 404, "unknown check")

	cs = checksOf(r.runs("operator", id)[0])
	if m, _ := cs[3]["manualResult"].(map[string]any); m["result"] != checks.Failed || len(cs[3]["comments"].([]any)) != 2 ||
		cs[0]["manualResult"].(map[string]any)["result"] != checks.Passed || cs[1]["manualResult"] != nil {
		t.Fatalf("kept: %v", cs)
	}

	// The same runs in the bank's view of the application.
	res = r.As("signer", "GET", "/api/application/"+id+"/", "")
	testflows.Expect(t, res, 200, "application view")
	if vr, _ := res.Body["checks"].([]any); len(vr) != 1 || vr[0].(map[string]any)["executetime"] != run ||
		len(vr[0].(map[string]any)["checks"].([]any)) != 6 {
		t.Fatalf("checks in the application's view: %v", res.Body["checks"])
	}

	// A replayed ABS answer rewrites the CHECK# item: what the staff added stays.
	ctx := context.Background()
	svc, err := wire.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := svc.Runs.(*reviewdb.Store)
	recorded, err := st.Checks(ctx, id)
	if err != nil || len(recorded) != 1 {
		t.Fatalf("recorded: %v %v", recorded, err)
	}
	if err := st.PutCheck(ctx, id, recorded[0]); err != nil {
		t.Fatal(err)
	}
	cs = checksOf(r.runs("operator", id)[0])
	if len(cs) != 6 || cs[3]["manualResult"] == nil || len(cs[3]["comments"].([]any)) != 2 {
		t.Fatalf("after a replay: %v", cs)
	}

	// The XLSX journal of the run.
	status, h, raw := r.raw("signer", "/api/check/"+id+"/"+run+"/all/report")
	if status != 200 || h.Get("Content-Type") != checks.XLSXType || !strings.Contains(h.Get("Content-Disposition"), `filename="checks-`+id+`.xlsx"`) {
		t.Fatalf("report: %d %v %q", status, h, raw[:min(len(raw), 200)])
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(checks.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[0][0] != "Проверка запущена" || rows[0][4] != "Тип проверки" {
		t.Fatalf("header and six rows: %q", rows)
	}
	row := rows[4] // check 4
	if cell(row, 1) != "InitialCheck" || cell(row, 3) != "4" || !strings.HasPrefix(cell(row, 4), "Возраст") || cell(row, 5) != "Нет" ||
		cell(row, 7) != "Не пройдена" || cell(row, 8) != "Сотрудник executor" || !strings.Contains(cell(row, 10), "Учредителю 70 лет") ||
		!strings.Contains(cell(row, 10), "Сотрудник operator: Согласовано") {
		t.Fatalf("check 4's row: %q", row)
	}
	if cell(rows[1], 7) != "Пройдена" || cell(rows[1], 8) == "" || cell(rows[2], 7) != "" {
		t.Fatalf("checks 1 and 2: %q %q", rows[1], rows[2])
	}
	styleID, _ := f.GetCellStyle(checks.SheetName, "A1")
	if style, err := f.GetStyle(styleID); err != nil || style.Font == nil || !style.Font.Bold {
		t.Fatalf("bold header: %+v %v", style, err)
	}
	if panes, err := f.GetPanes(checks.SheetName); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("frozen header: %+v %v", panes, err)
	}
	// Through the Lambda proxy, as API Gateway invokes it: base64, which the stack's binary
	// media types turn back into the file's bytes.
	h2, err := launch.APIHandler(ctx, wire.Routes(), "checks/check-report")
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/check/" + id + "/" + run + "/all/report"
	ev := events.APIGatewayProxyRequest{Resource: "/api/check/{applicationid}/{executetime}/{checktype}/report", Path: path, HTTPMethod: "GET",
		Headers:        map[string]string{"Cookie": boauth.CookieName + "=" + r.Cookies["operator"], "Accept": "*/*"},
		PathParameters: map[string]string{"applicationid": id, "executetime": run, "checktype": "all"},
		RequestContext: events.APIGatewayProxyRequestContext{Identity: events.APIGatewayRequestIdentity{SourceIP: testenv.UniqueIP()}}}
	lr, err := h2(ctx, ev)
	if err != nil || lr.StatusCode != 200 || !lr.IsBase64Encoded {
		t.Fatalf("Lambda report: %d base64 %v %v", lr.StatusCode, lr.IsBase64Encoded, err)
	}
	if b, err := base64.StdEncoding.DecodeString(lr.Body); err != nil || !bytes.Equal(b[:2], []byte("PK")) {
		t.Fatalf("not a zip: %v", err)
	}

	status, _, raw = r.raw("operator", "/api/check/"+id+"/"+run+"/4/report")
	if f, err := excelize.OpenReader(bytes.NewReader(raw)); status != 200 || err != nil {
		t.Fatalf("one check's report: %d %v", status, err)
	} else if rows, _ := f.GetRows(checks.SheetName); len(rows) != 2 || cell(rows[1], 3) != "4" {
		t.Fatalf("one check: %q", rows)
	}
	if status, _, _ := r.raw("operator", "/api/check/"+id+"/all/all/report"); status != 200 {
		t.Fatalf("every run: %d", status)
	}
	testflows.Expect(t, r.As("operator", "GET", "/api/check/"+id+"/all/4/report", ""), 400, "a check of every run")
	testflows.Expect(t, r.As("operator", "GET", "/api/check/"+id+"/2020-01-01T00:00:00Z/all/report", ""), 404, "unknown run")
	testflows.Expect(t, r.As("operator", "GET", "/api/check/"+id+"/"+run+"/9/report", ""), 404, "unknown check")
	testflows.Expect(t, r.As("operator", "GET", "/api/check/"+ulid.Make().String()+"/all/all/report", ""), 404, "unknown application")
	testflows.Expect(t, r.Call("GET", "/api/check/"+id+"/all/all/report", "", ""), 401, "no credentials")
}

// Re-check queues InitialCheck again: a second run is recorded, the first keeps its marks;
// refused for signers, while the ABS works, for drafts and closed applications.
func TestRecheck(t *testing.T) {
	r := newRig(t)
	id := r.submitted(1)
	r.drain()
	first := r.runs("operator", id)[0]["executetime"].(string)
	testflows.Expect(t, r.As("operator", "POST", "/api/check/"+id+"/"+first+"/6/comment", `{"content":"Задолженность погашена"}`), 200, "comment")

	path := "/api/application/" + id + "/recheck/"
	testflows.Expect(t, r.Call("POST", path, "", ""), 401, "no credentials")
	testflows.Expect(t, r.As("signer", "POST", path, ""), 403, "a signer does not re-check")
	testflows.Expect(t, r.Send("POST", path, "", r.WithKey("")), 403, "API key without User-LKB")
	res := r.As("operator", "POST", path, `{"type":"NewClient"}`)
	testflows.Expect(t, res, 400, "not a check")
	if res.Field("type") == "" {
		t.Fatalf("field error on type: %v", res.Body)
	}
	testflows.Expect(t, r.As("operator", "POST", path, `{"id":"`+ulid.Make().String()+`"}`), 400, "another application's id")
	testflows.Expect(t, r.As("operator", "POST", "/api/application/"+ulid.Make().String()+"/recheck/", ""), 404, "unknown application")

	res = r.As("operator", "POST", path, `{"id":"`+id+`","type":"InitialCheck"}`)
	testflows.Expect(t, res, 200, "re-check")
	second := res.S("executetime")
	if res.S("initialCheck") != "pending" || res.S("absPending") != "InitialCheck" || second == "" || second <= first {
		t.Fatalf("queued: %v", res.Body)
	}
	testflows.Expect(t, r.As("executor", "POST", path, ""), 409, "while the ABS works")
	r.drain()

	runs := r.runs("operator", id)
	if len(runs) != 2 || runs[0]["executetime"] != second || runs[1]["executetime"] != first || len(checksOf(runs[0])) != 6 {
		t.Fatalf("two runs, newest first: %v", runs)
	}
	if len(checksOf(runs[0])[5]["comments"].([]any)) != 0 || len(checksOf(runs[1])[5]["comments"].([]any)) != 1 {
		t.Fatalf("the comment stays with its run: %v", runs)
	}
	res = r.As("executor", "POST", path, "")
	testflows.Expect(t, res, 200, "again, with no body")
	r.drain()
	if runs := r.runs("operator", id); len(runs) != 3 {
		t.Fatalf("three runs: %d", len(runs))
	}
	if status, _, raw := r.raw("operator", "/api/check/"+id+"/all/all/report"); status != 200 {
		t.Fatalf("journal of every run: %d", status)
	} else if f, err := excelize.OpenReader(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	} else if rows, _ := f.GetRows(checks.SheetName); len(rows) != 1+3*6 {
		t.Fatalf("18 checks: %d rows", len(rows))
	}

	// InitialCheck switched off in the ABS settings: 409; the queue not connected: 503 (the
	// service as wired, with those parts replaced: the stored settings are shared by every test).
	ctx := context.Background()
	svc, err := wire.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	off := abs.DefaultSettings("")
	off.InitialCheck.Enabled = false
	svc.Review.Settings = abs.Static(off)
	c := review.Caller{UserID: r.IDs["operator"], Role: backoffice.Operator}
	if _, _, err := svc.Recheck(ctx, c, id, checks.RecheckInput{}); !isCode(err, apperr.Conflict) {
		t.Fatalf("switched off: %v", err)
	}
	svc.Review.Settings, svc.Review.Queue = nil, nil
	if _, _, err := svc.Recheck(ctx, c, id, checks.RecheckInput{}); !isCode(err, apperr.Unavailable) {
		t.Fatalf("no queue: %v", err)
	}

	// A draft has nothing to check; a closed application is not checked again.
	draft := r.draft(2)
	testflows.Expect(t, r.As("operator", "POST", "/api/application/"+draft+"/recheck/", ""), 409, "draft")
	testflows.Expect(t, r.client.Call("POST", "/v1/applications/"+id+"/annul", `{"comment":"Клиент передумал"}`, r.agent.Token()), 200, "agent annuls")
	r.drain()
	testflows.Expect(t, r.As("operator", "POST", path, ""), 409, "closed")
}

// cell is row[i], "" past the row's end (GetRows drops trailing empty cells).
func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func isCode(err error, code apperr.Code) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == code
}
