package rewards_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	appwire "github.com/kabinet/kabinet/shared/applications/wire"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/rewards"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
	"github.com/kabinet/kabinet/shared/rewards/wire"
)

var expect = testflows.Expect

// resetCatalogue deletes the saved catalogue: the default one is served again.
func resetCatalogue(t *testing.T) *rewards.Products {
	t.Helper()
	p, err := wire.Products(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := p.Store.(*rewardsdb.CatalogueStore)
	if _, err := st.DB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(st.Table), Key: rewardsdb.CatalogueKey()}); err != nil {
		t.Fatal(err)
	}
	return p
}

type productItem struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	RewardKopecks int64  `json:"rewardKopecks"`
	Default       bool   `json:"default"`
}

func decode[T any](t *testing.T, v any) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func offered(ps []rewards.Product) []productItem {
	var out []productItem
	for _, p := range ps {
		if p.Active {
			out = append(out, productItem{ID: p.ID, Name: p.Name, RewardKopecks: p.RewardKopecks, Default: p.Default})
		}
	}
	return out
}

// A11: agents read the offered products with their rewards; the bank reads the catalogue
// with its version and replaces it (a stale version is a 409, a broken rule a 400 naming the
// field, a malformed body a 400), without credentials 401 on both APIs.
func TestProductsAndRewardRules(t *testing.T) {
	client := testflows.New(t, httpapi.Client)
	bo := testflows.New(t, httpapi.Backoffice)
	resetCatalogue(t)
	acct := client.Ready()

	expect(t, client.Call("GET", "/v1/products", "", ""), 401, "products without a session")
	r := client.Call("GET", "/v1/products", "", acct.Token())
	expect(t, r, 200, "products")
	if got := decode[[]productItem](t, r.Body["items"]); !slices.Equal(got, offered(rewards.Default())) {
		t.Fatalf("default products: %v", r.Body)
	}

	if _, err := bowire.Bootstrap(context.Background(), "bank-admin", "Bank-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	login := bo.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: "username=bank-admin&password=Bank-Admin-2026",
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	expect(t, login, 200, "bank login")
	cookie := map[string]string{"Cookie": strings.Split(login.Header.Get("Set-Cookie"), ";")[0]}
	bank := func(method, body string, h map[string]string) testenv.Reply {
		return bo.Do(testenv.Request{Method: method, Path: "/v1/reward-rules", Body: body, Header: h})
	}
	body := func(version int, ps []rewards.Product) string {
		b, err := json.Marshal(map[string]any{"version": version, "products": ps})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	expect(t, bank("GET", "", nil), 401, "bank read without credentials")
	expect(t, bank("PUT", body(0, rewards.Default()), nil), 401, "bank edit without credentials")
	r = bank("GET", "", cookie)
	expect(t, r, 200, "bank reads the catalogue")
	if r.Body["version"] != 0.0 || !slices.Equal(decode[[]rewards.Product](t, r.Body["products"]), rewards.Default()) {
		t.Fatalf("default catalogue: %v", r.Body)
	}

	// The bank raises a reward, withdraws a product and adds one.
	edited := rewards.Default()
	edited[0].RewardKopecks = 2_000_00
	edited[3].Active = false
	edited = append(edited, rewards.Product{ID: "rko-ip", Name: "Счёт для ИП", RewardKopecks: 1_000_00, Active: true})
	r = bank("PUT", body(0, edited), cookie)
	expect(t, r, 200, "bank saves the catalogue")
	if r.Body["version"] != 1.0 || r.S("updatedBy") == "" || r.S("updatedAt") == "" {
		t.Fatalf("saved: %v", r.Body)
	}
	r = client.Call("GET", "/v1/products", "", acct.Token())
	expect(t, r, 200, "products after the edit")
	if got := decode[[]productItem](t, r.Body["items"]); !slices.Equal(got, offered(edited)) || len(got) != 4 {
		t.Fatalf("offered after the edit: %v", r.Body)
	}

	// Optimistic locking.
	expect(t, bank("PUT", body(0, rewards.Default()), cookie), 409, "stale version")
	expect(t, bank("PUT", body(1, edited), cookie), 200, "current version")

	// Broken rules: 400 with the field.
	with := func(edit func([]rewards.Product) []rewards.Product) []rewards.Product { return edit(rewards.Default()) }
	for _, c := range []struct {
		what, field string
		products    []rewards.Product
	}{
		{"duplicate id", "products[1].id", with(func(ps []rewards.Product) []rewards.Product { ps[1].ID = ps[0].ID; return ps })},
		{"two defaults", "products", with(func(ps []rewards.Product) []rewards.Product { ps[2].Default = true; return ps })},
		{"no default", "products", with(func(ps []rewards.Product) []rewards.Product { ps[0].Default = false; return ps })},
		{"inactive default", "products[0].active", with(func(ps []rewards.Product) []rewards.Product { ps[0].Active = false; return ps })},
		{"negative reward", "products[2].rewardKopecks", with(func(ps []rewards.Product) []rewards.Product { ps[2].RewardKopecks = -1; return ps })},
		{"reward above 10 000 000 ₽", "products[2].rewardKopecks", with(func(ps []rewards.Product) []rewards.Product { ps[2].RewardKopecks = 1_000_000_001; return ps })},
		{"bad id", "products[1].id", with(func(ps []rewards.Product) []rewards.Product { ps[1].ID = "РКО 1"; return ps })},
		{"empty name", "products[3].name", with(func(ps []rewards.Product) []rewards.Product { ps[3].Name = " "; return ps })},
		{"no products", "products", nil},
	} {
		r := bank("PUT", body(2, c.products), cookie)
		expect(t, r, 400, c.what)
		if r.Field(c.field) == "" {
			t.Errorf("%s: no %s error: %v", c.what, c.field, r.Body)
		}
	}
	// Malformed bodies: 400.
	for what, b := range map[string]string{
		"no version":       `{"products":[]}`,
		"negative version": body(-1, rewards.Default()),
		"unknown field":    `{"version":2,"products":[],"extra":1}`,
		"not JSON":         `{"version":`,
		"reward of text":   `{"version":2,"products":[{"id":"a","name":"А","rewardKopecks":"100","active":true,"default":true}]}`,
	} {
		expect(t, bank("PUT", b, cookie), 400, what)
	}
	if r = bank("GET", "", cookie); r.Body["version"] != 2.0 {
		t.Fatalf("refused edits changed the catalogue: %v", r.Body)
	}
}

// member invites a user of role into groupID, logs it in and changes its temporary password;
// it returns its access token.
func member(t *testing.T, c *testflows.Client, token, role, groupID, name string) string {
	t.Helper()
	return c.Invite(token, role, groupID, name).Token
}

// application is a complete application for the i-th company of the DaData simulator, naming
// product unless it is "".
func application(i int, product string) string {
	co := dadatasim.Companies()[i]
	m := map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact": map[string]any{"fullName": "Иванов Иван Иванович", "phone": "+7 916 123-45-67", "email": "ivanov@example.ru"},
		"office":  map[string]any{"city": "Москва", "office": "Центральный"},
	}
	if product != "" {
		m["product"] = product
	}
	b, _ := json.Marshal(m)
	return string(b)
}

type rewardItem struct {
	ApplicationID string `json:"applicationId"`
	Number        int64  `json:"number"`
	INN           string `json:"inn"`
	ShortName     string `json:"shortName"`
	Product       string `json:"product"`
	ProductName   string `json:"productName"`
	AmountKopecks int64  `json:"amountKopecks"`
	AccruedAt     string `json:"accruedAt"`
}

type rewardList struct {
	Month         string       `json:"month"`
	TotalKopecks  int64        `json:"totalKopecks"`
	Count         int64        `json:"count"`
	Items         []rewardItem `json:"items"`
	NextPageToken string       `json:"nextPageToken"`
}

func (l rewardList) ids() []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.ApplicationID)
	}
	return out
}

