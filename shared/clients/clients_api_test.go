package clients_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/clients"
	"github.com/kabinet/kabinet/shared/clients/clientsdb"
	"github.com/kabinet/kabinet/shared/clients/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// bank is the back-office API with the clients' routes, called with the system API key and
// a bank administrator as User-LKB.
type bank struct {
	*testenv.API
	t     *testing.T
	key   string
	admin string
}

func newBank(t *testing.T) *bank {
	t.Helper()
	env := testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	staff := &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}
	ctx := context.Background()
	if _, err := backoffice.Bootstrap(ctx, staff, "admin", "Admin-Parol-2026"); err != nil {
		t.Fatal(err)
	}
	u, err := staff.UserByLogin(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	return &bank{API: testenv.NewAPI(t, auth, slices.Concat(wire.Routes(), bowire.Routes())), t: t, key: env.Params["BackofficeApiKey"], admin: u.ID}
}

// call sends a request (as the administrator unless h says otherwise) and returns the status,
// the headers and the raw body.
func (b *bank) call(method, path, body string, h map[string]string) (int, http.Header, []byte) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.URL+path, strings.NewReader(body))
	req.Header.Set("X-Test-Ip", testenv.UniqueIP())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if h == nil {
		h = map[string]string{"X-Authorization": b.key, "User-LKB": b.admin}
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, out
}

type row struct {
	ID             string   `json:"id"`
	FIO            string   `json:"fio"`
	Phone          string   `json:"phone"`
	Email          string   `json:"email"`
	INNs           []string `json:"inns"`
	InputPhone     *string  `json:"inputPhone"`
	SentSMS        *string  `json:"sentSms"`
	ConfirmedPhone *string  `json:"confirmedPhone"`
	Registered     *string  `json:"registered"`
	LastLogin      *string  `json:"lastLogin"`
}

func (b *bank) report(filter string) []row {
	b.t.Helper()
	st, _, body := b.call("POST", "/api/client/report", filter, nil)
	if st != 200 {
		b.t.Fatalf("report %s: %d %s", filter, st, body)
	}
	var out []row
	if err := json.Unmarshal(body, &out); err != nil {
		b.t.Fatalf("report %s: %v: %s", filter, err, body)
	}
	return out
}

func (b *bank) count(filter string) int {
	b.t.Helper()
	st, _, body := b.call("POST", "/api/client/report/count", filter, nil)
	if st != 200 {
		b.t.Fatalf("count %s: %d %s", filter, st, body)
	}
	var out struct{ Count int }
	if err := json.Unmarshal(body, &out); err != nil {
		b.t.Fatal(err)
	}
	return out.Count
}

func byPhone(rows []row, phone string) (row, bool) {
	for _, r := range rows {
		if r.Phone == phone {
			return r, true
		}
	}
	return row{}, false
}

func phones(rows []row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Phone
	}
	return out
}

// application is a draft for the DaData simulator's company with inn.
func application(t *testing.T, inn, contact string) string {
	t.Helper()
	for _, co := range dadatasim.Companies() {
		if co.INN == inn {
			b, _ := json.Marshal(map[string]any{
				"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
					"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
				"contact": map[string]any{"fullName": contact, "phone": "+7 916 123-45-67", "email": "contact@example.ru"},
			})
			return string(b)
		}
	}
	t.Fatalf("no company %s in the DaData simulator", inn)
	return ""
}

func mustTime(t *testing.T, what string, s *string) time.Time {
	t.Helper()
	if s == nil {
		t.Fatalf("%s: null", what)
	}
	v, err := time.Parse(time.RFC3339, *s)
	if err != nil || !strings.HasSuffix(*s, "+03:00") {
		t.Fatalf("%s: %q is not a Moscow RFC 3339 time (%v)", what, *s, err)
	}
	return v
}

