package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/abssim"
	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/abssettings/abssettingsdb"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
	"github.com/kabinet/kabinet/shared/review/wire"
)

// rig is an agent with an active organisation, the bank with staff of each role (the
// administrator has all roles, active 1), and the ABS queue's consumer as the Lambda runs it.
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
	t.Setenv("ABS_SETTINGS_CACHE", "0s") // an edit of the ABS settings takes effect at once
	env := testenv.Get(t)
	env.ABS.ClearFault("")
	t.Cleanup(func() { env.ABS.ClearFault("") })
	r := &rig{t: t, env: env, client: testflows.New(t, httpapi.Client)}
	r.agent = r.client.Ready()
	r.Bank = testflows.NewBank(t, "review", map[string]backoffice.RoleID{"operator": backoffice.Operator, "signer": backoffice.Signer,
		"executor": backoffice.Executor, "executor2": backoffice.Executor})
	c, err := abswire.Caller(context.Background()) // the consumer with the review flow's registered outcomes
	if err != nil {
		t.Fatal(err)
	}
	r.consumer = c
	return r
}

// saveSettings saves the ABS settings (the defaults changed by edit) as the administrator,
// through PUT /v1/abs-settings, and restores the defaults after the test. The rig's functions
// read them uncached (ABS_SETTINGS_CACHE=0s, set by newRig).
func (r *rig) saveSettings(edit func(*abs.Settings)) {
	r.t.Helper()
	res := r.As("admin", "GET", "/v1/abs-settings", "")
	testflows.Expect(r.t, res, 200, "read the ABS settings")
	st := abs.DefaultSettings(r.env.Params["AbsUrl"])
	edit(&st)
	raw, _ := json.Marshal(st)
	body := fmt.Sprintf(`{"version":%d,%s`, int64(res.Body["version"].(float64)), raw[1:])
	testflows.Expect(r.t, r.As("admin", "PUT", "/v1/abs-settings", body), 200, "save the ABS settings")
	r.t.Cleanup(func() {
		_, _ = r.env.DynamoDB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(os.Getenv("APPLICATIONS_TABLE")), Key: abssettingsdb.Key()})
	})
}

// submitted is an application of company i that the agent created and submitted.
func (r *rig) submitted(i int) string {
	r.t.Helper()
	co := dadatasim.Companies()[i]
	b, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact":       map[string]any{"fullName": "Иванов Иван Иванович", "phone": "+7 916 123-45-67", "email": "ivanov@example.ru"},
		"office":        map[string]any{"city": "Москва", "office": "Центральный"},
		"questionnaire": map[string]string{"employees": "12"},
	})
	res := r.client.Call("POST", "/v1/applications", string(b), r.agent.Token())
	testflows.Expect(r.t, res, 201, "create")
	id := res.S("id")
	testflows.Expect(r.t, r.client.Call("POST", "/v1/applications/"+id+"/submit", "", r.agent.Token()), 200, "submit")
	return id
}

// drain runs the ABS consumer over AbsQueue until it is empty.
func (r *rig) drain() { r.t.Helper(); r.env.Drain(r.t, abswire.Function, r.consumer.HandleEvent) }

// statuses are the codes and infos of applicationStatuses.
func (r *rig) statuses(id string) (codes []string, infos []string) {
	r.t.Helper()
	for _, e := range r.Array("/api/application/"+id+"/status/", testflows.WithCookie(r.Cookies["operator"])) {
		codes = append(codes, e["code"].(string))
		infos = append(infos, e["info"].(string))
	}
	return codes, infos
}

func (r *rig) status(id string) string {
	codes, _ := r.statuses(id)
	return codes[len(codes)-1]
}

func step(id, action string) string { return "/api/application/" + id + "/step/" + action }

func statusOf(res testenv.Reply) string {
	st, _ := res.Body["status"].(map[string]any)
	s, _ := st["code"].(string)
	return s
}

