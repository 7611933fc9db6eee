package banklist_test

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

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	appwire "github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
)

// bank is the back-office API with the bank's lists, and a bank administrator acting
// through the system API key (X-Authorization + User-LKB).
type bank struct {
	*testenv.API
	t       *testing.T
	key     string
	admin   string
	staff   *backofficedb.Store
	apps    *applicationsdb.Store
	orgID   string
	agentID string
}

func newBank(t *testing.T) *bank {
	t.Helper()
	env := testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := &bank{API: testenv.NewAPI(t, auth, slices.Concat(wire.Routes(), bowire.Routes())), t: t, key: env.Params["BackofficeApiKey"],
		staff: &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")},
		apps:  &applicationsdb.Store{DB: env.DynamoDB, Table: os.Getenv("APPLICATIONS_TABLE")}}
	ctx := context.Background()
	if _, err := backoffice.Bootstrap(ctx, b.staff, "admin", "Admin-Parol-2026"); err != nil {
		t.Fatal(err)
	}
	u, err := b.staff.UserByLogin(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	b.admin = u.ID
	// An agent organisation and its user, whose names the list shows.
	org := identity.Org{ID: ulid.Make().String(), Kind: identity.AgentOrg, Name: "ООО Агент Банклист", Status: identity.StatusActive, CreatedAt: time.Now()}
	agent := identity.User{ID: ulid.Make().String(), OrgID: org.ID, Role: identity.Superuser, Status: identity.StatusActive, FullName: "Агентов Агент Агентович",
		Login: testenv.UniquePhone(), PasswordHash: "x", CreatedAt: time.Now()}
	puts, err := identitydb.NewAccountPuts(b.staff.Table, org, agent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DynamoDB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: puts}); err != nil {
		t.Fatal(err)
	}
	b.orgID, b.agentID = org.ID, agent.ID
	return b
}

func (b *bank) user(h map[string]string) map[string]string {
	out := map[string]string{"X-Authorization": b.key, "User-LKB": b.admin}
	for k, v := range h {
		out[k] = v
	}
	return out
}

// member makes a bank user: its id.
func (b *bank) member(name string, role backoffice.RoleID) string {
	b.t.Helper()
	u, _, err := backoffice.CreateMember(context.Background(), b.staff, backoffice.NewMember{Login: "bl-" + strings.ToLower(ulid.Make().String()[16:]), FullName: name, EmployeeID: "E-1", Roles: []backoffice.RoleID{role}})
	if err != nil {
		b.t.Fatal(err)
	}
	return u.ID
}

// raw calls the API and returns the status and the body.
func (b *bank) raw(method, path, body string, h map[string]string) (int, []byte) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.URL+path, strings.NewReader(body))
	req.Header.Set("X-Test-Ip", testenv.UniqueIP())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
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
	return resp.StatusCode, out
}

type listItem struct {
	Application struct {
		ID       string `json:"id"`
		OrgName  string `json:"orgName"`
		StatusID int    `json:"statusid"`
		Agent    struct {
			FullName string `json:"fullName"`
		} `json:"agent"`
		Bank struct {
			TakerID string   `json:"takerId"`
			Signers []string `json:"signers"`
		} `json:"bank"`
	} `json:"application"`
	Actions []map[string]any `json:"actions"`
	Infos   []struct {
		Role, UserID, UserFio string
	} `json:"infos"`
}

func (b *bank) list(filter string) []listItem {
	b.t.Helper()
	st, body := b.raw("POST", "/api/application/", filter, b.user(nil))
	if st != 200 {
		b.t.Fatalf("list %s: %d %s", filter, st, body)
	}
	var out []listItem
	if err := json.Unmarshal(body, &out); err != nil {
		b.t.Fatalf("list %s: %s", filter, body)
	}
	return out
}

