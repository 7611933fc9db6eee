package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/xuri/excelize/v2"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/reports"
	"github.com/kabinet/kabinet/shared/reports/reportsdb"
	"github.com/kabinet/kabinet/shared/reports/wire"
)

var expect = testflows.Expect

var moscow = time.FixedZone("MSK", 3*60*60)

const builderFn = "reports/report-builder"

// suite is the client API with the report builder as its Lambda function runs it.
type suite struct {
	t       *testing.T
	c       *testflows.Client
	builder *sqsworker.Consumer
	svc     *reports.Service // the builder's service, for the store
}

func newSuite(t *testing.T) *suite {
	t.Helper()
	c := testflows.New(t, httpapi.Client)
	b, err := wire.Builder(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	svc, _, err := wire.BuilderService(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &suite{t: t, c: c, builder: b, svc: svc}
}

// build runs the report builder over the report queue, as its event source mapping would.
func (s *suite) build() int {
	s.t.Helper()
	return s.c.Env.Drain(s.t, builderFn, s.builder.HandleEvent)
}

// stored reads a report as stored (attempts, times).
func (s *suite) stored(userID, id string) reports.Report {
	s.t.Helper()
	r, err := s.svc.Store.Get(context.Background(), userID, id)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

// request asks for a report and returns its id.
func (s *suite) request(token, body string) string {
	s.t.Helper()
	r := s.c.Call("POST", "/v1/reports", body, token)
	expect(s.t, r, 202, "request a report")
	if r.S("status") != "queued" || r.S("id") == "" {
		s.t.Fatalf("requested: %v", r.Body)
	}
	return r.S("id")
}

// download builds what is queued, reads the report (ready) and fetches its file.
func (s *suite) download(token, id string) (testenv.Reply, []byte) {
	s.t.Helper()
	s.build()
	r := s.c.Call("GET", "/v1/reports/"+id, "", token)
	expect(s.t, r, 200, "get report")
	if r.S("status") != "ready" || r.S("downloadUrl") == "" || r.S("downloadExpiresAt") == "" || r.S("readyAt") == "" {
		s.t.Fatalf("report not ready with a link: %v", r.Body)
	}
	resp, err := http.Get(r.S("downloadUrl"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		s.t.Fatalf("download: %d %s", resp.StatusCode, body)
	}
	return r, body
}

// member invites a user of role into groupID, logs it in and changes its temporary password;
// it returns its access token and id.
func member(t *testing.T, c *testflows.Client, token, role, groupID string) (string, string) {
	t.Helper()
	m := c.Invite(token, role, groupID, "Сотрудник "+role)
	return m.Token, m.ID
}

// application creates an application of the i-th company of the DaData simulator, submitted
// when asked, and returns it as the API shows it.
func application(t *testing.T, c *testflows.Client, token string, i int, city string, submit bool) map[string]any {
	t.Helper()
	co := dadatasim.Companies()[i]
	body, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact":  map[string]any{"fullName": "Иванов Иван Иванович", "phone": fmt.Sprintf("+7 916 000-00-%02d", i), "email": "ivanov@example.ru"},
		"office":   map[string]any{"city": city, "office": "Центральный"},
		"founders": []map[string]any{{"fullName": "Петров Пётр Петрович", "share": 10000}},
	})
	r := c.Call("POST", "/v1/applications", string(body), token)
	expect(t, r, 201, "create application")
	if submit {
		r = c.Call("POST", "/v1/applications/"+r.S("id")+"/submit", "", token)
		expect(t, r, 200, "submit application")
	}
	return r.Body
}

// when is an API time as the report shows it: Moscow time, to the minute ("" when absent).
func when(v any) string {
	s, _ := v.(string)
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.In(moscow).Format("02.01.2006 15:04")
}

func today() string { return time.Now().In(moscow).Format(time.DateOnly) }

var statusTitle = map[string]string{"draft": "Черновик", "submitted": "Отправлена в банк"}

// row is what a report with reportColumns shows of an application.
func row(a map[string]any) []string {
	num, _ := a["number"].(float64)
	return []string{fmt.Sprint(int64(num)), when(a["createdAt"]), statusTitle[a["status"].(string)],
		a["company"].(map[string]any)["inn"].(string), a["company"].(map[string]any)["shortName"].(string),
		a["contact"].(map[string]any)["phone"].(string), a["office"].(map[string]any)["city"].(string),
		when(a["submittedAt"]), fmt.Sprint(a["product"])}
}

var (
	reportColumns = `["number","createdAt","status","inn","shortName","contactPhone","city","submittedAt","product"]`
	reportHeader  = []string{"№", "Дата создания", "Статус", "ИНН", "Наименование", "Телефон", "Город", "Дата отправки", "Продукт"}
)

func spec(columns, from, to, format, delivery string) string {
	return fmt.Sprintf(`{"columns":%s,"from":%q,"to":%q,"format":%q,"delivery":%q}`, columns, from, to, format, delivery)
}

// The columns come with their Russian titles.
func TestColumns(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	r := s.c.Call("GET", "/v1/reports/columns", "", boss.Token())
	expect(t, r, 200, "columns")
	titles := map[string]string{}
	for _, it := range r.Body["items"].([]any) {
		m := it.(map[string]any)
		titles[m["id"].(string)] = m["title"].(string)
	}
	for id, title := range map[string]string{"number": "№", "createdAt": "Дата создания", "status": "Статус", "inn": "ИНН", "kpp": "КПП",
		"ogrn": "ОГРН", "shortName": "Наименование", "product": "Продукт", "submittedAt": "Дата отправки", "contactPhone": "Телефон"} {
		if titles[id] != title {
			t.Errorf("column %s titled %q, want %q", id, titles[id], title)
		}
	}
	if len(titles) != len(reports.Columns()) {
		t.Errorf("%d columns, want %d", len(titles), len(reports.Columns()))
	}
}

// A9: the XLSX and CSV files hold the applications of the period, newest first, with the
// chosen columns in the chosen order, cell by cell.
func TestReportFiles(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	tok := boss.Token()
	from := today()
	apps := []map[string]any{
		application(t, s.c, tok, 0, "Москва", true),
		application(t, s.c, tok, 2, "Казань", false),
		application(t, s.c, tok, 3, "Санкт-Петербург", true),
	}
	to := today()
	want := [][]string{reportHeader}
	for i := len(apps) - 1; i >= 0; i-- { // newest first
		want = append(want, row(apps[i]))
	}

	// XLSX, cell by cell.
	id := s.request(tok, spec(reportColumns, from, to, "xlsx", "download"))
	rep, body := s.download(tok, id)
	if rep.Body["rows"] != 3.0 || rep.S("format") != "xlsx" || rep.S("delivery") != "download" || rep.S("from") != from || rep.S("to") != to {
		t.Fatalf("report %v", rep.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Заявки" {
		t.Fatalf("sheets %v", sheets)
	}
	for r, cells := range want {
		for c, v := range cells {
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			got, err := f.GetCellValue("Заявки", name)
			if err != nil || got != v {
				t.Errorf("%s = %q, want %q (%v)", name, got, v, err)
			}
		}
	}
	// Dates are date cells: a serial number shown in a date format.
	raw, _ := f.GetCellValue("Заявки", "B2", excelize.Options{RawCellValue: true})
	if !regexp.MustCompile(`^4\d{4}\.\d+$`).MatchString(raw) {
		t.Errorf("B2 holds %q, not a date serial", raw)
	}
	if p, err := f.GetPanes("Заявки"); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", p, err)
	}
	st, _ := f.GetCellStyle("Заявки", "A1")
	if style, err := f.GetStyle(st); err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header not bold")
	}
	if !slices.ContainsFunc(f.GetDefinedName(), func(d excelize.DefinedName) bool {
		return d.Name == "_xlnm._FilterDatabase" && d.RefersTo == "'Заявки'!$A$1:$I$4"
	}) {
		t.Errorf("no autofilter over A1:I4: %+v", f.GetDefinedName())
	}

	// CSV, line by line: BOM, ";", CRLF.
	id = s.request(tok, spec(reportColumns, from, to, "csv", "download"))
	_, body = s.download(tok, id)
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatalf("CSV without a byte-order mark: %q", body[:10])
	}
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(string(body), "\ufeff"), "\r\n"), "\r\n")
	if len(lines) != len(want) {
		t.Fatalf("CSV lines %q", lines)
	}
	for i, cells := range want {
		quoted := make([]string, len(cells))
		for j, v := range cells {
			if strings.ContainsAny(v, `";`) {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			quoted[j] = v
		}
		if w := strings.Join(quoted, ";"); lines[i] != w {
			t.Errorf("line %d: %q, want %q", i+1, lines[i], w)
		}
	}

	// A period without applications gives the header only.
	id = s.request(tok, spec(`["inn"]`, "2020-01-01", "2020-01-31", "csv", "download"))
	if rep, body := s.download(tok, id); rep.Body["rows"] != 0.0 || string(body) != "\ufeffИНН\r\n" {
		t.Fatalf("empty report %v %q", rep.Body, body)
	}

	// The list: newest first, a page at a time; the same link is not handed out there.
	l := s.c.Call("GET", "/v1/reports?limit=2", "", tok)
	expect(t, l, 200, "list")
	items := l.Body["items"].([]any)
	if len(items) != 2 || items[0].(map[string]any)["id"] != id || l.S("nextPageToken") == "" || items[0].(map[string]any)["downloadUrl"] != nil {
		t.Fatalf("first page %v", l.Body)
	}
	l = s.c.Call("GET", "/v1/reports?limit=2&pageToken="+l.S("nextPageToken"), "", tok)
	expect(t, l, 200, "second page")
	if items := l.Body["items"].([]any); len(items) != 1 || l.S("nextPageToken") != "" {
		t.Fatalf("second page %v", l.Body)
	}
	expect(t, s.c.Call("GET", "/v1/reports?pageToken=forged", "", tok), 400, "forged page token")
}