// TestClientReport registers people through the real onboarding flow (A1) and reads the
// funnel back: each step's date, the INNs of the organisation's applications, the last
// login, the filters, paging, and the count agreeing with the report.
func TestClientReport(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	b := newBank(t)
	today := time.Now().In(moscow.Zone)
	day := `{"inputPhone":"` + today.Format(time.DateOnly) + `","size":100}`

	// A: registered, logged in, activated, with an application for 7707083893.
	before := time.Now().Add(-time.Second)
	a := c.Ready()
	app := c.Call("POST", "/v1/applications", application(t, "7707083893", "Контактов Контакт"), a.Token())
	testflows.Expect(t, app, 201, "create application")
	// B: entered the phone, never confirmed.
	bPhone := testenv.UniquePhone()
	testflows.Expect(t, c.Post("/v1/registrations", fmt.Sprintf(`{"type":"individual","phone":%q,"fullName":"Неподтверждённый Пётр","email":"petr@example.ru","consent":true}`, bPhone)), 202, "start B")
	// C: registered (code confirmed), never logged in.
	cPhone, _ := c.Register()
	after := time.Now().Add(time.Second)

	rows := b.report(day)
	if len(rows) < 3 {
		t.Fatalf("report: %d rows, want A, B and C: %v", len(rows), phones(rows))
	}
	ra, ok := byPhone(rows, a.Phone)
	if !ok {
		t.Fatalf("A (%s) missing: %v", a.Phone, phones(rows))
	}
	if ra.ID == "" || ra.FIO != "ИП Смирнова Анна" || ra.Email != "anna@example.ru" || !slices.Equal(ra.INNs, []string{"7707083893"}) {
		t.Fatalf("A: %+v", ra)
	}
	in, sent, conf, reg, last := mustTime(t, "A inputPhone", ra.InputPhone), mustTime(t, "A sentSms", ra.SentSMS),
		mustTime(t, "A confirmedPhone", ra.ConfirmedPhone), mustTime(t, "A registered", ra.Registered), mustTime(t, "A lastLogin", ra.LastLogin)
	for what, v := range map[string]time.Time{"inputPhone": in, "sentSms": sent, "confirmedPhone": conf, "registered": reg, "lastLogin": last} {
		if v.Before(before.Truncate(time.Second)) || v.After(after) {
			t.Fatalf("A %s %v not within the test (%v…%v)", what, v, before, after)
		}
	}
	if sent.Before(in) || conf.Before(sent) || !reg.Equal(conf) || last.Before(reg) {
		t.Fatalf("A steps out of order: input %v sent %v confirmed %v registered %v login %v", in, sent, conf, reg, last)
	}
	rb, ok := byPhone(rows, bPhone)
	if !ok || rb.FIO != "Неподтверждённый Пётр" || rb.SentSMS == nil || rb.ConfirmedPhone != nil || rb.Registered != nil || rb.LastLogin != nil || len(rb.INNs) != 0 {
		t.Fatalf("B (phone entered only): %+v", rb)
	}
	rc, ok := byPhone(rows, cPhone)
	if !ok || rc.Registered == nil || rc.ConfirmedPhone == nil || rc.LastLogin != nil || len(rc.INNs) != 0 {
		t.Fatalf("C (registered, no login): %+v", rc)
	}
	// Newest inputPhone first: C entered the phone last, then B, then A.
	ib, ic := slices.Index(phones(rows), bPhone), slices.Index(phones(rows), cPhone)
	if ia := slices.Index(phones(rows), a.Phone); ic > ib || ib > ia {
		t.Fatalf("not newest first: A %d, B %d, C %d", ia, ib, ic)
	}

	// The count agrees with the report, for every filter.
	if n := b.count(day); n != len(rows) {
		t.Fatalf("count %d, report %d", n, len(rows))
	}
	if n, all := b.count(`{}`), b.report(`{"size":100}`); n != len(all) || n < 3 {
		t.Fatalf("without filter: count %d, report %d", n, len(all))
	}
	// An empty body is no filter.
	if st, _, body := b.call("POST", "/api/client/report/count", "", nil); st != 200 || !strings.Contains(string(body), `"count":`) {
		t.Fatalf("empty body: %d %s", st, body)
	}
	byINN := b.report(`{"inn":"7707083893","inputPhone":"` + today.Format("02.01.2006") + `"}`)
	if len(byINN) != 1 || byINN[0].Phone != a.Phone {
		t.Fatalf("inn filter: %v", phones(byINN))
	}
	if n := b.count(`{"inn":"7707083893","inputPhone":"` + today.Format("02.01.2006") + `"}`); n != 1 {
		t.Fatalf("inn count %d", n)
	}
	if got := b.report(`{"inn":"7715048236"}`); len(got) != 0 {
		t.Fatalf("an INN nobody applied for: %v", phones(got))
	}
	without := b.report(`{"clientWithoutApp":true,"size":100}`)
	if _, hasA := byPhone(without, a.Phone); hasA {
		t.Fatal("clientWithoutApp lists A, which has an application")
	}
	for _, p := range []string{bPhone, cPhone} {
		if _, ok := byPhone(without, p); !ok {
			t.Fatalf("clientWithoutApp misses %s", p)
		}
	}
	if n := b.count(`{"clientWithoutApp":true}`); n != len(without) {
		t.Fatalf("clientWithoutApp: count %d, report %d", n, len(without))
	}
	// Paging: page counts pages of size.
	second := b.report(`{"inputPhone":"` + today.Format(time.DateOnly) + `","size":1,"page":1}`)
	if len(second) != 1 || second[0].Phone != rows[1].Phone {
		t.Fatalf("page 1 of size 1: %v, want %s", phones(second), rows[1].Phone)
	}
	// Another day has none of them.
	if got := b.report(`{"inputPhone":"` + today.AddDate(0, 0, -1).Format(time.DateOnly) + `"}`); len(got) != 0 {
		t.Fatalf("yesterday: %v", phones(got))
	}

	// A second login moves lastLogin on; C's first login sets it.
	time.Sleep(1100 * time.Millisecond)
	testflows.Expect(t, c.Login(a.Phone, testflows.NewPassword), 200, "A logs in again")
	ra2, _ := byPhone(b.report(day), a.Phone)
	if !mustTime(t, "A lastLogin", ra2.LastLogin).After(last) {
		t.Fatalf("lastLogin not moved on: %v then %v", *ra.LastLogin, *ra2.LastLogin)
	}

	// Bad filters are 400 naming the field; no credentials 401; the API key without User-LKB
	// may not POST (403, boauth).
	for body, field := range map[string]string{
		`{"size":0}`: "size", `{"size":101}`: "size", `{"page":-1}`: "page", `{"size":100,"page":101}`: "page",
		`{"inputPhone":"2026-13-45"}`: "inputPhone", `{"inputPhone":"вчера"}`: "inputPhone", `{"inn":"123"}`: "inn",
	} {
		for _, path := range []string{"/api/client/report", "/api/client/report/count"} {
			st, _, out := b.call("POST", path, body, nil)
			var e struct {
				Error struct{ Fields map[string]string }
			}
			_ = json.Unmarshal(out, &e)
			if st != 400 || e.Error.Fields[field] == "" {
				t.Fatalf("%s %s: %d %s, want 400 on %s", path, body, st, out, field)
			}
		}
	}
	if st, _, out := b.call("POST", "/api/client/report", `{"unknown":1}`, nil); st != 400 {
		t.Fatalf("unknown field: %d %s", st, out)
	}
	if st, _, _ := b.call("POST", "/api/client/report", `{}`, map[string]string{}); st != 401 {
		t.Fatalf("no credentials: %d", st)
	}
	if st, _, _ := b.call("POST", "/api/client/report/count", `{}`, map[string]string{"X-Authorization": b.key}); st != 403 {
		t.Fatalf("API key without User-LKB: %d", st)
	}
}