// A11: opening an account accrues the reward of the application's product (or the default
// product's) once, in the Moscow month of the opening, into the organisation's monthly total;
// the agent reads a month's rewards with their total, searches by INN or name, opens one with
// its application; what each role sees is its scope (A17), another organisation sees nothing.
func TestRewardAccrualAndReading(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	ctx := context.Background()
	catalogue := resetCatalogue(t)
	// The default products, one withdrawn, one without a reward, and a promotion.
	products := append(rewards.Default(),
		rewards.Product{ID: "rko-old", Name: "Расчётный счёт «Архив»", RewardKopecks: 500_00, Active: false},
		rewards.Product{ID: "rko-free", Name: "Расчётный счёт «Ноль»", RewardKopecks: 0, Active: true},
		rewards.Product{ID: "rko-promo", Name: "Расчётный счёт «Акция»", RewardKopecks: 9_000_00, Active: true})
	if _, err := catalogue.Replace(ctx, "bank-user-1", 0, products); err != nil {
		t.Fatal(err)
	}
	svc, err := appwire.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}

	boss := c.Ready()
	tok := boss.Token()
	g := c.Call("POST", "/v1/groups", `{"name":"Продажи"}`, tok)
	expect(t, g, 201, "group")
	admin := member(t, c, tok, "administrator", g.S("id"), "Администратор Анна")
	user1 := member(t, c, tok, "user", g.S("id"), "Пользователь Пётр")
	user2 := member(t, c, tok, "user", "", "Другой Дмитрий")
	head := member(t, c, tok, "head", "", "Начальник Нина")
	other := c.Ready().Token()

	// The product of an application: only an offered one.
	for what, p := range map[string]string{"unknown": "rko-none", "withdrawn": "rko-old"} {
		r := c.Call("POST", "/v1/applications", application(0, p), tok)
		expect(t, r, 400, what+" product")
		if r.Field("product") == "" {
			t.Errorf("%s product: no product error: %v", what, r.Body)
		}
	}
	expect(t, c.Call("POST", "/v1/applications", application(0, "rko-"+strings.Repeat("x", 47)), tok), 400, "a 51-character product")

	numbers := map[string]float64{}
	create := func(i int, product, token string) string {
		t.Helper()
		r := c.Call("POST", "/v1/applications", application(i, product), token)
		expect(t, r, 201, "create")
		if r.S("product") != product {
			t.Fatalf("created with product %q: %v", product, r.Body)
		}
		numbers[r.S("id")], _ = r.Body["number"].(float64)
		return r.S("id")
	}
	u1 := create(0, "rko-business", user1) // ПАО СБЕРБАНК, 7707083893, group
	u2 := create(1, "rko-ved", user2)      // ООО "ИФР", 9715316168, no group
	a1 := create(2, "", admin)             // ООО "РОМАШКА", 7715048236, group: the default product
	b1 := create(3, "rko-start", tok)      // ООО "ВАСИЛЁК", 7810135721
	promo := create(4, "rko-promo", tok)
	free := create(5, "rko-free", tok)
	pending := create(6, "", tok)
	past := create(7, "rko-business", tok)

	// The product is edited like the other sections.
	expect(t, c.Call("PATCH", "/v1/applications/"+b1, `{"version":1,"product":"rko-none"}`, tok), 400, "edit to an unknown product")
	r := c.Call("PATCH", "/v1/applications/"+b1, `{"version":1,"product":"rko-premium"}`, tok)
	expect(t, r, 200, "edit the product")
	if r.S("product") != "rko-premium" {
		t.Fatalf("edited: %v", r.Body)
	}

	// A product withdrawn after it was chosen stops the submission until another is chosen.
	withdrawn := slices.Clone(products)
	withdrawn[len(withdrawn)-1].Active = false
	if _, err := catalogue.Replace(ctx, "bank-user-1", 1, withdrawn); err != nil {
		t.Fatal(err)
	}
	r = c.Call("POST", "/v1/applications/"+promo+"/submit", "", tok)
	expect(t, r, 400, "submit with a withdrawn product")
	if r.Field("product") == "" {
		t.Fatalf("no product error: %v", r.Body)
	}
	expect(t, c.Call("PATCH", "/v1/applications/"+promo, `{"version":1,"product":""}`, tok), 200, "back to the default product")

	submit := map[string]string{u1: user1, u2: user2, a1: admin, b1: tok, promo: tok, free: tok, pending: tok, past: tok}
	for id, token := range submit {
		expect(t, c.Call("POST", "/v1/applications/"+id+"/submit", "", token), 200, "submit")
	}
	open := func(s *applications.Service, id string) {
		t.Helper()
		for _, to := range []string{applications.StatusInReview, applications.StatusAccountReserved, applications.StatusAccountOpened} {
			if _, err := s.Advance(ctx, id, to, "bank-user-1", ""); err != nil {
				t.Fatalf("%s -> %s: %v", id, to, err)
			}
		}
	}
	for _, id := range []string{u1, u2, a1, b1, promo, free} {
		open(svc, id)
	}
	// Opened at 01:00 on 1 December 2025 in Moscow (22:00 UTC the day before): December's.
	before := *svc
	before.Now = func() time.Time { return time.Date(2025, 11, 30, 22, 0, 0, 0, time.UTC) }
	open(&before, past)

	list := func(query, token string) rewardList {
		t.Helper()
		r := c.Call("GET", "/v1/rewards?"+query, "", token)
		expect(t, r, 200, "rewards "+query)
		return decode[rewardList](t, r.Body)
	}
	check := func(what string, l rewardList, ids []string, total, count int64) {
		t.Helper()
		if !slices.Equal(l.ids(), ids) || l.TotalKopecks != total || l.Count != count {
			t.Errorf("%s: items %v total %d count %d; want %v %d %d", what, l.ids(), l.TotalKopecks, l.Count, ids, total, count)
		}
	}
	thisMonth := time.Now().In(time.FixedZone("MSK", 3*3600)).Format("2006-01")
	all := []string{promo, b1, a1, u2, u1} // newest first; free earned nothing
	const sum = 3_000_00 + 5_000_00 + 1_500_00 + 7_000_00 + 1_500_00

	l := list("", tok)
	check("superuser, this month", l, all, sum, 5)
	if l.Month != thisMonth {
		t.Errorf("default month %q, want %q", l.Month, thisMonth)
	}
	want := rewardItem{ApplicationID: u1, Number: int64(numbers[u1]), INN: "7707083893", ShortName: "ПАО СБЕРБАНК",
		Product: "rko-business", ProductName: "Расчётный счёт «Бизнес»", AmountKopecks: 3_000_00}
	got := l.Items[4]
	got.AccruedAt = ""
	if got != want || l.Items[4].AccruedAt == "" {
		t.Errorf("reward of u1: %+v, want %+v", l.Items[4], want)
	}
	if a := l.Items[2]; a.Product != "rko-start" || a.AmountKopecks != 1_500_00 {
		t.Errorf("no product named: the default one's reward: %+v", a)
	}
	check("explicit month", list("month="+thisMonth, tok), all, sum, 5)
	check("head", list("", head), all, sum, 5)

	// The month of the opening in Moscow.
	check("December 2025", list("month=2025-12", tok), []string{past}, 3_000_00, 1)
	check("November 2025", list("month=2025-11", tok), nil, 0, 0)
	for _, bad := range []string{"2026-13", "11.2026", "2026-1", "2026-11-01"} {
		r := c.Call("GET", "/v1/rewards?month="+bad, "", tok)
		expect(t, r, 400, "month "+bad)
		if r.Field("month") == "" {
			t.Errorf("month %s: no month error: %v", bad, r.Body)
		}
	}

	// Search by INN or name prefix; the total is the found rewards'.
	check("INN", list("q=7707", tok), []string{u1}, 3_000_00, 1)
	check("INN prefix", list("q=77", tok), []string{a1, u1}, 1_500_00+3_000_00, 2)
	check("name prefix, any case", list("q="+url.QueryEscape("пао  сбер"), tok), []string{u1}, 3_000_00, 1)
	check("name with quotes", list("q="+url.QueryEscape(`ооо "ром`), tok), []string{a1}, 1_500_00, 1)
	check("nothing found", list("q=0000", tok), nil, 0, 0)
	expect(t, c.Call("GET", "/v1/rewards?q=1234567890123", "", tok), 400, "13 digits")

	// Role scope (A17), totals included.
	check("administrator: its group's", list("", admin), []string{a1, u1}, 1_500_00+3_000_00, 2)
	check("user: its own", list("", user1), []string{u1}, 3_000_00, 1)
	check("another user", list("", user2), []string{u2}, 5_000_00, 1)
	check("administrator searching", list("q=9715", admin), nil, 0, 0)
	check("another organisation", list("", other), nil, 0, 0)
	check("another organisation searching", list("q=7707", other), nil, 0, 0)

	// Pages of a month, each with the month's total.
	var pages [][]string
	token := ""
	for i := 0; ; i++ {
		l := list("limit=2&pageToken="+url.QueryEscape(token), tok)
		if l.TotalKopecks != sum {
			t.Errorf("page %d total %d", i, l.TotalKopecks)
		}
		if len(l.Items) > 0 {
			pages = append(pages, l.ids())
		}
		if l.NextPageToken == "" {
			break
		}
		if i > 10 {
			t.Fatal("pages never end")
		}
		token = l.NextPageToken
	}
	if !slices.Equal(slices.Concat(pages...), all) || len(pages) != 3 {
		t.Errorf("pages of two: %v", pages)
	}
	first := list("limit=2", tok)
	expect(t, c.Call("GET", "/v1/rewards?month=2025-12&limit=2&pageToken="+url.QueryEscape(first.NextPageToken), "", tok), 400, "page token of another month")

	// The detail: the reward with its application.
	detail := func(id, token string) testenv.Reply { return c.Call("GET", "/v1/rewards/"+id, "", token) }
	r = detail(u1, user1)
	expect(t, r, 200, "detail")
	app, _ := r.Body["application"].(map[string]any)
	company, _ := app["company"].(map[string]any)
	if r.S("applicationId") != u1 || r.Body["amountKopecks"] != 3_000_00.0 || r.S("product") != "rko-business" || r.S("month") != thisMonth ||
		app["status"] != "account_opened" || app["product"] != "rko-business" || app["submittedAt"] == nil || app["createdAt"] == nil ||
		company["inn"] != "7707083893" || app["contact"] == nil || app["office"] == nil {
		t.Fatalf("detail: %v", r.Body)
	}
	if r = detail(a1, tok); r.S("product") != "rko-start" || r.Body["application"].(map[string]any)["product"] != "" {
		t.Fatalf("detail of the default product: %v", r.Body)
	}
	expect(t, detail(u1, admin), 200, "administrator, its group's")
	expect(t, detail(u2, head), 200, "head")
	expect(t, detail(u2, user1), 404, "user, another's")
	expect(t, detail(u2, admin), 404, "administrator, outside its group")
	expect(t, detail(u1, other), 404, "another organisation")
	expect(t, detail(pending, tok), 404, "not opened")
	expect(t, detail(free, tok), 404, "a product without a reward")
	expect(t, detail("not-an-id", tok), 404, "not an id")

	// Exactly once: the account cannot be opened twice, and opening it again after the status
	// was moved back (a redo) adds nothing.
	if _, err := svc.Advance(ctx, u1, applications.StatusAccountOpened, "bank-user-1", ""); err == nil {
		t.Fatal("opened twice")
	}
	accrued := detail(u1, tok).S("accruedAt")
	st := svc.Store.(*applicationsdb.Store)
	a, err := st.Get(ctx, u1)
	if err != nil {
		t.Fatal(err)
	}
	a.Status, a.Version = applications.StatusAccountReserved, a.Version+1
	h := applications.HistoryEntry{At: time.Now(), By: "bank-user-1", ByBank: true, From: applications.StatusAccountOpened, To: applications.StatusAccountReserved}
	if err := st.Save(ctx, a, &h, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := svc.Advance(ctx, u1, applications.StatusAccountOpened, "bank-user-1", "повторно"); err != nil || got.Status != applications.StatusAccountOpened {
		t.Fatalf("opened again: %v %v", got.Status, err)
	}
	check("after the redo", list("", tok), all, sum, 5)
	check("after the redo, summed", list("q=7707", tok), []string{u1}, 3_000_00, 1)
	if r = detail(u1, tok); r.S("accruedAt") != accrued || r.Body["amountKopecks"] != 3_000_00.0 {
		t.Fatalf("the reward changed: %v", r.Body)
	}
}