// A17: a report holds what its requester may see: a user its own applications, an
// administrator its group's, the head all of the organisation's.
func TestReportRoleScope(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	g := s.c.Call("POST", "/v1/groups", `{"name":"Продажи"}`, boss.Token())
	expect(t, g, 201, "group")
	user, _ := member(t, s.c, boss.Token(), "user", g.S("id"))
	admin, _ := member(t, s.c, boss.Token(), "administrator", g.S("id"))
	head, _ := member(t, s.c, boss.Token(), "head", "")
	from := today()
	mine := application(t, s.c, user, 4, "Екатеринбург", false)
	bosses := application(t, s.c, boss.Token(), 5, "Новосибирск", false)
	to := today()
	cases := []struct {
		who, token string
		want       []map[string]any // newest first
	}{
		{"user", user, []map[string]any{mine}},
		{"administrator", admin, []map[string]any{mine}},
		{"head", head, []map[string]any{bosses, mine}},
		{"superuser", boss.Token(), []map[string]any{bosses, mine}},
	}
	for _, tc := range cases {
		id := s.request(tc.token, spec(`["inn","city"]`, from, to, "csv", "download"))
		_, body := s.download(tc.token, id)
		want := "\ufeffИНН;Город\r\n"
		for _, a := range tc.want {
			want += a["company"].(map[string]any)["inn"].(string) + ";" + a["office"].(map[string]any)["city"].(string) + "\r\n"
		}
		if string(body) != want {
			t.Errorf("%s's report:\n%q\nwant\n%q", tc.who, body, want)
		}
	}
}

