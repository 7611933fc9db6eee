package applications_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var expect = testflows.Expect

// member invites a user of role into groupID, logs it in and changes its temporary password;
// it returns its access token.
func member(t *testing.T, c *testflows.Client, token, role, groupID, name string) string {
	t.Helper()
	return c.Invite(token, role, groupID, name).Token
}

// body is a complete application for the i-th company of the DaData simulator.
func body(i int) string {
	co := dadatasim.Companies()[i]
	b, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact":       map[string]any{"fullName": "Иванов Иван Иванович", "phone": "+7 916 123-45-67", "email": "ivanov@example.ru"},
		"office":        map[string]any{"city": "Москва", "office": "Центральный"},
		"founders":      []map[string]any{{"fullName": "Петров Пётр Петрович", "share": 7550, "inn": "504712500357"}, {"fullName": "Сидоров Сидор", "share": 2450}},
		"questionnaire": map[string]string{"employees": "12", "turnoverPerMonth": "до 1 млн"},
	})
	return string(b)
}

func version(r testenv.Reply) int64 { n, _ := r.Body["version"].(float64); return int64(n) }

type entry struct{ From, To, Comment string }

func history(t *testing.T, c *testflows.Client, id, token string) []entry {
	t.Helper()
	r := c.Call("GET", "/v1/applications/"+id+"/history", "", token)
	expect(t, r, 200, "history")
	var out []entry
	for _, it := range r.Body["items"].([]any) {
		m := it.(map[string]any)
		e := entry{From: m["from"].(string), To: m["to"].(string)}
		e.Comment, _ = m["comment"].(string)
		if m["by"] == "" || m["at"] == "" {
			t.Fatalf("history entry without who or when: %v", m)
		}
		out = append(out, e)
	}
	return out
}