func (b *bank) count(filter string) int {
	b.t.Helper()
	st, body := b.raw("POST", "/api/application/count/", filter, b.user(nil))
	if st != 200 {
		b.t.Fatalf("count %s: %d %s", filter, st, body)
	}
	var out struct {
		Count *int `json:"count"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Count == nil {
		b.t.Fatalf("count %s: %s", filter, body)
	}
	return *out.Count
}

func ids(items []listItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Application.ID
	}
	return out
}

// E2, seed 004 applicationList and applicationCount: every filter of the filter object alone
// and combined, offset/limit pages, the count equal to the list for the same filter, the
// newest first order across months, the id / INN / name substring, and the answer's shape
// (application with organisation and agent names, actions, role infos).
func TestListAndCountFilters(t *testing.T) {
	b := newBank(t)
	ctx := context.Background()
	taker := b.member("Исполнителев Иван", backoffice.Executor)
	signer := b.member("Подписантов Пётр", backoffice.Signer)
	run := fmt.Sprintf("%06d", time.Now().UnixNano()%1_000_000)
	now := time.Now().UTC()
	statuses := []string{applications.StatusSubmitted, applications.StatusInReview, applications.StatusSubmitted, applications.StatusAccountOpened,
		applications.StatusRejected, applications.StatusDraft, applications.StatusInReview, applications.StatusAnnulled, applications.StatusSubmitted,
		applications.StatusInReview, applications.StatusAccountReserved, applications.StatusSubmitted}
	var apps []applications.Application
	base := time.Date(2019, 1, 10, 9, 0, 0, 0, time.UTC) // its own window: three months of 2019
	for i, st := range statuses {
		at := base.Add(time.Duration(i) * 6 * 24 * time.Hour) // 10 Jan … 16 Mar
		a := applications.Application{ID: ulid.MustNew(ulid.Timestamp(at), ulid.DefaultEntropy()).String(), Number: int64(i + 1), OrgID: b.orgID,
			CreatedBy: b.agentID, Status: st, CreatedAt: at, UpdatedAt: at,
			Company: applications.Company{INN: "9" + run + fmt.Sprintf("%03d", i), ShortName: fmt.Sprintf("ООО Банклист%s %s", run, []string{"Альфа", "Бета"}[i%2])},
			Office:  applications.Office{City: "Москва", Office: "Офис", OfficeID: []string{"77-001-01", "77-001-02", "78-001-01"}[i%3]}}
		if i%2 == 0 {
			a.Bank.TakerID, a.Bank.TakenAt = taker, at
		}
		if i%3 == 0 {
			a.Bank.Signers = []string{signer}
		}
		if i%4 == 0 {
			a.Bank.ClosedAt = time.Date(2019, 6, 1+i, 12, 0, 0, 0, time.UTC)
		}
		if i == 1 {
			a.Bank.LifeDate = now.Add(48 * time.Hour)
		}
		if i == 3 {
			a.Bank.LifeDate = now.Add(30 * 24 * time.Hour)
		}
		if err := b.apps.Create(ctx, a, applications.HistoryEntry{At: at, By: b.agentID, To: st}, applications.Tally{Day: at.Format(time.DateOnly), Field: applications.StatCreated}); err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	window := `"datefrom":"2019-01-01","dateto":"2019-03-31"`
	// expect lists with filter, checks the count and returns the ids, newest first.
	want := func(pick func(i int, a applications.Application) bool) []string {
		var out []string
		for i := len(apps) - 1; i >= 0; i-- {
			if pick(i, apps[i]) {
				out = append(out, apps[i].ID)
			}
		}
		return out
	}
	check := func(name, filter string, wantIDs []string, ordered bool) {
		t.Helper()
		got := ids(b.list(filter))
		if !ordered {
			slices.Sort(got)
			wantIDs = slices.Clone(wantIDs)
			slices.Sort(wantIDs)
		}
		if !slices.Equal(got, wantIDs) {
			t.Fatalf("%s: list %v, want %v", name, got, wantIDs)
		}
		if n := b.count(filter); n != len(wantIDs) {
			t.Fatalf("%s: count %d, list %d", name, n, len(wantIDs))
		}
	}
	all := want(func(int, applications.Application) bool { return true })
	check("window", `{"limit":100,`+window+`}`, all, true)
	check("one month", `{"limit":100,"datefrom":"01.02.2019","dateto":"28.02.2019"}`, want(func(_ int, a applications.Application) bool { return a.CreatedAt.Month() == time.February }), true)
	check("statuses", `{"limit":100,"statusid":[2,3],`+window+`}`, want(func(_ int, a applications.Application) bool {
		return a.Status == applications.StatusSubmitted || a.Status == applications.StatusInReview
	}), true)
	check("inn prefix", `{"limit":100,"substring":"9`+run+`"}`, all, false)
	check("inn prefix and status", `{"limit":100,"substring":"9`+run+`","statusid":[2]}`, want(func(_ int, a applications.Application) bool { return a.Status == applications.StatusSubmitted }), false)
	check("name prefix", `{"limit":100,"substring":"ооо банклист`+run+` аль"}`, want(func(i int, _ applications.Application) bool { return i%2 == 0 }), false)
	check("id", `{"substring":"`+strings.ToLower(apps[4].ID)+`"}`, []string{apps[4].ID}, true)
	check("id and another status", `{"substring":"`+apps[4].ID+`","statusid":[1]}`, nil, true)
	check("takers", `{"limit":100,"takers":["`+taker+`"],`+window+`}`, want(func(i int, _ applications.Application) bool { return i%2 == 0 }), true)
	check("work 1", `{"limit":100,"work":1,`+window+`}`, want(func(i int, _ applications.Application) bool { return i%2 == 0 }), true)
	check("work 2", `{"limit":100,"work":2,`+window+`}`, want(func(i int, _ applications.Application) bool { return i%2 == 1 }), true)
	check("signers", `{"limit":100,"signers":["`+signer+`","nobody"],`+window+`}`, want(func(i int, _ applications.Application) bool { return i%3 == 0 }), true)
	check("offices", `{"limit":100,"offices":["77-001-02","78-001-01"],`+window+`}`, want(func(i int, _ applications.Application) bool { return i%3 != 0 }), true)
	check("closed", `{"limit":100,"closedatefrom":"2019-06-01","closedateto":"2019-06-05",`+window+`}`, want(func(i int, _ applications.Application) bool { return i == 0 || i == 4 }), true)
	check("annul period", `{"limit":100,"annulPeriod":7,`+window+`}`, []string{apps[1].ID}, true)
	check("combined", `{"limit":100,"statusid":[2,3,5],"work":1,"offices":["77-001-01","78-001-01"],`+window+`}`, want(func(i int, a applications.Application) bool {
		return (a.Status == applications.StatusSubmitted || a.Status == applications.StatusInReview || a.Status == applications.StatusAccountReserved) && i%2 == 0 && i%3 != 1
	}), true)

	// Pages: offset and limit walk the same order, over months and over merged statuses.
	for _, f := range []string{window, `"statusid":[2,3],` + window} {
		full := ids(b.list(`{"limit":100,` + f + `}`))
		var paged []string
		for off := 0; off < len(full)+5; off += 5 {
			paged = append(paged, ids(b.list(fmt.Sprintf(`{"limit":5,"offset":%d,%s}`, off, f)))...)
		}
		if !slices.Equal(paged, full) {
			t.Fatalf("pages of %s: %v, want %v", f, paged, full)
		}
	}
	// No filter: the count is every application; the last offset is the oldest.
	oldest := applications.Application{ID: ulid.MustNew(ulid.Timestamp(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)), ulid.DefaultEntropy()).String(), Number: 100,
		OrgID: b.orgID, CreatedBy: b.agentID, Status: applications.StatusDraft, CreatedAt: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := b.apps.Create(ctx, oldest, applications.HistoryEntry{At: oldest.CreatedAt, By: b.agentID, To: oldest.Status}, applications.Tally{Day: "2001-01-01", Field: applications.StatCreated}); err != nil {
		t.Fatal(err)
	}
	total := b.count(`{}`)
	if total < len(apps)+1 {
		t.Fatalf("count of everything: %d", total)
	}
	if got := ids(b.list(fmt.Sprintf(`{"limit":5,"offset":%d}`, total-1))); !slices.Equal(got, []string{oldest.ID}) {
		t.Fatalf("last offset of everything: %v, want %v", got, oldest.ID)
	}
	if got := b.list(`{"limit":3}`); len(got) != 3 {
		t.Fatalf("first page of everything: %d items", len(got))
	}

	// The answer's shape.
	items := b.list(`{"substring":"` + apps[0].ID + `"}`)
	it := items[0]
	if it.Application.OrgName != "ООО Агент Банклист" || it.Application.Agent.FullName != "Агентов Агент Агентович" || it.Application.StatusID != 2 ||
		it.Application.Bank.TakerID != taker || !slices.Equal(it.Application.Bank.Signers, []string{signer}) || it.Actions == nil {
		t.Fatalf("item: %+v", it)
	}
	if len(it.Infos) != 2 || it.Infos[0].Role != "taker" || it.Infos[0].UserFio != "Исполнителев Иван" || it.Infos[1].Role != "signer" || it.Infos[1].UserFio != "Подписантов Пётр" {
		t.Fatalf("infos: %+v", it.Infos)
	}

	// getApplication: the same item; 404 for an unknown id; reads need no User-LKB.
	st, body := b.raw("GET", "/api/application/"+apps[0].ID+"/", "", map[string]string{"X-Authorization": b.key})
	var one listItem
	if st != 200 || json.Unmarshal(body, &one) != nil || one.Application.ID != apps[0].ID || len(one.Infos) != 2 {
		t.Fatalf("get: %d %s", st, body)
	}
	if st, body := b.raw("GET", "/api/application/"+ulid.Make().String()+"/", "", b.user(nil)); st != 404 {
		t.Fatalf("get unknown: %d %s", st, body)
	}

	// Bad filters: 400.
	for _, f := range []string{`{"statusid":[99]}`, `{"datefrom":"завтра"}`, `{"limit":0}`, `{"limit":101}`, `{"offset":-1}`, `{"offset":10001}`,
		`{"work":3}`, `{"datefrom":"2019-02-01","dateto":"2019-01-01"}`, `{"takers":[""]}`, `{"unknown":1}`, `{"statusid":"2"}`} {
		for _, path := range []string{"/api/application/", "/api/application/count/"} {
			if st, body := b.raw("POST", path, f, b.user(nil)); st != 400 {
				t.Fatalf("%s %s: %d %s", path, f, st, body)
			}
		}
	}
}

// E2, seed 004 statusCount: the counts per status follow creates and moves (kept on write in
// the same transaction).
func TestStatusCount(t *testing.T) {
	b := newBank(t)
	ctx := context.Background()
	counts := func() map[string]int {
		t.Helper()
		st, body := b.raw("GET", "/api/application/statuscount/", "", map[string]string{"X-Authorization": b.key})
		var out []struct {
			ID    int    `json:"id"`
			Code  string `json:"code"`
			Name  string `json:"name"`
			Count int    `json:"count"`
		}
		if st != 200 || json.Unmarshal(body, &out) != nil || len(out) < len(applications.Statuses) {
			t.Fatalf("statuscount: %d %s", st, body)
		}
		m := map[string]int{}
		for _, s := range out {
			if s.Name == "" || (s.ID != applications.StatusIDs[s.Code]) {
				t.Fatalf("status %+v", s)
			}
			m[s.Code] = s.Count
		}
		return m
	}
	before := counts()
	svc, err := appwire.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var made []string
	for i := range 3 {
		at := time.Now().UTC()
		a := applications.Application{ID: ulid.Make().String(), Number: int64(1000 + i), OrgID: b.orgID, CreatedBy: b.agentID, Status: applications.StatusSubmitted, CreatedAt: at, UpdatedAt: at}
		if err := b.apps.Create(ctx, a, applications.HistoryEntry{At: at, By: b.agentID, To: a.Status}, applications.Tally{Day: at.Format(time.DateOnly), Field: applications.StatCreated}); err != nil {
			t.Fatal(err)
		}
		made = append(made, a.ID)
	}
	if _, err := svc.Advance(ctx, made[0], applications.StatusInReview, b.admin, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Advance(ctx, made[1], applications.StatusInReview, b.admin, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Advance(ctx, made[1], applications.StatusRejected, b.admin, "нет"); err != nil {
		t.Fatal(err)
	}
	after := counts()
	for code, d := range map[string]int{applications.StatusSubmitted: 1, applications.StatusInReview: 1, applications.StatusRejected: 1, applications.StatusDraft: 0} {
		if after[code]-before[code] != d {
			t.Fatalf("%s: %d → %d, want +%d", code, before[code], after[code], d)
		}
	}
	// The counters agree with the count of a status filter (which reads them) and with a
	// filtered count over the index.
	if n := b.count(`{"statusid":[3]}`); n != after[applications.StatusInReview] {
		t.Fatalf("count in review %d, statuscount %d", n, after[applications.StatusInReview])
	}
	if n := b.count(`{"statusid":[3],"work":0,"datefrom":"2000-01-01"}`); n != after[applications.StatusInReview] {
		t.Fatalf("filtered count in review %d, statuscount %d", n, after[applications.StatusInReview])
	}
}

// E2, seed 004 saveFilter: the current user's filter round trip, also in its user info's
// filterSettings; another user has its own;
// an API-key call without User-LKB has no user (403); a bad filter is a 400.
func TestSavedFilter(t *testing.T) {
	b := newBank(t)
	f := `{"limit":50,"substring":"77","datefrom":"2026-01-01","statusid":[2,3],"work":1,"takers":["u1"]}`
	st, body := b.raw("POST", "/api/application/filter", f, b.user(nil))
	if st != 200 {
		t.Fatalf("save: %d %s", st, body)
	}
	st, got := b.raw("GET", "/api/application/filter", "", b.user(nil))
	var a, w map[string]any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal([]byte(f), &w)
	if st != 200 || fmt.Sprint(a) != fmt.Sprint(w) {
		t.Fatalf("read back: %d %s, want %s", st, got, f)
	}
	// The user's info shows it as filterSettings.
	st, got = b.raw("GET", "/api/user/info/", "", b.user(nil))
	var info struct {
		FilterSettings map[string]any `json:"filterSettings"`
	}
	if st != 200 || json.Unmarshal(got, &info) != nil || fmt.Sprint(info.FilterSettings) != fmt.Sprint(w) {
		t.Fatalf("user info: %d %s", st, got)
	}
	other := b.member("Другой Сотрудник", backoffice.Operator)
	if st, got := b.raw("GET", "/api/application/filter", "", map[string]string{"X-Authorization": b.key, "User-LKB": other}); st != 403 && (st != 200 || string(got) != "{}") {
		t.Fatalf("another user's filter: %d %s", st, got)
	}
	if st, body := b.raw("GET", "/api/application/filter", "", map[string]string{"X-Authorization": b.key}); st != 403 {
		t.Fatalf("no user: %d %s", st, body)
	}
	if st, body := b.raw("POST", "/api/application/filter", `{"statusid":[42]}`, b.user(nil)); st != 400 {
		t.Fatalf("bad filter: %d %s", st, body)
	}
}

// Without credentials every route answers 401.
func TestUnauthenticated(t *testing.T) {
	b := newBank(t)
	for _, r := range wire.Routes() {
		path := strings.ReplaceAll(r.Path, "{applicationid}", ulid.Make().String())
		if st, body := b.raw(r.Method, path, r.Example, nil); st != 401 {
			t.Fatalf("%s %s: %d %s", r.Method, path, st, body)
		}
		if st, body := b.raw(r.Method, path, r.Example, map[string]string{"X-Authorization": "wrong-key-wrong-key-wrong-key-wrong"}); st != 401 {
			t.Fatalf("%s %s with a wrong key: %d %s", r.Method, path, st, body)
		}
	}
}