// The whole flow against the ABS simulator: submit → InitialCheck → in_review → take to work →
// life date → reserve (NewClient) with signers → account_reserved → open (OpenAccount) →
// account_opened, with the refusals on the way.
func TestReviewFlow(t *testing.T) {
	r := newRig(t)
	id := r.submitted(0)
	if got := r.status(id); got != "submitted" {
		t.Fatalf("after submit: %s", got)
	}
	r.drain()
	codes, _ := r.statuses(id)
	if strings.Join(codes, ",") != "draft,submitted,in_review" {
		t.Fatalf("after InitialCheck: %v", codes)
	}
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checks, err := svc.Checks.(*reviewdb.Store).Checks(context.Background(), id)
	if err != nil || len(checks) != 1 || !checks[0].OK || len(checks[0].Notes) == 0 {
		t.Fatalf("InitialCheck's notes kept as a check: %+v %v", checks, err)
	}

	// Take to work (executors only), release (the taker or an administrator).
	testflows.Expect(t, r.As("operator", "GET", "/api/application/"+id+"/work", ""), 403, "operator takes (not a taker role)")
	res := r.As("executor", "GET", "/api/application/"+id+"/work", "")
	testflows.Expect(t, res, 200, "executor takes")
	if res.S("takerId") != r.IDs["executor"] {
		t.Fatalf("taker: %v", res.Body)
	}
	testflows.Expect(t, r.As("executor", "GET", "/api/application/"+id+"/work", ""), 200, "takes its own again")
	testflows.Expect(t, r.As("executor2", "GET", "/api/application/"+id+"/work", ""), 409, "taken by someone else")
	testflows.Expect(t, r.As("executor2", "DELETE", "/api/application/"+id+"/work", ""), 403, "released by someone else")
	res = r.As("admin", "DELETE", "/api/application/"+id+"/work", "")
	testflows.Expect(t, res, 200, "administrator releases")
	if res.S("takerId") != "" {
		t.Fatalf("still taken: %v", res.Body)
	}
	testflows.Expect(t, r.As("executor2", "GET", "/api/application/"+id+"/work", ""), 200, "executor2 takes")
	testflows.Expect(t, r.As("executor2", "DELETE", "/api/application/"+id+"/work", ""), 200, "the taker releases")
	key := r.WithKey("")
	testflows.Expect(t, r.Send("GET", "/api/application/"+id+"/work", "", key), 403, "take by API key without User-LKB")

	// Life date.
	future := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	for what, d := range map[string]string{"not a date": "soon", "past": "2020-01-01", "impossible": "2027-02-30"} {
		testflows.Expect(t, r.As("operator", "POST", "/api/application/"+id+"/lifedate/"+d, ""), 400, "life date "+what)
	}
	res = r.As("operator", "POST", "/api/application/"+id+"/lifedate/"+future, "")
	testflows.Expect(t, res, 200, "life date")
	if !strings.HasPrefix(res.S("lifeDate"), future) {
		t.Fatalf("life date: %v", res.Body)
	}
	testflows.Expect(t, r.Call("POST", "/api/application/"+id+"/lifedate/"+future, "", ""), 401, "life date without credentials")

	// Refused steps.
	testflows.Expect(t, r.As("signer", "POST", step(id, "reserve"), ""), 403, "reserve by a signer")
	testflows.Expect(t, r.Send("POST", step(id, "reserve"), "", key), 403, "step by API key without User-LKB")
	testflows.Expect(t, r.Call("POST", step(id, "reserve"), "", ""), 401, "step without credentials")
	testflows.Expect(t, r.As("operator", "POST", step(id, "fly"), ""), 404, "unknown action")
	testflows.Expect(t, r.As("operator", "POST", step(id, "open"), ""), 409, "open from in_review")
	testflows.Expect(t, r.As("operator", "POST", step(id, "rework"), `{"comment":"  "}`), 400, "rework without a comment")
	testflows.Expect(t, r.As("operator", "POST", step(id, "reserve"), `{"signers":["`+r.IDs["operator"]+`"]}`), 400, "a signer who does not sign")
	testflows.Expect(t, r.As("operator", "POST", step(id, "reserve"), `{"nope":1}`), 400, "unknown field")
	testflows.Expect(t, r.As("operator", "POST", step(ulid.Make().String(), "reserve"), ""), 404, "unknown application")

	// Reserve: NewClient queued, the status moves on its answer.
	res = r.As("operator", "POST", step(id, "reserve"), `{"comment":"Документы в порядке","signers":["`+r.IDs["signer"]+`"]}`)
	testflows.Expect(t, res, 200, "reserve")
	if statusOf(res) != "in_review" || res.S("absPending") != "NewClient" {
		t.Fatalf("reserve answered: %v", res.Body)
	}
	testflows.Expect(t, r.As("operator", "POST", step(id, "reserve"), ""), 409, "reserve while NewClient is in flight")
	testflows.Expect(t, r.As("operator", "POST", step(id, "reject"), `{"comment":"нет"}`), 409, "reject while NewClient is in flight")
	r.drain()
	if got := r.status(id); got != "account_reserved" {
		t.Fatalf("after NewClient: %s", got)
	}
	app, err := svc.Application(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !abssim.ValidAccount(app.Bank.AccountNumber, abssim.BIK) || app.Bank.ABSClientID == 0 || app.Bank.ABSPending != "" {
		t.Fatalf("reserved: %+v", app.Bank)
	}
	if cl := r.env.ABS.Clients(id); len(cl) != 1 || cl[0].AccountNumber != app.Bank.AccountNumber {
		t.Fatalf("simulator: %+v", cl)
	}

	// Signers.
	sigs := r.Array("/api/application/"+id+"/signature/", testflows.WithCookie(r.Cookies["operator"]))
	if len(sigs) != 1 || sigs[0]["userId"] != r.IDs["signer"] || sigs[0]["employeeid"] != "E-signer" || sigs[0]["signed"] != false || sigs[0]["applicationid"] != id {
		t.Fatalf("signatures: %v", sigs)
	}

	// Open: OpenAccount queued; account_opened on its answer, closed.
	testflows.Expect(t, r.As("executor", "POST", step(id, "open"), ""), 403, "open by an executor")
	res = r.As("signer", "POST", step(id, "open"), "")
	testflows.Expect(t, res, 200, "open")
	if res.S("absPending") != "OpenAccount" {
		t.Fatalf("open answered: %v", res.Body)
	}
	// The designated signer's step is their signature.
	sigs = r.Array("/api/application/"+id+"/signature/", testflows.WithCookie(r.Cookies["operator"]))
	if len(sigs) != 1 || sigs[0]["signed"] != true || sigs[0]["datetime"] == "" {
		t.Fatalf("signed by the step: %v", sigs)
	}
	r.drain()
	codes, infos := r.statuses(id)
	if strings.Join(codes, ",") != "draft,submitted,in_review,account_reserved,account_opened" {
		t.Fatalf("statuses: %v", codes)
	}
	if !strings.Contains(infos[3], app.Bank.AccountNumber) {
		t.Fatalf("reservation info: %v", infos)
	}
	if app, _ = svc.Application(context.Background(), id); app.Bank.ClosedAt.IsZero() {
		t.Fatalf("not closed: %+v", app.Bank)
	}
	if e := r.env.ABS.Effects(id); e.Reserved != 1 || e.Opened != 1 {
		t.Fatalf("effects: %+v", e)
	}
	testflows.Expect(t, r.As("operator", "POST", step(id, "reject"), `{"comment":"поздно"}`), 409, "a step out of a final status")
	testflows.Expect(t, r.As("executor", "GET", "/api/application/"+id+"/work", ""), 409, "take a closed application")
}

// The ABS answers "_rc" -1: NewClient and OpenAccount keep the status and write "Ошибка АБС"
// to the history; the bank reserves by hand; InitialCheck's error annuls with auto-reject and
// goes on to review without it.
func TestABSErrors(t *testing.T) {
	r := newRig(t)

	// NewClient error, then the manual reservation.
	a := r.submitted(1)
	r.drain()
	r.env.ABS.SetFault(&abssim.Fault{Kind: "NewClient", Mode: "error", Times: 1})
	testflows.Expect(t, r.As("operator", "POST", step(a, "reserve"), ""), 200, "reserve")
	r.drain()
	codes, infos := r.statuses(a)
	if codes[len(codes)-1] != "in_review" || !strings.Contains(infos[len(infos)-1], "Ошибка АБС: ") {
		t.Fatalf("after a NewClient error: %v %v", codes, infos)
	}
	for what, body := range map[string]string{
		"short account":  `{"type":"Расчётный","accountnumber":"4070281090000000000","openingdate":"2026-03-01","prkoproduct":1}`,
		"letters":        `{"type":"Расчётный","accountnumber":"4070281090000000000X","openingdate":"2026-03-01","prkoproduct":1}`,
		"bad date":       `{"type":"Расчётный","accountnumber":"40702810900000000001","openingdate":"01.03.2026","prkoproduct":1}`,
		"no type":        `{"accountnumber":"40702810900000000001"}`,
		"negative prko":  `{"type":"Расчётный","accountnumber":"40702810900000000001","prkoproduct":-1}`,
		"no body at all": ``,
	} {
		testflows.Expect(t, r.As("operator", "POST", "/api/application/"+a+"/reserveaccount/", body), 400, "reserveaccount: "+what)
	}
	manual := `{"type":"Расчётный","accountnumber":"40702810900000000001","openingdate":"2026-03-01","prkoproduct":7}`
	testflows.Expect(t, r.As("signer", "POST", "/api/application/"+a+"/reserveaccount/", manual), 403, "reserveaccount by a signer")
	res := r.As("operator", "POST", "/api/application/"+a+"/reserveaccount/", manual)
	testflows.Expect(t, res, 200, "reserveaccount")
	if statusOf(res) != "account_reserved" || res.S("accountNumber") != "40702810900000000001" || res.Body["prkoProduct"] != 7.0 {
		t.Fatalf("reserved by hand: %v", res.Body)
	}
	testflows.Expect(t, r.As("operator", "POST", "/api/application/"+a+"/reserveaccount/", manual), 409, "reserveaccount twice")
	// The ABS never reserved that account (it knows the client from InitialCheck): opening it is
	// done by hand, without an OpenAccount the ABS would refuse.
	opened := len(r.env.ABS.Calls("OpenAccount"))
	res = r.As("signer", "POST", step(a, "open"), "")
	testflows.Expect(t, res, 200, "open an account reserved by hand")
	if statusOf(res) != "account_opened" || res.S("absPending") != "" || res.Body["accountByHand"] != true || res.Body["absClientId"] == nil {
		t.Fatalf("opened by hand: %v", res.Body)
	}
	r.drain()
	if n := len(r.env.ABS.Calls("OpenAccount")); n != opened {
		t.Fatalf("%d OpenAccount calls for an account the ABS does not know", n-opened)
	}
	if _, infos := r.statuses(a); !strings.Contains(infos[len(infos)-1], "Счёт зарезервирован вручную, АБС его не знает") {
		t.Fatalf("no history note: %v", infos)
	}

	// OpenAccount error keeps account_reserved; the next try opens.
	b := r.submitted(2)
	r.drain()
	testflows.Expect(t, r.As("operator", "POST", step(b, "reserve"), ""), 200, "reserve")
	r.drain()
	r.env.ABS.SetFault(&abssim.Fault{Kind: "OpenAccount", Mode: "error", Times: 1})
	testflows.Expect(t, r.As("operator", "POST", step(b, "open"), ""), 200, "open")
	r.drain()
	codes, infos = r.statuses(b)
	if codes[len(codes)-1] != "account_reserved" || !strings.Contains(infos[len(infos)-1], "Ошибка АБС: внутренняя проблема с АБС") {
		t.Fatalf("after an OpenAccount error: %v %v", codes, infos)
	}
	testflows.Expect(t, r.As("operator", "POST", step(b, "open"), ""), 200, "open again")
	r.drain()
	if got := r.status(b); got != "account_opened" {
		t.Fatalf("opened at last: %s", got)
	}

	// InitialCheck error without auto-reject: recorded, on to review.
	r.env.ABS.SetFault(&abssim.Fault{Kind: "InitialCheck", Mode: "error", Times: 1})
	c := r.submitted(3)
	r.drain()
	codes, infos = r.statuses(c)
	if codes[len(codes)-1] != "in_review" || !strings.Contains(infos[len(infos)-1], "Ошибка АБС: ") {
		t.Fatalf("InitialCheck error, no auto-reject: %v %v", codes, infos)
	}

	// With auto-reject (saved by the administrator): annulled, and the ABS forgets the client
	// its error answer named (DeleteClient, as the annul step does).
	r.saveSettings(func(st *abs.Settings) { st.AutoReject = true })
	r.env.ABS.SetFault(&abssim.Fault{Kind: "InitialCheck", Mode: "error", Times: 1})
	d := r.submitted(4)
	r.drain()
	codes, infos = r.statuses(d)
	if codes[len(codes)-1] != "annulled" || !strings.Contains(infos[len(infos)-1], "Ошибка АБС: ") {
		t.Fatalf("InitialCheck error with auto-reject: %v %v", codes, infos)
	}
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	app, _ := svc.Application(context.Background(), d)
	if app.Bank.InitialCheck != "failed" || app.Bank.ClosedAt.IsZero() || app.Bank.ABSClientID == 0 || app.Bank.ABSPending != "" {
		t.Fatalf("auto-rejected: %+v", app.Bank)
	}
	deleted := false
	for _, c := range r.env.ABS.Calls("DeleteClient") {
		deleted = deleted || c.ClientID == app.Bank.ABSClientID && c.RC == "1"
	}
	if !deleted {
		t.Fatalf("no DeleteClient of client %d: %+v", app.Bank.ABSClientID, r.env.ABS.Calls("DeleteClient"))
	}
	if cl := r.env.ABS.Clients(""); !slices.ContainsFunc(cl, func(c abssim.Client) bool { return c.ClientID == app.Bank.ABSClientID && c.Status == "deleted" }) {
		t.Fatalf("the simulator keeps the client: %+v", cl)
	}

	// With DeleteClient switched off too: annulled, no call.
	r.saveSettings(func(st *abs.Settings) { st.AutoReject, st.DeleteClient.Enabled = true, false })
	calls := len(r.env.ABS.Calls("DeleteClient"))
	r.env.ABS.SetFault(&abssim.Fault{Kind: "InitialCheck", Mode: "error", Times: 1})
	e := r.submitted(8)
	r.drain()
	if got := r.status(e); got != "annulled" || len(r.env.ABS.Calls("DeleteClient")) != calls {
		t.Fatalf("auto-reject with DeleteClient off: %s, %d calls", got, len(r.env.ABS.Calls("DeleteClient"))-calls)
	}
}

// The calls the administrator switches off in the ABS settings are not made: a reservation
// (NewClient) is refused (409: reserve by hand), an opening (OpenAccount) moves at once with
// a note, an annulment calls no DeleteClient.
func TestABSSettingsSwitches(t *testing.T) {
	r := newRig(t)
	a := r.submitted(9)
	r.drain()
	testflows.Expect(t, r.As("operator", "POST", step(a, "reserve"), ""), 200, "reserve")
	r.drain()

	r.saveSettings(func(st *abs.Settings) {
		st.NewClient.Enabled, st.OpenAccount.Enabled, st.DeleteClient.Enabled = false, false, false
	})
	opened := len(r.env.ABS.Calls("OpenAccount"))
	res := r.As("signer", "POST", step(a, "open"), `{"comment":"Открыт в АБС вручную"}`)
	testflows.Expect(t, res, 200, "open with OpenAccount off")
	if statusOf(res) != "account_opened" || res.S("absPending") != "" {
		t.Fatalf("opened: %v", res.Body)
	}
	if _, infos := r.statuses(a); !strings.Contains(infos[len(infos)-1], "Открыт в АБС вручную; Открытие счёта в АБС отключено в настройках") {
		t.Fatalf("history: %v", infos)
	}
	if n := len(r.env.ABS.Calls("OpenAccount")); n != opened {
		t.Fatal("an OpenAccount switched off was made")
	}

	r.saveSettings(func(st *abs.Settings) {
		st.InitialCheck.Enabled, st.NewClient.Enabled, st.DeleteClient.Enabled = false, false, false
	})
	checks := len(r.env.ABS.Calls("InitialCheck"))
	b := r.submitted(10)
	r.drain()
	codes, infos := r.statuses(b)
	if codes[len(codes)-1] != "in_review" || !strings.Contains(infos[len(infos)-1], "InitialCheck отключён в настройках АБС") || len(r.env.ABS.Calls("InitialCheck")) != checks {
		t.Fatalf("InitialCheck off: %v %v", codes, infos)
	}
	testflows.Expect(t, r.As("operator", "POST", step(b, "reserve"), ""), 409, "reserve with NewClient off")
	deletes := len(r.env.ABS.Calls("DeleteClient"))
	res = r.As("operator", "POST", step(b, "annul"), `{"comment":"Клиент отказался"}`)
	testflows.Expect(t, res, 200, "annul with DeleteClient off")
	r.drain()
	if statusOf(res) != "annulled" || res.S("absPending") != "" || len(r.env.ABS.Calls("DeleteClient")) != deletes {
		t.Fatalf("annulled: %v", res.Body)
	}
}

// Of clerks moving one application at once exactly one wins; the others get 409.
func TestConcurrentSteps(t *testing.T) {
	r := newRig(t)
	id := r.submitted(5)
	r.drain()
	const n = 6
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := []string{"operator", "admin", "executor"}[i%3]
			statuses[i] = r.As(who, "POST", step(id, "rework"), `{"comment":"Уточните адрес"}`).Status
		}()
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case 200:
			won++
		case 409:
		default:
			t.Fatalf("statuses: %v", statuses)
		}
	}
	if won != 1 {
		t.Fatalf("%d won: %v", won, statuses)
	}
	codes, _ := r.statuses(id)
	if strings.Join(codes, ",") != "draft,submitted,in_review,rework" {
		t.Fatalf("one move: %v", codes)
	}

	// The agent resubmits: InitialCheck again.
	testflows.Expect(t, r.client.Call("POST", "/v1/applications/"+id+"/submit", "", r.agent.Token()), 200, "resubmit")
	r.drain()
	if got := r.status(id); got != "in_review" {
		t.Fatalf("after resubmission: %s", got)
	}
}