func TestApplicationLifecycle(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()

	// A draft with a valid company; the phone comes back in E.164.
	r := c.Call("POST", "/v1/applications", body(0), tok)
	expect(t, r, 201, "create")
	id := r.S("id")
	if r.S("status") != "draft" || version(r) != 1 || r.S("orgId") != boss.OrgID || r.S("createdBy") != boss.UserID {
		t.Fatalf("created: %v", r.Body)
	}
	if got := r.Body["contact"].(map[string]any)["phone"]; got != "+79161234567" {
		t.Fatalf("contact phone %v, want E.164", got)
	}
	if got := r.Body["founders"].([]any)[0].(map[string]any)["share"]; got != 7550.0 {
		t.Fatalf("founder share %v", got)
	}
	expect(t, c.Call("GET", "/v1/applications/"+id, "", tok), 200, "get")

	// Wrong requisites: field errors with dotted names.
	bad := c.Call("POST", "/v1/applications", `{"company":{"inn":"7707083894"}}`, tok)
	expect(t, bad, 400, "wrong INN check digit")
	if bad.Field("company.inn") == "" {
		t.Fatalf("no company.inn error: %v", bad.Body)
	}
	bad = c.Call("POST", "/v1/applications", `{"company":{"inn":"7707083893","kpp":"77360100","ogrn":"1027700132196","okved":["6x"]},"contact":{"phone":"12","email":"nope"},"founders":[{"fullName":"Кто-то","share":10001}]}`, tok)
	expect(t, bad, 400, "wrong KPP, OGRN, OKVED, phone, e-mail, share")
	for _, f := range []string{"company.kpp", "company.ogrn", "company.okved[0]", "contact.phone", "contact.email", "founders[0].share"} {
		if bad.Field(f) == "" {
			t.Errorf("no %s error: %v", f, bad.Body)
		}
	}
	expect(t, c.Call("POST", "/v1/applications", `{"company":{"inn":"7707083893","bic":"1"}}`, tok), 400, "unknown field")

	// Submit checks the required fields.
	thin := c.Call("POST", "/v1/applications", `{"company":{"inn":"7707083893"}}`, tok)
	expect(t, thin, 201, "thin draft")
	r = c.Call("POST", "/v1/applications/"+thin.S("id")+"/submit", "", tok)
	expect(t, r, 400, "submit with missing fields")
	for _, f := range []string{"company.kpp", "company.ogrn", "company.shortName", "company.regAddress", "company.okved", "contact.phone", "contact.email", "office.city", "office.office"} {
		if r.Field(f) == "" {
			t.Errorf("submit: no %s error: %v", f, r.Body)
		}
	}

	// Optimistic locking: the version read must still be current.
	expect(t, c.Call("PATCH", "/v1/applications/"+thin.S("id"), `{"version":1,"office":{"city":"Казань","office":"Казанский"}}`, tok), 200, "edit v1")
	expect(t, c.Call("PATCH", "/v1/applications/"+thin.S("id"), `{"version":1,"office":{"city":"Уфа","office":"Уфимский"}}`, tok), 409, "stale version")
	expect(t, c.Call("PATCH", "/v1/applications/"+thin.S("id"), `{"office":{"city":"Уфа","office":"Уфимский"}}`, tok), 400, "no version")
	if g := c.Call("GET", "/v1/applications/"+thin.S("id"), "", tok); version(g) != 2 || g.Body["office"].(map[string]any)["city"] != "Казань" {
		t.Fatalf("after edits: %v", g.Body)
	}

	// Submit; then it cannot be edited or submitted again.
	r = c.Call("POST", "/v1/applications/"+id+"/submit", "", tok)
	expect(t, r, 200, "submit")
	if r.S("status") != "submitted" || r.S("submittedAt") == "" {
		t.Fatalf("submitted: %v", r.Body)
	}
	expect(t, c.Call("PATCH", "/v1/applications/"+id, fmt.Sprintf(`{"version":%d,"office":{"city":"Тула","office":"Тульский"}}`, version(r)), tok), 409, "edit after submit")
	expect(t, c.Call("POST", "/v1/applications/"+id+"/submit", "", tok), 409, "submit twice")
	if h := history(t, c, id, tok); !slices.Equal(h, []entry{{"", "draft", ""}, {"draft", "submitted", ""}}) {
		t.Fatalf("history after submit: %v", h)
	}

	// The bank returns it for rework (A7); the agent edits and resubmits.
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.Advance(ctx, id, "in_review", "bank-user-1", "взята в работу"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReturnForRework(ctx, id, "bank-user-1", ""); err == nil {
		t.Fatal("rework without a reason accepted")
	}
	if _, err := svc.ReturnForRework(ctx, id, "bank-user-1", "Уточните фактический адрес"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Advance(ctx, id, "account_opened", "bank-user-1", ""); err == nil {
		t.Fatal("rework -> account_opened accepted")
	}
	g := c.Call("GET", "/v1/applications/"+id, "", tok)
	if g.S("status") != "rework" {
		t.Fatalf("after rework: %v", g.Body)
	}
	r = c.Call("PATCH", "/v1/applications/"+id, fmt.Sprintf(`{"version":%d,"company":%s}`, version(g), mustSection(t, body(0), "company", `"actualAddress":"г Москва, ул Вавилова, д 19, оф 1"`)), tok)
	expect(t, r, 200, "edit in rework")
	if r.Body["company"].(map[string]any)["actualAddress"] != "г Москва, ул Вавилова, д 19, оф 1" {
		t.Fatalf("edited: %v", r.Body)
	}
	expect(t, c.Call("POST", "/v1/applications/"+id+"/submit", "", tok), 200, "resubmit")
	want := []entry{{"", "draft", ""}, {"draft", "submitted", ""}, {"submitted", "in_review", "взята в работу"},
		{"in_review", "rework", "Уточните фактический адрес"}, {"rework", "submitted", ""}}
	if h := history(t, c, id, tok); !slices.Equal(h, want) {
		t.Fatalf("history after rework:\n got %v\nwant %v", h, want)
	}
}

// mustSection returns the section name of the JSON object doc with extra fields added.
func mustSection(t *testing.T, doc, name, extra string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSpace(string(m[name]))
	return s[:len(s)-1] + "," + extra + "}"
}

func TestApplicationSearchScopeAndPages(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	g := c.Call("POST", "/v1/groups", `{"name":"Продажи"}`, tok)
	expect(t, g, 201, "group")
	admin := member(t, c, tok, "administrator", g.S("id"), "Администратор Анна")
	user1 := member(t, c, tok, "user", g.S("id"), "Пользователь Пётр")
	user2 := member(t, c, tok, "user", "", "Другой Дмитрий")
	head := member(t, c, tok, "head", "", "Начальник Нина")

	create := func(i int, token string) string {
		t.Helper()
		r := c.Call("POST", "/v1/applications", body(i), token)
		expect(t, r, 201, "create")
		return r.S("id")
	}
	u1 := create(0, user1) // ПАО СБЕРБАНК, 7707083893, group
	u2 := create(1, user2) // ООО "ИФР", 9715316168, no group
	time.Sleep(5 * time.Millisecond)
	mid := time.Now()
	time.Sleep(5 * time.Millisecond)
	a1 := create(2, admin)          // 7715048236, group
	b1 := create(3, tok)            // 7810135721, no group
	all := []string{b1, a1, u2, u1} // newest first

	list := func(query, token string) ([]string, string) {
		t.Helper()
		r := c.Call("GET", "/v1/applications?"+query, "", token)
		expect(t, r, 200, "list "+query)
		var ids []string
		for _, it := range r.Body["items"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		next, _ := r.Body["nextPageToken"].(string)
		return ids, next
	}
	same := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
	}
	sorted := func(ids ...string) []string { s := slices.Clone(ids); slices.Sort(s); return s }
	unordered := func(what string, got, want []string) { t.Helper(); same(what, sorted(got...), sorted(want...)) }

	// Role scope (A17).
	got, _ := list("", tok)
	same("superuser sees everything, newest first", got, all)
	got, _ = list("", head)
	same("head sees everything", got, all)
	got, _ = list("", admin)
	same("administrator sees its group's", got, []string{a1, u1})
	got, _ = list("", user1)
	same("user sees its own", got, []string{u1})
	expect(t, c.Call("GET", "/v1/applications/"+u2, "", user1), 404, "user, another's application")
	expect(t, c.Call("GET", "/v1/applications/"+u2, "", admin), 404, "administrator, outside its group")
	expect(t, c.Call("GET", "/v1/applications/"+u1, "", admin), 200, "administrator, its group's")
	expect(t, c.Call("PATCH", "/v1/applications/"+u1, `{"version":1,"office":{"city":"Сочи","office":"Сочинский"}}`, admin), 200, "administrator edits its group's")
	expect(t, c.Call("POST", "/v1/applications/"+b1+"/submit", "", user2), 404, "user submits another's")

	// Another organisation sees nothing and gets 404 on ids.
	other := c.Ready().Token()
	got, _ = list("", other)
	same("another organisation", got, nil)
	got, _ = list("q=7707", other)
	same("another organisation, INN search", got, nil)
	for _, call := range [][2]string{{"GET", ""}, {"GET", "/history"}, {"POST", "/submit"}} {
		expect(t, c.Call(call[0], "/v1/applications/"+u1+call[1], "", other), 404, "another organisation "+call[0]+call[1])
	}
	expect(t, c.Call("PATCH", "/v1/applications/"+u1, `{"version":2,"office":{"city":"Сочи","office":"Сочинский"}}`, other), 404, "another organisation edits")

	// Search (A8): INN prefix when all digits, else the short name's prefix, any case.
	got, _ = list("q=7707", tok)
	same("INN prefix", got, []string{u1})
	got, _ = list("q=77", tok)
	unordered("INN prefix 77", got, []string{u1, a1})
	got, _ = list("q="+url.QueryEscape("пао  сбер"), tok)
	same("name prefix, any case", got, []string{u1})
	got, _ = list("q="+url.QueryEscape(`ооо "иф`), tok)
	same("name prefix with quotes", got, []string{u2})
	got, _ = list("q=7707", user2)
	same("INN search stays in the user's scope", got, nil)
	got, _ = list("q=77", admin)
	unordered("INN search in the administrator's scope", got, []string{u1, a1})

	// Filters: status and creation dates.
	expect(t, c.Call("POST", "/v1/applications/"+a1+"/submit", "", admin), 200, "submit a1")
	got, _ = list("status=submitted", tok)
	same("status submitted", got, []string{a1})
	got, _ = list("status=draft", tok)
	same("status draft", got, []string{b1, u2, u1})
	got, _ = list("status=draft&q=77", tok)
	same("status with INN search", got, []string{u1})
	expect(t, c.Call("GET", "/v1/applications?status=sleeping", "", tok), 400, "unknown status")
	msk := time.FixedZone("MSK", 3*3600)
	today := time.Now().In(msk).Format(time.DateOnly)
	yesterday := time.Now().In(msk).AddDate(0, 0, -1).Format(time.DateOnly)
	tomorrow := time.Now().In(msk).AddDate(0, 0, 1).Format(time.DateOnly)
	got, _ = list("createdFrom="+today+"&createdTo="+today, tok)
	same("created today", got, all)
	got, _ = list("createdTo="+yesterday, tok)
	same("created until yesterday", got, nil)
	got, _ = list("createdFrom="+tomorrow, tok)
	same("created from tomorrow", got, nil)
	got, _ = list("createdFrom="+url.QueryEscape(mid.Format(time.RFC3339Nano)), tok)
	same("created after an instant", got, []string{b1, a1})
	got, _ = list("createdTo="+url.QueryEscape(mid.Format(time.RFC3339Nano)), tok)
	same("created before an instant", got, []string{u2, u1})
	got, _ = list("q=77&createdFrom="+url.QueryEscape(mid.Format(time.RFC3339Nano)), tok)
	same("INN search and dates", got, []string{a1})
	expect(t, c.Call("GET", "/v1/applications?createdFrom=31.01.2026", "", tok), 400, "bad date")
	expect(t, c.Call("GET", "/v1/applications?createdFrom="+tomorrow+"&createdTo="+yesterday, "", tok), 400, "dates reversed")

	// Pages.
	var pages [][]string
	token := ""
	for i := 0; ; i++ {
		ids, next := list("limit=1&pageToken="+url.QueryEscape(token), tok)
		if len(ids) > 0 {
			pages = append(pages, ids)
		}
		if next == "" {
			break
		}
		if i > 10 {
			t.Fatal("pages never end")
		}
		token = next
	}
	if len(pages) != 4 || !slices.Equal(slices.Concat(pages...), all) {
		t.Fatalf("pages of one: %v, want %v", pages, all)
	}
	first, next := list("limit=3", tok)
	same("first page of three", first, all[:3])
	rest, _ := list("limit=3&pageToken="+url.QueryEscape(next), tok)
	same("second page", rest, all[3:])
	expect(t, c.Call("GET", "/v1/applications?status=draft&limit=3&pageToken="+url.QueryEscape(next), "", tok), 400, "page token of another query")
}

func TestApplicationStatistics(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// 3 created, 2 submitted; the bank opens an account for one and rejects the other.
	var ids []string
	for i := range 3 {
		r := c.Call("POST", "/v1/applications", body(i), tok)
		expect(t, r, 201, "create")
		ids = append(ids, r.S("id"))
	}
	for _, id := range ids[:2] {
		expect(t, c.Call("POST", "/v1/applications/"+id+"/submit", "", tok), 200, "submit")
	}
	for _, to := range []string{"in_review", "account_reserved", "account_opened"} {
		if _, err := svc.Advance(ctx, ids[0], to, "bank-user-1", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Advance(ctx, ids[1], "rejected", "bank-user-1", "Отказ"); err != nil {
		t.Fatal(err)
	}

	msk := time.FixedZone("MSK", 3*3600)
	today := time.Now().In(msk).Format(time.DateOnly)
	stats := func(query, token string) map[string]any {
		t.Helper()
		r := c.Call("GET", "/v1/applications/statistics?"+query, "", token)
		expect(t, r, 200, "statistics "+query)
		return r.Body
	}
	want := map[string]any{"from": today, "to": today, "created": 3.0, "submitted": 2.0, "opened": 1.0, "rejected": 1.0, "conversion": 0.5}
	if got := stats("from="+today+"&to="+today, tok); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("statistics today:\n got %v\nwant %v", got, want)
	}
	if got := stats("", tok); got["created"] != 3.0 || got["conversion"] != 0.5 || !strings.HasPrefix(today, got["from"].(string)[:8]) || !strings.HasSuffix(got["from"].(string), "-01") {
		t.Fatalf("statistics of the current month: %v", got)
	}
	lastYear := time.Now().In(msk).AddDate(-1, 0, 0)
	zero := stats("from="+lastYear.Format(time.DateOnly)+"&to="+lastYear.AddDate(0, 0, 30).Format(time.DateOnly), tok)
	for _, k := range []string{"created", "submitted", "opened", "rejected", "conversion"} {
		if zero[k] != 0.0 {
			t.Errorf("a period without today: %s = %v", k, zero[k])
		}
	}
	// Another organisation sees its own figures only.
	if got := stats("from="+today+"&to="+today, c.Ready().Token()); got["created"] != 0.0 {
		t.Fatalf("another organisation: %v", got)
	}

	tomorrow := time.Now().In(msk).AddDate(0, 0, 1).Format(time.DateOnly)
	for _, bad := range []struct{ query, field string }{
		{"from=31.01.2026&to=" + today, "from"},
		{"from=" + today + "&to=2026-13-01", "to"},
		{"from=" + tomorrow + "&to=" + today, "to"},
		{"from=2024-01-01&to=2025-01-01", "to"}, // 367 days
	} {
		r := c.Call("GET", "/v1/applications/statistics?"+bad.query, "", tok)
		expect(t, r, 400, "bad period "+bad.query)
		if r.Field(bad.field) == "" {
			t.Errorf("%s: no %s error: %v", bad.query, bad.field, r.Body)
		}
	}
	expect(t, c.Call("GET", "/v1/applications/statistics?from=2024-01-01&to=2024-12-31", "", tok), 200, "366 days")

	// Organisation-wide figures: the head sees them, a user does not.
	head := member(t, c, tok, "head", "", "Начальник Нина")
	if got := stats("from="+today+"&to="+today, head); got["opened"] != 1.0 {
		t.Fatalf("head: %v", got)
	}
	user := member(t, c, tok, "user", "", "Пользователь Пётр")
	expect(t, c.Call("GET", "/v1/applications/statistics", "", user), 403, "user")
}
