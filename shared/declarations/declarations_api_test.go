package declarations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/products"
	reviewwire "github.com/kabinet/kabinet/shared/review/wire"
)

// rig is the client API for agent organisations and the bank's staff of each role.
type rig struct {
	*testflows.Bank
	t      *testing.T
	client *testflows.Client
}

func newRig(t *testing.T) *rig {
	t.Helper()
	return &rig{t: t, client: testflows.New(t, httpapi.Client),
		Bank: testflows.NewBank(t, "decl", map[string]backoffice.RoleID{"operator": backoffice.Operator, "signer": backoffice.Signer, "executor": backoffice.Executor})}
}

// application creates and submits an application of company i for acct, with product.
func (r *rig) application(acct testflows.Account, i int, product string) string {
	r.t.Helper()
	co := dadatasim.Companies()[i]
	b, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact": map[string]any{"fullName": "Петров Пётр Петрович", "phone": "+7 916 765-43-21", "email": "petrov@example.ru"},
		"office":  map[string]any{"city": "Москва", "office": "Центральный"},
		"product": product,
	})
	res := r.client.Call("POST", "/v1/applications", string(b), acct.Token())
	testflows.Expect(r.t, res, 201, "create")
	id := res.S("id")
	testflows.Expect(r.t, r.client.Call("POST", "/v1/applications/"+id+"/submit", "", acct.Token()), 200, "submit")
	return id
}

