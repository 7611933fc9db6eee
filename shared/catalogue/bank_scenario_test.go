package catalogue_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// seedClient is a bank employee's browser written only from seed 004's text: its paths under
// /api, its methods, its form login with the JSESSION cookie and its JSON bodies. It knows
// nothing of Kabinet's Go types; what it learns (status ids, action ids, signers) it reads from
// the answers, as a front end would.
type seedClient struct {
	t    *testing.T
	base string
	http *http.Client
	ip   string
}

func newSeedClient(t *testing.T, base string) *seedClient {
	jar, _ := cookiejar.New(nil)
	return &seedClient{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, ip: testenv.UniqueIP()}
}

// call sends body (nil: none; url.Values: a form; anything else: JSON) and returns the status
// and the raw answer.
func (c *seedClient) call(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd, ct = strings.NewReader(string(raw)), "application/json"
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("X-Test-Ip", c.ip) // one browser, one address
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// must calls and decodes the JSON answer into out, failing unless the status is want.
func (c *seedClient) must(want int, method, path string, body, out any) {
	c.t.Helper()
	status, raw := c.call(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, status, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
}

// refused checks a refusal carries the seed's status code and a JSON error body.
func (c *seedClient) refused(want int, method, path string, body any, what string) {
	c.t.Helper()
	status, raw := c.call(method, path, body)
	var e map[string]any
	if status != want || json.Unmarshal(raw, &e) != nil || len(e) == 0 {
		c.t.Fatalf("%s: %s %s answered %d %s, want %d with a JSON error", what, method, path, status, raw, want)
	}
}

// login is the seed's POST /login form; a first password is changed at once through
// POST /lkbuser/firstlogin and the user logs in again with the new one.
func (c *seedClient) login(username, password string) seedUser {
	c.t.Helper()
	c.must(200, "POST", "/api/login", url.Values{"username": {username}, "password": {password}}, nil)
	var u seedUser
	c.must(200, "GET", "/api/user/info/", nil, &u)
	if u.FirstPassword {
		c.must(200, "POST", "/api/lkbuser/firstlogin", map[string]string{"userid": u.UserID, "value": testflows.NewPassword}, nil)
		c.must(200, "POST", "/api/login", url.Values{"username": {username}, "password": {testflows.NewPassword}}, nil)
		c.must(200, "GET", "/api/user/info/", nil, &u)
	}
	return u
}

type seedUser struct {
	UserID        string `json:"userId"`
	UserFio       string `json:"userFio"`
	RoleString    string `json:"roleString"`
	FirstPassword bool   `json:"firstPassword"`
	Roles         []struct {
		ID json.Number `json:"id"`
	} `json:"roles"`
	FilterSettings map[string]any `json:"filterSettings"`
}

type seedListItem struct {
	Application struct {
		ID       string `json:"id"`
		StatusID int    `json:"statusid"`
		Company  struct {
			INN string `json:"inn"`
		} `json:"company"`
		Bank struct {
			TakerID       string   `json:"takerId"`
			Signers       []string `json:"signers"`
			AccountNumber string   `json:"accountNumber"`
		} `json:"bank"`
	} `json:"application"`
	Actions []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		StatusID int    `json:"statusid"`
	} `json:"actions"`
}

// action is the id of the offered action leading to status id to (fails if none is offered).
func (it seedListItem) action(t *testing.T, to int) string {
	t.Helper()
	for _, a := range it.Actions {
		if a.StatusID == to {
			return a.ID
		}
	}
	t.Fatalf("no action to status %d among %+v", to, it.Actions)
	return ""
}

// Issue 5's acceptance: a client written only from seed 004's text logs in, lists and filters,
// moves applications through the whole status model — review, rework and resubmission,
// reservation (NewClient) and opening (OpenAccount) against the ABS simulator, rejection,
// annulment — and meets the seed's error codes on the way.
func TestBankScenario(t *testing.T) {
	env := testenv.Get(t)
	env.ABS.ClearFault("")
	ctx := context.Background()

	// The world the bank's client meets: an agent organisation with three submitted
	// applications, and two employees the administrator created (seed 004 has no method for
	// that; it is the bank's set-up).
	agentSide := testflows.New(t, httpapi.Client)
	agent := agentSide.Ready()
	var apps, inns []string
	for i := range 3 {
		co := dadatasim.Companies()[i]
		b, _ := json.Marshal(map[string]any{
			"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
				"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
			"contact": map[string]any{"fullName": "Петров Пётр Петрович", "phone": "+7 916 765-43-21", "email": "petrov@example.ru"},
			"office":  map[string]any{"city": "Москва", "office": "Центральный"},
		})
		r := agentSide.Call("POST", "/v1/applications", string(b), agent.Token())
		testflows.Expect(t, r, 201, "the agent creates")
		testflows.Expect(t, agentSide.Call("POST", "/v1/applications/"+r.S("id")+"/submit", "", agent.Token()), 200, "the agent submits")
		apps, inns = append(apps, r.S("id")), append(inns, co.INN)
	}
	staff := &backofficedb.Store{DB: env.DynamoDB, Table: os.Getenv("IDENTITY_TABLE")}
	if _, err := backoffice.Bootstrap(ctx, staff, "scenario-admin", "Scenario-Admin-2026"); err != nil { // the bank's organisation
		t.Fatal(err)
	}
	suffix := strings.ToLower(ulid.Make().String()[18:])
	clerkLogin, signerLogin := "scenario-clerk-"+suffix, "scenario-signer-"+suffix
	_, clerkPw, err := backoffice.CreateMember(ctx, staff, backoffice.NewMember{Login: clerkLogin, FullName: "Иванова Анна Сергеевна",
		EmployeeID: "E-101", Roles: []backoffice.RoleID{backoffice.Operator, backoffice.Executor}})
	if err != nil {
		t.Fatal(err)
	}
	signerUser, signerPw, err := backoffice.CreateMember(ctx, staff, backoffice.NewMember{Login: signerLogin, FullName: "Сидоров Олег Игоревич",
		EmployeeID: "E-102", Roles: []backoffice.RoleID{backoffice.Signer}})
	if err != nil {
		t.Fatal(err)
	}
	consumer, err := abswire.Caller(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// absRuns is the ABS queue's consumer doing its work (the Lambda the queue triggers).
	absRuns := func() { t.Helper(); env.Drain(t, abswire.Function, consumer.HandleEvent) }

	base := testflows.New(t, httpapi.Backoffice).URL
	clerk := newSeedClient(t, base)
	var version struct {
		Version string `json:"version"`
	}
	clerk.must(200, "GET", "/api/info/version", nil, &version)
	if version.Version == "" {
		t.Fatal("no version")
	}
	clerk.refused(401, "POST", "/api/application/", map[string]any{"limit": 10, "offset": 0}, "a list before logging in")
	clerk.refused(401, "POST", "/api/login", url.Values{"username": {clerkLogin}, "password": {"wrong-password"}}, "a wrong password")
	me := clerk.login(clerkLogin, clerkPw)
	if len(me.Roles) != 2 || me.FirstPassword {
		t.Fatalf("user info: %+v", me)
	}

	// The status list, and the ids of the statuses the client needs to name.
	var statuses []struct {
		ID   int    `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
	}
	clerk.must(200, "GET", "/api/status", nil, &statuses)
	id := map[string]int{}
	for _, s := range statuses {
		id[s.Code] = s.ID
	}
	for _, code := range []string{"submitted", "in_review", "rework", "account_reserved", "account_opened", "rejected", "annulled"} {
		if id[code] == 0 {
			t.Fatalf("status %s missing from /api/status: %+v", code, statuses)
		}
	}

	// InitialCheck runs on submission; its answer puts the applications in review.
	absRuns()

	// Lists and filters: by INN, by status and date, the count agreeing, counts per status.
	today := time.Now().In(time.FixedZone("MSK", 3*3600)).Format("02.01.2006")
	var list []seedListItem
	clerk.must(200, "POST", "/api/application/", map[string]any{"limit": 10, "offset": 0, "substring": inns[0]}, &list)
	if len(list) == 0 || !slices.ContainsFunc(list, func(it seedListItem) bool { return it.Application.ID == apps[0] }) {
		t.Fatalf("by INN: %+v", list)
	}
	var count struct {
		Count int `json:"count"`
	}
	clerk.must(200, "POST", "/api/application/count/", map[string]any{"substring": inns[0]}, &count)
	if count.Count != len(list) {
		t.Fatalf("count %d, list %d", count.Count, len(list))
	}
	byStatus := map[string]any{"limit": 100, "offset": 0, "statusid": []int{id["in_review"]}, "datefrom": today, "dateto": today, "work": 2}
	clerk.must(200, "POST", "/api/application/", byStatus, &list)
	for _, a := range apps {
		if !slices.ContainsFunc(list, func(it seedListItem) bool { return it.Application.ID == a }) {
			t.Fatalf("%s not in review today: %+v", a, list)
		}
	}
	var perStatus []struct {
		ID    int `json:"id"`
		Count int `json:"count"`
	}
	clerk.must(200, "GET", "/api/application/statuscount/", nil, &perStatus)
	if i := slices.IndexFunc(perStatus, func(s struct {
		ID    int `json:"id"`
		Count int `json:"count"`
	}) bool {
		return s.ID == id["in_review"]
	}); i < 0 || perStatus[i].Count < 3 {
		t.Fatalf("statuscount: %+v", perStatus)
	}
	clerk.refused(400, "POST", "/api/application/", map[string]any{"limit": 10, "datefrom": "вчера"}, "a date that is not one")

	// The saved filter comes back with the user's info.
	clerk.must(200, "POST", "/api/application/filter", byStatus, nil)
	clerk.must(200, "GET", "/api/user/info/", nil, &me)
	if fmt.Sprint(me.FilterSettings["statusid"]) != fmt.Sprint([]any{float64(id["in_review"])}) {
		t.Fatalf("saved filter: %+v", me.FilterSettings)
	}

	// Take the first application to work as an executor, then act as an operator.
	clerk.must(200, "POST", "/api/user/role/4", nil, nil)
	clerk.must(200, "GET", "/api/application/"+apps[0]+"/work", nil, nil)
	clerk.refused(404, "POST", "/api/user/role/3", nil, "a role the user does not have")
	clerk.must(200, "POST", "/api/user/role/2", nil, nil)
	var it seedListItem
	clerk.must(200, "GET", "/api/application/"+apps[0]+"/", nil, &it)
	if it.Application.Bank.TakerID != me.UserID || it.Application.StatusID != id["in_review"] {
		t.Fatalf("taken: %+v", it.Application)
	}

	// Reservation with a signer picked from the signers' list: NewClient at the ABS.
	var signers []struct {
		UserID string `json:"userId"`
	}
	clerk.must(200, "GET", "/api/user/signer", nil, &signers)
	if !slices.ContainsFunc(signers, func(s struct {
		UserID string `json:"userId"`
	}) bool {
		return s.UserID == signerUser.ID
	}) {
		t.Fatalf("signers: %+v", signers)
	}
	clerk.refused(409, "POST", "/api/application/"+apps[0]+"/step/"+"open", nil, "opening before reservation")
	reserve := it.action(t, id["account_reserved"])
	clerk.must(200, "POST", "/api/application/"+apps[0]+"/step/"+reserve,
		map[string]any{"comment": "Документы проверены", "signers": []string{signerUser.ID}}, nil)
	absRuns()
	clerk.must(200, "GET", "/api/application/"+apps[0]+"/", nil, &it)
	if it.Application.StatusID != id["account_reserved"] || !regexp.MustCompile(`^\d{20}$`).MatchString(it.Application.Bank.AccountNumber) {
		t.Fatalf("after NewClient: %+v", it.Application)
	}
	if cl := env.ABS.Clients(apps[0]); len(cl) != 1 || cl[0].AccountNumber != it.Application.Bank.AccountNumber {
		t.Fatalf("the ABS reserved: %+v", cl)
	}

	// The signer opens the account: OpenAccount at the ABS.
	signer := newSeedClient(t, base)
	signer.login(signerLogin, signerPw)
	var sigs []struct {
		UserID   string `json:"userId"`
		Signed   bool   `json:"signed"`
		DateTime string `json:"datetime"`
	}
	signer.must(200, "GET", "/api/application/"+apps[0]+"/signature/", nil, &sigs)
	if len(sigs) != 1 || sigs[0].UserID != signerUser.ID || sigs[0].Signed {
		t.Fatalf("signatures before signing: %+v", sigs)
	}
	signer.refused(403, "POST", "/api/application/"+apps[1]+"/step/"+reserve, nil, "a signer reserving")
	signer.must(200, "GET", "/api/application/"+apps[0]+"/", nil, &it)
	signer.must(200, "POST", "/api/application/"+apps[0]+"/step/"+it.action(t, id["account_opened"]), nil, nil)
	absRuns()
	signer.must(200, "GET", "/api/application/"+apps[0]+"/signature/", nil, &sigs)
	if len(sigs) != 1 || !sigs[0].Signed || sigs[0].DateTime == "" {
		t.Fatalf("signed by opening: %+v", sigs)
	}
	var history []struct {
		ID   int    `json:"id"`
		Code string `json:"code"`
	}
	signer.must(200, "GET", "/api/application/"+apps[0]+"/status/", nil, &history)
	visited := map[int]bool{}
	path := []string{}
	for _, h := range history {
		visited[h.ID] = true
		path = append(path, h.Code)
	}
	if strings.Join(path, ",") != "draft,submitted,in_review,account_reserved,account_opened" {
		t.Fatalf("the first application's path: %v", path)
	}
	if e := env.ABS.Effects(apps[0]); e.Reserved != 1 || e.Opened != 1 {
		t.Fatalf("the ABS's effects: %+v", e)
	}
	signer.refused(409, "POST", "/api/application/"+apps[0]+"/step/"+reserve, nil, "a step out of a final status")

	// The second: back to the agent for rework, resubmitted, checked again, then refused.
	clerk.must(200, "GET", "/api/application/"+apps[1]+"/", nil, &it)
	toRework := it.action(t, id["rework"])
	clerk.refused(400, "POST", "/api/application/"+apps[1]+"/step/"+toRework, map[string]any{"comment": ""}, "rework without a comment")
	clerk.must(200, "POST", "/api/application/"+apps[1]+"/step/"+toRework, map[string]any{"comment": "Приложите устав"}, nil)
	testflows.Expect(t, agentSide.Call("POST", "/v1/applications/"+apps[1]+"/submit", "", agent.Token()), 200, "the agent resubmits")
	absRuns()
	clerk.must(200, "GET", "/api/application/"+apps[1]+"/", nil, &it)
	if it.Application.StatusID != id["in_review"] {
		t.Fatalf("resubmitted: %+v", it.Application)
	}
	clerk.must(200, "POST", "/api/application/"+apps[1]+"/step/"+it.action(t, id["rejected"]), map[string]any{"comment": "Отказ по итогам проверки"}, nil)
	clerk.must(200, "GET", "/api/application/"+apps[1]+"/status/", nil, &history)
	path = path[:0]
	for _, h := range history {
		visited[h.ID] = true
		path = append(path, h.Code)
	}
	if strings.Join(path, ",") != "draft,submitted,in_review,rework,submitted,in_review,rejected" {
		t.Fatalf("the second application's path: %v", path)
	}

	// The third: annulled.
	clerk.must(200, "GET", "/api/application/"+apps[2]+"/", nil, &it)
	clerk.must(200, "POST", "/api/application/"+apps[2]+"/step/"+it.action(t, id["annulled"]), map[string]any{"comment": "Клиент отказался"}, nil)
	clerk.must(200, "GET", "/api/application/"+apps[2]+"/status/", nil, &history)
	for _, h := range history {
		visited[h.ID] = true
	}
	for _, s := range statuses {
		if !visited[s.ID] {
			t.Errorf("status %s (%d) not visited", s.Code, s.ID)
		}
	}

	// The list by closing date finds the three closed today.
	clerk.must(200, "POST", "/api/application/", map[string]any{"limit": 100, "offset": 0, "closedatefrom": today, "closedateto": today,
		"statusid": []int{id["account_opened"], id["rejected"], id["annulled"]}}, &list)
	for _, a := range apps {
		if !slices.ContainsFunc(list, func(it seedListItem) bool { return it.Application.ID == a }) {
			t.Errorf("%s not among those closed today", a)
		}
	}

	clerk.refused(404, "GET", "/api/application/"+ulid.Make().String()+"/", nil, "an unknown application")
	clerk.must(200, "GET", "/api/logout", nil, nil)
	clerk.refused(401, "GET", "/api/application/"+apps[0]+"/", nil, "after logging out")
}