type client struct {
	ID          string          `json:"id"`
	ContactFIO  string          `json:"contactfio"`
	Phone       string          `json:"phone"`
	Email       string          `json:"email"`
	Number      string          `json:"number"`
	Type        string          `json:"type"`
	INN         string          `json:"inn"`
	KPP         string          `json:"kpp"`
	Individual  json.RawMessage `json:"individual"`
	LegalEntity json.RawMessage `json:"legalentity"`
}

func (b *bank) clients(query string) ([]client, string) {
	b.t.Helper()
	st, h, body := b.call("GET", "/api/clients"+query, "", map[string]string{"X-Authorization": b.key}) // a read: no User-LKB needed
	if st != 200 {
		b.t.Fatalf("clients%s: %d %s", query, st, body)
	}
	var out []client
	if err := json.Unmarshal(body, &out); err != nil {
		b.t.Fatal(err)
	}
	return out, h.Get(clients.NextPageHeader)
}

// TestClients: the applicant companies by INN, kept by the applications' writes: the list,
// newest first with pages, the card, the ABS client id as number, and the failures.
func TestClients(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	b := newBank(t)
	env := testenv.Get(t)
	agent := c.Ready()

	legal := c.Call("POST", "/v1/applications", application(t, "9715316168", "Первый Контакт"), agent.Token())
	testflows.Expect(t, legal, 201, "create legal entity's application")
	ip := c.Call("POST", "/v1/applications", application(t, "504712500357", "Предприниматель Иван"), agent.Token())
	testflows.Expect(t, ip, 201, "create sole proprietor's application")
	// An edit of the legal entity's draft updates its client.
	testflows.Expect(t, c.Call("PATCH", "/v1/applications/"+legal.S("id"), `{"version":1,"contact":{"fullName":"Второй Контакт","phone":"+79160000001","email":"second@example.ru"}}`, agent.Token()), 200, "edit")

	list, _ := b.clients("")
	ids := make([]string, len(list))
	for i, cl := range list {
		ids[i] = cl.ID
	}
	il, ii := slices.Index(ids, "9715316168"), slices.Index(ids, "504712500357")
	if il < 0 || ii < 0 || ii > il {
		t.Fatalf("clients %v: want both, the newer (504712500357) first", ids)
	}
	cl := list[il]
	if cl.INN != "9715316168" || cl.KPP != "773401001" || cl.Type != "legalentity" || cl.ContactFIO != "Второй Контакт" || cl.Phone != "+79160000001" ||
		cl.Email != "second@example.ru" || cl.Number != "" || string(cl.Individual) != "null" || !strings.Contains(string(cl.LegalEntity), `"ogrn":"1187746470834"`) {
		t.Fatalf("legal entity client: %+v individual=%s legalentity=%s", cl, cl.Individual, cl.LegalEntity)
	}
	if p := list[ii]; p.Type != "individual" || string(p.LegalEntity) != "null" || !strings.Contains(string(p.Individual), `"ogrnip":"314504700035210"`) {
		t.Fatalf("sole proprietor client: %+v individual=%s", p, p.Individual)
	}

	// Paging: one at a time, the token in the header.
	first, next := b.clients("?limit=1")
	if len(first) != 1 || next == "" {
		t.Fatalf("limit 1: %d clients, next %q", len(first), next)
	}
	second, _ := b.clients("?limit=1&pageToken=" + next)
	if len(second) != 1 || second[0].ID == first[0].ID || second[0].ID != ids[1] {
		t.Fatalf("second page: %+v after %+v (all %v)", second, first, ids)
	}

	// The ABS's client id becomes the number once an application carries it.
	apps := &applicationsdb.Store{DB: env.DynamoDB, Table: os.Getenv("APPLICATIONS_TABLE")}
	ctx := context.Background()
	a, err := apps.Get(ctx, legal.S("id"))
	if err != nil {
		t.Fatal(err)
	}
	a.Bank.ABSClientID, a.Version, a.UpdatedAt = 843687, a.Version+1, time.Now()
	if err := apps.Save(ctx, a, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	st, _, body := b.call("GET", "/api/client/9715316168", "", nil)
	var card client
	_ = json.Unmarshal(body, &card)
	if st != 200 || card.ID != "9715316168" || card.Number != "843687" || card.ContactFIO != "Второй Контакт" {
		t.Fatalf("card: %d %s", st, body)
	}

	// Failures: unknown and malformed ids 404, bad paging 400, no credentials 401.
	for _, id := range []string{"7715048236", "nope", "12345"} {
		if st, _, body := b.call("GET", "/api/client/"+id, "", nil); st != 404 {
			t.Fatalf("client %s: %d %s", id, st, body)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=1001", "?limit=x", "?pageToken=garbage"} {
		if st, _, body := b.call("GET", "/api/clients"+q, "", nil); st != 400 {
			t.Fatalf("clients%s: %d %s", q, st, body)
		}
	}
	for _, path := range []string{"/api/clients", "/api/client/9715316168"} {
		if st, _, _ := b.call("GET", path, "", map[string]string{}); st != 401 {
			t.Fatalf("%s without credentials: %d", path, st)
		}
	}
}

// Of two applications of one INN written out of order, the later one's data stays on the
// client (the write is conditional on updatedAt); the organisation's INNs take both.
func TestClientWriteOnlyIfNewer(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	table := os.Getenv("APPLICATIONS_TABLE")
	inn := fmt.Sprintf("77%08d", time.Now().UnixNano()%100_000_000)
	newer := time.Now().UTC()
	for _, s := range []clientsdb.Seen{
		{OrgID: "ORG-NEWER", ApplicationID: "APP-NEWER", INN: inn, ShortName: "ООО «Новое»", At: newer},
		{OrgID: "ORG-OLDER", ApplicationID: "APP-OLDER", INN: inn, ShortName: "ООО «Старое»", At: newer.Add(-time.Minute)},
	} {
		if err := clientsdb.WriteApplication(ctx, env.DynamoDB, table, s); err != nil {
			t.Fatal(err)
		}
	}
	c, err := (&clientsdb.Store{DB: env.DynamoDB, ApplicationsTable: table}).Client(ctx, inn)
	if err != nil || c.ShortName != "ООО «Новое»" {
		t.Fatalf("client after an older write: %+v %v", c, err)
	}
}