// Delivery by e-mail: a link to the report in the cabinet goes to the requester's address;
// the report can still be downloaded.
func TestReportByEmail(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	application(t, s.c, boss.Token(), 6, "Казань", true)
	id := s.request(boss.Token(), spec(`["inn","shortName"]`, today(), today(), "xlsx", "email"))
	s.download(boss.Token(), id)
	s.c.DeliverMail()
	link := "https://cabinet.test/reports/" + id
	var got []string
	for _, m := range s.c.Env.Mail.Messages("anna@example.ru") { // the address given at registration
		if strings.Contains(m.Text, link) {
			got = append(got, m.Subject)
		}
	}
	if len(got) != 1 || got[0] != "Отчёт по заявкам готов" {
		t.Fatalf("e-mails with the link: %q", got)
	}
}

// 422 for a report that cannot be made as asked, 400 for a malformed request.
func TestReportRequestRefused(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	tok := boss.Token()
	cases := []struct {
		name, body, field string
	}{
		{"unknown column", spec(`["inn","salary"]`, "2026-11-01", "2026-11-30", "xlsx", "download"), "columns[1]"},
		{"no columns", spec(`[]`, "2026-11-01", "2026-11-30", "xlsx", "download"), "columns"},
		{"a column twice", spec(`["inn","inn"]`, "2026-11-01", "2026-11-30", "xlsx", "download"), "columns[1]"},
		{"bad date", spec(`["inn"]`, "01.11.2026", "2026-11-30", "xlsx", "download"), "from"},
		{"no date", spec(`["inn"]`, "2026-11-01", "", "xlsx", "download"), "to"},
		{"to before from", spec(`["inn"]`, "2026-11-30", "2026-11-01", "xlsx", "download"), "to"},
		{"period too long", spec(`["inn"]`, "2026-01-01", "2027-01-02", "xlsx", "download"), "to"}, // 367 days
		{"format", spec(`["inn"]`, "2026-11-01", "2026-11-30", "pdf", "download"), "format"},
		{"delivery", spec(`["inn"]`, "2026-11-01", "2026-11-30", "csv", "fax"), "delivery"},
	}
	for _, tc := range cases {
		r := s.c.Call("POST", "/v1/reports", tc.body, tok)
		if r.Status != 422 || r.Code() != "unprocessable" || r.Field(tc.field) == "" {
			t.Errorf("%s: %d %v, want 422 on %s", tc.name, r.Status, r.Body, tc.field)
		}
	}
	expect(t, s.c.Call("POST", "/v1/reports", `{"columns":["inn"],"period":"2026"}`, tok), 400, "unknown field")
	expect(t, s.c.Call("POST", "/v1/reports", `{"columns":`, tok), 400, "malformed JSON")

	// E-mail delivery needs the requester's e-mail (the identity store's).
	_, err := s.c.Env.DynamoDB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(s.c.Env.Resources.Tables["IdentityTable"]), Key: identitydb.UserKey(boss.UserID),
		UpdateExpression: aws.String("SET email = :none"), ExpressionAttributeValues: dynamo.Item{":none": dynamo.S("")},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := s.c.Call("POST", "/v1/reports", spec(`["inn"]`, "2026-11-01", "2026-11-30", "xlsx", "email"), tok)
	if r.Status != 422 || r.Field("delivery") == "" {
		t.Fatalf("e-mail delivery without an e-mail: %d %v", r.Status, r.Body)
	}
	expect(t, s.c.Call("POST", "/v1/reports", spec(`["inn"]`, "2026-11-01", "2026-11-30", "xlsx", "download"), tok), 202, "download still works")
}