// open moves a submitted application through the status model to account_opened (the
// review flow's moves; the ABS steps are shared/review's tests), which accrues the reward.
func (r *rig) open(id string) {
	r.t.Helper()
	svc, err := reviewwire.Service(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	for _, to := range []string{applications.StatusInReview, applications.StatusAccountReserved, applications.StatusAccountOpened} {
		if _, err := svc.Apps.Advance(context.Background(), id, to, r.IDs["operator"], ""); err != nil {
			r.t.Fatalf("advance %s to %s: %v", id, to, err)
		}
	}
}

func ids(list []map[string]any) []string {
	var out []string
	for _, d := range list {
		out = append(out, d["id"].(string))
	}
	return out
}

func has(list []map[string]any, id string) bool {
	for _, d := range list {
		if d["id"] == id {
			return true
		}
	}
	return false
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// E11: the bank's list of agents is the agent organisations with their founders' logins.
func TestAgentList(t *testing.T) {
	r := newRig(t)
	a1, a2 := r.client.Ready(), r.client.Ready()
	me := r.client.Call("GET", "/v1/me", "", a1.Token())
	testflows.Expect(t, me, 200, "me")

	testflows.Expect(t, r.Send("GET", "/api/agent", "", nil), 401, "agents without credentials")
	list := r.Array("/api/agent", r.WithKey(""))
	byID := map[string]map[string]any{}
	for _, a := range list {
		byID[a["id"].(string)] = a
	}
	for _, acct := range []testflows.Account{a1, a2} {
		a := byID[acct.OrgID]
		if a == nil || a["login"] != acct.Phone || a["fio"] != me.S("fullName") || a["status"] != "active" {
			t.Fatalf("agent %s: %v in %v", acct.OrgID, a, list)
		}
	}
	if byID[r.OrgID] != nil {
		t.Fatalf("the bank's own organisation is no agent: %v", list)
	}
	if len(r.Array("/api/agent", testflows.WithCookie(r.Cookies["signer"]))) != len(list) {
		t.Fatal("every bank role reads the same list")
	}
}

// E11, A11: an agent's application reaches account_opened and shows up as an open declaration
// with its reward; the bank searches, reads, corrects, pays and closes it (optimistic locking,
// history), with the refusals on the way.
func TestDeclarations(t *testing.T) {
	r := newRig(t)
	acct := r.client.Ready()
	opened := r.application(acct, 0, "rko-business")
	other := r.application(acct, 1, "")
	r.open(opened)
	r.open(other)
	pending := r.application(acct, 2, "") // submitted only: no declaration
	co := dadatasim.Companies()[0]
	key := r.WithKey("")

	// The open declarations.
	testflows.Expect(t, r.Send("GET", "/api/declaration/active", "", nil), 401, "active without credentials")
	list := r.Array("/api/declaration/active", key)
	if !has(list, opened) || !has(list, other) || has(list, pending) {
		t.Fatalf("active: %v", ids(list))
	}
	if ids(list)[0] != other {
		t.Fatalf("newest accrual first: %v", ids(list))
	}
	var d map[string]any
	for _, x := range list {
		if x["id"] == opened {
			d = x
		}
	}
	product := obj(d["product"])
	agent := obj(d["agent"])
	status := obj(d["actualStatus"])
	switch {
	case d["orgnameshort"] != co.ShortWithOPF || d["inn"] != co.INN || d["fictive"] != false || d["number"] != "1":
		t.Fatalf("declaration: %v", d)
	case product["id"] != float64(products.Number("rko-business")) || product["name"] != "Расчётный счёт «Бизнес»":
		t.Fatalf("product: %v", d["product"])
	case d["rewardamount"] != "3000.00" || d["rewardKopecks"] != float64(300000) || d["paidamount"] != "" || d["paidKopecks"] != nil:
		t.Fatalf("reward and payment: %v", d)
	case agent["id"] != acct.OrgID || agent["login"] != acct.Phone:
		t.Fatalf("agent: %v", d["agent"])
	case status["id"] != float64(6) || status["code"] != applications.StatusAccountOpened:
		t.Fatalf("status: %v", d["actualStatus"])
	case d["contactPerson"] != "Петров Пётр Петрович" || d["contactPhone"] != "+79167654321" || d["contactEmail"] != "petrov@example.ru":
		t.Fatalf("contact: %v", d)
	case obj(d["client"])["inn"] != co.INN || d["createdate"] == "" || d["accountOpeningDate"] != d["createdate"] || d["appcreatedate"] == "":
		t.Fatalf("client and dates: %v", d)
	case d["declaration_is_closed"] != false || d["version"] != float64(0) || d["documents"] == nil:
		t.Fatalf("bank's data: %v", d)
	}

	// Search and product filter.
	search := func(q string) []string { return ids(r.Array("/api/declaration/active?"+q, key)) }
	name := strings.ToLower(strings.Fields(co.ShortWithOPF)[len(strings.Fields(co.ShortWithOPF))-1])
	for what, q := range map[string]string{
		"INN prefix": "searchStr=" + co.INN[:8], "name part": "searchStr=" + url.QueryEscape(name), "application id": "searchStr=" + opened,
		"number": "searchStr=1", "product": fmt.Sprintf("product=%d", products.Number("rko-business")),
		"INN and product": fmt.Sprintf("searchStr=%s&product=%d", co.INN, products.Number("rko-business")),
	} {
		if got := search(q); len(got) == 0 || !strings.Contains(strings.Join(got, ","), opened) || (what != "number" && what != "name part" && strings.Contains(strings.Join(got, ","), other)) {
			t.Fatalf("%s (%s): %v", what, q, got)
		}
	}
	if got := search(fmt.Sprintf("searchStr=%s&product=%d", co.INN, products.Number("rko-start"))); len(got) != 0 {
		t.Fatalf("INN with another product: %v", got)
	}
	if got := search("searchStr=" + pending); len(got) != 0 {
		t.Fatalf("an application without a declaration: %v", got)
	}
	if got := search("searchStr=zzzz-nothing"); len(got) != 0 {
		t.Fatalf("no match: %v", got)
	}
	testflows.Expect(t, r.Send("GET", "/api/declaration/active?product=abc", "", key), 400, "product not a number")
	testflows.Expect(t, r.Send("GET", "/api/declaration/active?product=42", "", key), 400, "unknown product")
	testflows.Expect(t, r.Send("GET", "/api/declaration/active?searchStr="+strings.Repeat("я", 201), "", key), 400, "search too long")

	// One declaration.
	info := func(id string) testenv.Reply { return r.Send("GET", "/api/declaration/info/"+id, "", key) }
	testflows.Expect(t, r.Send("GET", "/api/declaration/info/"+opened, "", nil), 401, "info without credentials")
	res := info(opened)
	testflows.Expect(t, res, 200, "info")
	if res.S("id") != opened || res.S("rewardamount") != "3000.00" || len(obj(res.Body["documents"])) != 0 {
		t.Fatalf("info: %v", res.Body)
	}
	// The application's documents, by type: here the bank's print forms (type 0).
	testflows.Expect(t, r.As("operator", "POST", "/api/application/"+opened+"/generatebankform", ""), 200, "print forms")
	res = info(opened)
	forms := obj(obj(res.Body["documents"])["0"])
	if docs, _ := forms["documents"].([]any); forms["type"] == "" || len(docs) != 2 || obj(docs[0])["mimetype"] != "application/pdf" || obj(docs[0])["byBank"] != true {
		t.Fatalf("documents: %v", res.Body["documents"])
	}
	for _, x := range r.Array("/api/declaration/active?searchStr="+opened, key) {
		if len(obj(x["documents"])) != 1 {
			t.Fatalf("documents in the list: %v", x["documents"])
		}
	}
	testflows.Expect(t, info(pending), 404, "info of an application without a declaration")
	testflows.Expect(t, info(ulid.Make().String()), 404, "info of an unknown application")
	testflows.Expect(t, info("nope"), 404, "info of garbage")

	// Modifications: who may.
	path := "/api/declaration/modify/" + opened
	pay := `{"paymentsum":"1234,56","paymentdate":"30.11.2026","version":0}`
	testflows.Expect(t, r.Send("PATCH", path, pay, nil), 401, "modify without credentials")
	testflows.Expect(t, r.Send("PATCH", path, pay, key), 403, "modify by API key without User-LKB")
	testflows.Expect(t, r.As("signer", "PATCH", path, pay), 403, "modify by a signer")
	testflows.Expect(t, r.As("executor", "PATCH", path, pay), 403, "modify by an executor")

	// Bad bodies change nothing.
	for what, b := range map[string]string{
		"sum with three decimals": `{"paymentsum":"12.345"}`,
		"sum with a sign":         `{"paymentsum":"-5"}`,
		"sum of words":            `{"paymentsum":"сто рублей"}`,
		"impossible date":         `{"paymentdate":"2026-02-30"}`,
		"bad appcreate":           `{"appcreate":"вчера"}`,
		"unknown status id":       `{"selectedStatus":99}`,
		"unknown field":           `{"paid":true}`,
		"not JSON":                `{"paymentsum":`,
		"sum as a number":         `{"paymentsum":1234.56}`,
	} {
		testflows.Expect(t, r.As("operator", "PATCH", path, b), 400, what)
	}
	testflows.Expect(t, r.As("operator", "PATCH", "/api/declaration/modify/"+pending, pay), 404, "modify an application without a declaration")
	testflows.Expect(t, r.As("operator", "PATCH", "/api/declaration/modify/"+ulid.Make().String(), pay), 404, "modify an unknown application")

	// The payment.
	res = r.As("operator", "PATCH", path, pay)
	testflows.Expect(t, res, 200, "operator records the payment")
	if res.S("paidamount") != "1234.56" || res.Body["paidKopecks"] != float64(123456) || res.S("paymentdate") != "2026-11-30" ||
		res.Body["version"] != float64(1) || res.S("updatedBy") != r.IDs["operator"] {
		t.Fatalf("paid: %v", res.Body)
	}
	hist, _ := res.Body["history"].([]any)
	if len(hist) != 1 || obj(hist[0])["by"] != r.IDs["operator"] || len(obj(hist[0])["changes"].([]any)) != 2 {
		t.Fatalf("history: %v", res.Body["history"])
	}
	testflows.Expect(t, r.As("admin", "PATCH", path, `{"paymentsum":"1300","version":0}`), 409, "stale version")
	if res = info(opened); res.S("paidamount") != "1234.56" {
		t.Fatalf("the stale modification changed it: %v", res.Body)
	}

	// selectedStatus: the current one is accepted, another goes through the status model.
	testflows.Expect(t, r.As("operator", "PATCH", path, `{"selectedStatus":6}`), 200, "the current status")
	testflows.Expect(t, r.As("operator", "PATCH", path, `{"selectedStatus":3}`), 409, "another status")

	// The dates the declaration shows; "" restores the application's own.
	res = r.As("admin", "PATCH", path, `{"appcreate":"2026-01-15","appopendate":"2026-01-20","version":1}`)
	testflows.Expect(t, res, 200, "dates")
	if res.S("appcreatedate") != "2026-01-15" || res.S("accountOpeningDate") != "2026-01-20" || res.Body["version"] != float64(2) {
		t.Fatalf("dates: %v", res.Body)
	}
	res = r.As("admin", "PATCH", path, `{"appopendate":""}`)
	testflows.Expect(t, res, 200, "restore the opening date")
	if res.S("accountOpeningDate") != res.S("createdate") || res.Body["version"] != float64(3) {
		t.Fatalf("restored: %v", res.Body)
	}

	// Closing takes it off the active list (here by API key acting for the operator);
	// reopening puts it back.
	res = r.Send("PATCH", path, `{"declaration_is_closed":true}`, r.WithKey(r.IDs["operator"]))
	testflows.Expect(t, res, 200, "close")
	if res.Body["declaration_is_closed"] != true || res.S("closedBy") != r.IDs["operator"] || res.S("closedAt") == "" {
		t.Fatalf("closed: %v", res.Body)
	}
	if list := r.Array("/api/declaration/active", key); has(list, opened) || !has(list, other) {
		t.Fatalf("active after closing: %v", ids(list))
	}
	if got := search("searchStr=" + opened); len(got) != 0 {
		t.Fatalf("a closed declaration by its id: %v", got)
	}
	if res = info(opened); res.Body["declaration_is_closed"] != true || len(res.Body["history"].([]any)) != 4 {
		t.Fatalf("info of a closed declaration: %v", res.Body)
	}
	testflows.Expect(t, r.As("admin", "PATCH", path, `{"declaration_is_closed":false}`), 200, "reopen")
	if list := r.Array("/api/declaration/active", key); !has(list, opened) {
		t.Fatalf("active after reopening: %v", ids(list))
	}
	// Nothing to change: the declaration as it is, no new version.
	res = r.As("admin", "PATCH", path, `{"paymentsum":"1234.56"}`)
	testflows.Expect(t, res, 200, "no change")
	if res.Body["version"] != float64(5) {
		t.Fatalf("no change: %v", res.Body)
	}

	// Clerks at once: each modification is read, checked and written whole or refused with 409,
	// never lost (the version moves once per success, one history entry each).
	const clerks = 6
	codes := make(chan int, clerks)
	var wg sync.WaitGroup
	for i := range clerks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- r.As("operator", "PATCH", path, fmt.Sprintf(`{"paymentsum":"%d"}`, 2000+i)).Status
		}()
	}
	wg.Wait()
	close(codes)
	ok := 0
	for c := range codes {
		switch c {
		case 200:
			ok++
		case 409:
		default:
			t.Fatalf("concurrent modification: %d", c)
		}
	}
	res = info(opened)
	if ok == 0 || res.Body["version"] != float64(5+ok) || len(res.Body["history"].([]any)) != 5+ok {
		t.Fatalf("%d succeeded: %v", ok, res.Body)
	}
}