// The agent annuls: a draft at once; a reviewed one with DeleteClient, since the ABS knows
// the client from InitialCheck; a closed one is a 409.
func TestAgentAnnul(t *testing.T) {
	r := newRig(t)
	res := r.client.Call("POST", "/v1/applications", `{"comment":"черновик"}`, r.agent.Token())
	testflows.Expect(t, res, 201, "create")
	draft := res.S("id")
	testflows.Expect(t, r.client.Call("POST", "/v1/applications/"+draft+"/annul", "", ""), 401, "annul without a token")
	other := r.client.Ready()
	testflows.Expect(t, r.client.Call("POST", "/v1/applications/"+draft+"/annul", "", other.Token()), 404, "another organisation")
	testflows.Expect(t, r.client.Call("POST", "/v1/applications/"+draft+"/annul", `{"comment":1}`, r.agent.Token()), 400, "bad body")
	res = r.client.Call("POST", "/v1/applications/"+draft+"/annul", "", r.agent.Token())
	testflows.Expect(t, res, 200, "annul a draft")
	if res.S("status") != "annulled" {
		t.Fatalf("annulled: %v", res.Body)
	}
	testflows.Expect(t, r.client.Call("POST", "/v1/applications/"+draft+"/annul", "", r.agent.Token()), 409, "annul twice")

	id := r.submitted(6)
	r.drain()
	res = r.client.Call("POST", "/v1/applications/"+id+"/annul", `{"comment":"Клиент передумал"}`, r.agent.Token())
	testflows.Expect(t, res, 200, "annul in review")
	r.drain()
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	app, err := svc.Application(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if app.Status != "annulled" || app.Bank.ABSPending != "" || app.Bank.ClosedAt.IsZero() {
		t.Fatalf("annulled: %+v", app)
	}
	calls := r.env.ABS.Calls("DeleteClient")
	if len(calls) == 0 || calls[len(calls)-1].ClientID != app.Bank.ABSClientID || calls[len(calls)-1].RC != "1" {
		t.Fatalf("DeleteClient: %+v", calls)
	}
	// The bank cannot move it either.
	testflows.Expect(t, r.As("operator", "POST", step(id, "review"), ""), 409, "a step of an annulled application")
}

// The status model: the default one, read and saved by administrators only, validated, with
// optimistic locking; the status list follows it.
func TestStatusModel(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	clear := func() {
		if _, err := r.env.DynamoDB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(os.Getenv("APPLICATIONS_TABLE")), Key: reviewdb.ModelKey()}); err != nil {
			t.Fatal(err)
		}
	}
	clear()
	t.Cleanup(clear)

	list := r.Array("/api/status", testflows.WithCookie(r.Cookies["operator"]))
	if len(list) != 8 || list[0]["code"] != "draft" || list[0]["id"] != 1.0 || list[7]["code"] != "annulled" || list[7]["id"] != 8.0 {
		t.Fatalf("status list: %v", list)
	}
	testflows.Expect(t, r.Call("GET", "/api/status", "", ""), 401, "status list without credentials")

	testflows.Expect(t, r.Call("GET", "/v1/status-model", "", ""), 401, "model without credentials")
	testflows.Expect(t, r.As("operator", "GET", "/v1/status-model", ""), 403, "model by an operator")
	res := r.As("admin", "GET", "/v1/status-model", "")
	testflows.Expect(t, res, 200, "model")
	if res.Body["version"] != 0.0 {
		t.Fatalf("default model: %v", res.Body)
	}
	body := func(version int, m review.Model) string {
		b, _ := json.Marshal(map[string]any{"version": version, "statuses": m.Statuses, "actions": m.Actions})
		return string(b)
	}
	m := review.Default()
	m.Statuses[2].Name = "На проверке"
	m.Statuses = append(m.Statuses, review.Status{ID: 9, Code: "on_hold", Name: "Отложена"})
	m.Actions = append(m.Actions, review.Action{Code: "hold", Name: "Отложить", From: "in_review", To: "on_hold", Roles: []int{2}},
		review.Action{Code: "resume", Name: "Вернуть", From: "on_hold", To: "in_review", Roles: []int{2}})
	testflows.Expect(t, r.As("operator", "PUT", "/v1/status-model", body(0, m)), 403, "save by an operator")
	res = r.As("admin", "PUT", "/v1/status-model", body(0, m))
	testflows.Expect(t, res, 200, "save")
	if res.Body["version"] != 1.0 || res.S("updatedBy") != r.IDs["admin"] {
		t.Fatalf("saved: %v", res.Body)
	}
	testflows.Expect(t, r.As("admin", "PUT", "/v1/status-model", body(0, m)), 409, "stale version")
	list = r.Array("/api/status", testflows.WithCookie(r.Cookies["operator"]))
	if len(list) != 9 || list[2]["name"] != "На проверке" || list[8]["code"] != "on_hold" {
		t.Fatalf("status list after the edit: %v", list)
	}

	// The new actions work.
	id := r.submitted(7)
	r.drain()
	testflows.Expect(t, r.As("operator", "POST", step(id, "hold"), ""), 200, "hold")
	if got := r.status(id); got != "on_hold" {
		t.Fatalf("held: %s", got)
	}
	testflows.Expect(t, r.As("operator", "POST", step(id, "resume"), ""), 200, "resume")

	bad := func(change func(*review.Model)) string {
		x := review.Default()
		change(&x)
		return body(1, x)
	}
	for what, b := range map[string]string{
		"duplicate id":      bad(func(x *review.Model) { x.Statuses[1].ID = 1 }),
		"built-in id moved": bad(func(x *review.Model) { x.Statuses[0].ID = 42 }),
		"built-in missing":  bad(func(x *review.Model) { x.Statuses = x.Statuses[1:] }),
		"unknown status":    bad(func(x *review.Model) { x.Actions[0].To = "nowhere" }),
		"out of a final":    bad(func(x *review.Model) { x.Actions[0].From = "account_opened" }),
		"duplicate action":  bad(func(x *review.Model) { x.Actions = append(x.Actions, x.Actions[0]) }),
		"unknown role":      bad(func(x *review.Model) { x.Actions[0].Roles = []int{9} }),
		"unknown ABS call":  bad(func(x *review.Model) { x.Actions[0].ABS = "Transfer" }),
		"empty name":        bad(func(x *review.Model) { x.Statuses[0].Name = " " }),
		"no version":        `{"statuses":[],"actions":[]}`,
		"negative version":  strings.Replace(bad(func(*review.Model) {}), `"version":1`, `"version":-1`, 1),
		"not JSON":          `{"version":`,
	} {
		testflows.Expect(t, r.As("admin", "PUT", "/v1/status-model", b), 400, what)
	}
}