// Only the requester sees a report: anyone else, in the organisation or not, gets 404.
func TestReportOnlyRequester(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	head, _ := member(t, s.c, boss.Token(), "head", "")
	stranger := s.c.Ready()
	id := s.request(boss.Token(), spec(`["inn"]`, "2026-11-01", "2026-11-30", "csv", "download"))
	s.build()
	expect(t, s.c.Call("GET", "/v1/reports/"+id, "", boss.Token()), 200, "the requester")
	for who, tok := range map[string]string{"head of the organisation": head, "another organisation": stranger.Token()} {
		r := s.c.Call("GET", "/v1/reports/"+id, "", tok)
		if r.Status != 404 || strings.Contains(fmt.Sprint(r.Body), id) {
			t.Errorf("%s: %d %v", who, r.Status, r.Body)
		}
		l := s.c.Call("GET", "/v1/reports", "", tok)
		expect(t, l, 200, who+" lists")
		if strings.Contains(fmt.Sprint(l.Body), id) {
			t.Errorf("%s lists the report: %v", who, l.Body)
		}
	}
	expect(t, s.c.Call("GET", "/v1/reports/not-a-report", "", boss.Token()), 404, "garbage id")
	expect(t, s.c.Call("GET", "/v1/reports/01KAXQ7ZJ3M1P2Q3R4S5T6V7W8", "", boss.Token()), 404, "unknown id")
	expect(t, s.c.Call("GET", "/v1/reports/"+id, "", ""), 401, "no token")
}

// A job delivered twice, or again after the report is ready, builds it once.
func TestReportBuiltOnce(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	application(t, s.c, boss.Token(), 7, "Москва", false)
	id := s.request(boss.Token(), spec(`["inn"]`, today(), today(), "csv", "download"))
	q := &reportsdb.Queue{SQS: s.c.Env.SQS, QueueURL: s.c.Env.Resources.Queues["ReportQueue"].URL}
	job := reports.Job{ReportID: id, UserID: boss.UserID, OrgID: boss.OrgID}
	if err := q.Enqueue(context.Background(), job); err != nil { // a duplicate in flight
		t.Fatal(err)
	}
	s.build()
	first := s.stored(boss.UserID, id)
	if first.Status != reports.StatusReady || first.Attempts != 1 || first.Rows != 1 {
		t.Fatalf("after a duplicate: %+v", first)
	}
	if err := q.Enqueue(context.Background(), job); err != nil { // redelivered after it was built
		t.Fatal(err)
	}
	s.build()
	// Without claims (they expire after a week) the report's status alone keeps it built once.
	noClaims := reports.NewConsumer(s.svc, nil, nil, 0)
	if err := q.Enqueue(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	s.c.Env.Drain(t, builderFn, noClaims.HandleEvent)
	if again := s.stored(boss.UserID, id); again.Attempts != 1 || !again.ReadyAt.Equal(first.ReadyAt) {
		t.Fatalf("rebuilt: %+v, was %+v", again, first)
	}
}

// A retried request with the same Idempotency-Key makes one report.
func TestReportIdempotent(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	body := spec(`["inn"]`, "2026-11-01", "2026-11-30", "csv", "download")
	req := testenv.Request{Method: "POST", Path: "/v1/reports", Body: body, Token: boss.Token(), Header: map[string]string{"Idempotency-Key": "report-1"}}
	first, again := s.c.Do(req), s.c.Do(req)
	expect(t, first, 202, "first")
	expect(t, again, 202, "retry")
	if first.S("id") != again.S("id") || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry made another report: %v / %v", first.Body, again.Body)
	}
}

// brokenQueue fails every enqueue, as SQS might right after the record is written.
type brokenQueue struct{}

func (brokenQueue) Enqueue(context.Context, reports.Job) error {
	return errors.New("queue unavailable")
}

// When the enqueue fails the request is kept (202, queued) and reading it enqueues it again,
// after which it is built.
func TestReportEnqueueFailureRepaired(t *testing.T) {
	s := newSuite(t)
	boss := s.c.Ready()
	application(t, s.c, boss.Token(), 8, "Москва", false)
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	svc.Queue = brokenQueue{}
	s.build() // what other tests left
	r, err := svc.Request(context.Background(), identity.Actor{UserID: boss.UserID, OrgID: boss.OrgID, Role: identity.Superuser},
		reports.Spec{Columns: []string{"inn"}, From: today(), To: today(), Format: "csv", Delivery: "download"})
	if err != nil || r.Status != reports.StatusQueued {
		t.Fatalf("request with the queue down: %+v %v", r, err)
	}
	if n := s.build(); n != 0 {
		t.Fatalf("%d jobs on the queue, want none", n)
	}
	if got := s.stored(boss.UserID, r.ID); got.Status != reports.StatusQueued || !got.EnqueuedAt.IsZero() {
		t.Fatalf("stored %+v", got)
	}
	expect(t, s.c.Call("GET", "/v1/reports/"+r.ID, "", boss.Token()), 200, "read repairs")
	if rep, _ := s.download(boss.Token(), r.ID); rep.Body["rows"] != 1.0 {
		t.Fatalf("repaired report %v", rep.Body)
	}
}
