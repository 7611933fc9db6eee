package acts_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"testing"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/products"
)

var pdfFile = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")

var want = testflows.ExpectRaw

type bank struct {
	t    *testing.T
	api  *testenv.API
	key  string
	user string
}

func newBank(t *testing.T) *bank {
	t.Helper()
	admin := testflows.BankAdmin(t, "bank-admin", "Bank-Admin-2026")
	return &bank{t: t, api: testflows.New(t, httpapi.Backoffice).API, key: testenv.Get(t).Params["BackofficeApiKey"], user: admin.ID}
}

// do calls as the administrator ("user"), the key alone ("system") or without credentials ("").
func (b *bank) do(as, method, path, ct string, body []byte, extra map[string]string) testenv.RawReply {
	b.t.Helper()
	h := map[string]string{}
	switch as {
	case "user":
		h["X-Authorization"], h["User-LKB"] = b.key, b.user
	case "system":
		h["X-Authorization"] = b.key
	}
	if ct != "" {
		h["Content-Type"] = ct
	}
	for k, v := range extra {
		h[k] = v
	}
	return b.api.DoRaw(testenv.Request{Method: method, Path: path, Body: string(body), Header: h})
}

func (b *bank) role(id int) {
	b.t.Helper()
	want(b.t, b.do("user", "POST", fmt.Sprintf("/api/user/role/%d", id), "", nil, nil), 200, "switch the active role")
}

func (b *bank) list(query string) []map[string]any {
	b.t.Helper()
	r := b.do("system", "GET", "/api/acts"+query, "", nil, nil)
	want(b.t, r, 200, "list acts "+query)
	var out []map[string]any
	r.JSON(b.t, &out)
	return out
}

func form(field, name string, content []byte) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func fetch(t *testing.T, link string) []byte {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("fetch: %d %s", resp.StatusCode, b)
	}
	return b
}

var numberRe = regexp.MustCompile(`^A-[0-9]{6,}$`)

// E11: the bank records acts of payment to agent organisations, with or without a file, once
// per Idempotency-Key, and lists them by agent and product, newest first; the act's file
// downloads through GET /api/binary/{id} with the bytes sent and cannot be deleted.
func TestActs(t *testing.T) {
	client := testflows.New(t, httpapi.Client)
	bk := newBank(t)
	agent := client.Ready()
	other := client.Ready()
	start, business := products.Number("rko-start"), products.Number("rko-business")
	act := func(agentID string, product int64, sum, period, date string) string {
		return fmt.Sprintf("/api/act/%s/%d/%s/%s/%s", agentID, product, sum, period, date)
	}

	// With a file: every field as the seed shows it.
	ct, body := form("data", "Акт №15.pdf", pdfFile)
	path := act(agent.OrgID, start, "15000,50", "10.2026", "05.11.2026")
	want(t, bk.do("", "POST", path, ct, body, nil), 401, "without credentials")
	want(t, bk.do("system", "POST", path, ct, body, nil), 403, "without User-LKB")
	r := bk.do("user", "POST", path, ct, body, nil)
	want(t, r, 200, "an act with a file")
	var first map[string]any
	r.JSON(t, &first)
	ag := first["agent"].(map[string]any)
	pr := first["product"].(map[string]any)
	if !numberRe.MatchString(first["number"].(string)) || ag["id"] != agent.OrgID || ag["fio"] != "ИП Смирнова Анна" || ag["login"] != agent.Phone ||
		pr["id"] != float64(start) || pr["code"] != "rko-start" || pr["name"] == "" || first["paymentsum"] != "15000.50" ||
		first["paymentKopecks"] != float64(1500050) || first["period"] != "2026-10" || first["paymentdate"] != "2026-11-05" ||
		first["createdBy"] != bk.user {
		t.Fatalf("act: %s", r.Body)
	}
	fileID, _ := first["binaryuuid"].(string)
	dl := bk.do("system", "GET", "/api/binary/"+fileID, "", nil, nil)
	want(t, dl, 302, "download the act's file")
	if got := fetch(t, dl.Header.Get("Location")); !bytes.Equal(got, pdfFile) {
		t.Fatalf("the act's file: %q", got)
	}
	want(t, bk.do("user", "DELETE", "/api/binary/"+fileID, "", nil, nil), 409, "delete an act's file")
	// An act's file is replaced only by those who make acts (roles 1, 2), not by an executor.
	pct, pbody := form("upFile", "Акт №15 исправленный.pdf", pdfFile)
	bk.role(4)
	want(t, bk.do("user", "PATCH", "/api/binary/"+fileID, pct, pbody, nil), 403, "an executor replaces an act's file")
	bk.role(1)
	want(t, bk.do("user", "PATCH", "/api/binary/"+fileID, pct, pbody, nil), 200, "an administrator replaces an act's file")

	// Without a file (an empty body), ISO forms.
	r = bk.do("user", "POST", act(agent.OrgID, business, "3000", "2026-10", "2026-11-06"), "", nil, nil)
	want(t, r, 200, "an act without a file")
	var second map[string]any
	r.JSON(t, &second)
	if second["binaryuuid"] != nil || second["paymentsum"] != "3000.00" {
		t.Fatalf("act without a file: %s", r.Body)
	}
	r = bk.do("user", "POST", act(other.OrgID, start, "1.5", "2026-09", "2026-10-01"), "application/json", nil, nil)
	want(t, r, 200, "another agent's act")
	var third map[string]any
	r.JSON(t, &third)

	// Numbers grow; lists are newest first, filtered by agent and product.
	var n1, n2, n3 int
	fmt.Sscanf(first["number"].(string), "A-%d", &n1)
	fmt.Sscanf(second["number"].(string), "A-%d", &n2)
	fmt.Sscanf(third["number"].(string), "A-%d", &n3)
	if n2 <= n1 || n3 <= n2 {
		t.Fatalf("numbers %d, %d, %d", n1, n2, n3)
	}
	ids := func(l []map[string]any) []any {
		out := []any{}
		for _, a := range l {
			out = append(out, a["id"])
		}
		return out
	}
	same := func(what string, got []map[string]any, want ...map[string]any) {
		t.Helper()
		g, w := ids(got), ids(want)
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Fatalf("%s: %v, want %v", what, g, w)
		}
	}
	same("all", bk.list(""), third, second, first)
	same("the agent's", bk.list("?agentid="+agent.OrgID), second, first)
	same("the agent's of a product", bk.list(fmt.Sprintf("?agentid=%s&productid=%d", agent.OrgID, start)), first)
	same("of a product", bk.list(fmt.Sprintf("?productid=%d", start)), third, first)
	same("of an agent without acts", bk.list("?agentid="+ulid.Make().String()))
	if l := bk.list("?agentid=" + other.OrgID); l[0]["binaryuuid"] != nil || l[0]["agent"].(map[string]any)["id"] != other.OrgID {
		t.Fatalf("listed act: %v", l[0])
	}
	want(t, bk.do("system", "GET", "/api/acts?productid=x", "", nil, nil), 400, "a malformed product id")
	want(t, bk.do("system", "GET", "/api/acts?agentid=nope", "", nil, nil), 400, "a malformed agent id")
	want(t, bk.do("", "GET", "/api/acts", "", nil, nil), 401, "list without credentials")

	// Idempotency-Key: a retry gets the same act; another request with the key is a 422.
	key := map[string]string{"Idempotency-Key": "act-" + ulid.Make().String()}
	ct, body = form("data", "Акт №16.pdf", pdfFile)
	path = act(agent.OrgID, start, "100", "2026-11", "2026-12-01")
	r1 := bk.do("user", "POST", path, ct, body, key)
	want(t, r1, 200, "an act with a key")
	r2 := bk.do("user", "POST", path, ct, body, key)
	want(t, r2, 200, "the retry")
	if !bytes.Equal(r1.Body, r2.Body) || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %s vs %s", r1.Body, r2.Body)
	}
	want(t, bk.do("user", "POST", act(agent.OrgID, start, "200", "2026-11", "2026-12-01"), ct, body, key), 422, "the key with another act")
	if l := bk.list("?agentid=" + agent.OrgID); len(l) != 3 {
		t.Fatalf("one act per key: %d acts", len(l))
	}

	// Failures.
	unknownAgent := ulid.Make().String()
	for _, c := range []struct {
		what, path string
		status     int
	}{
		{"an unknown agent", act(unknownAgent, start, "100", "2026-10", "2026-11-05"), 404},
		{"not an agent id", act("nope", start, "100", "2026-10", "2026-11-05"), 404},
		{"the bank is no agent", act(bankOrg(t), start, "100", "2026-10", "2026-11-05"), 404},
		{"an unknown product", act(agent.OrgID, 42, "100", "2026-10", "2026-11-05"), 404},
		{"a product that is no number", "/api/act/" + agent.OrgID + "/rko-start/100/2026-10/2026-11-05", 400},
		{"a sum with three decimals", act(agent.OrgID, start, "1.005", "2026-10", "2026-11-05"), 400},
		{"a zero sum", act(agent.OrgID, start, "0", "2026-10", "2026-11-05"), 400},
		{"a sum that is no number", act(agent.OrgID, start, "сто", "2026-10", "2026-11-05"), 400},
		{"month 13", act(agent.OrgID, start, "100", "2026-13", "2026-11-05"), 400},
		{"a date that does not exist", act(agent.OrgID, start, "100", "2026-10", "31.11.2026"), 400},
	} {
		want(t, bk.do("user", "POST", c.path, "", nil, nil), c.status, c.what)
	}
	badPath := act(agent.OrgID, start, "100", "2026-10", "2026-11-05")
	ct, body = form("data", "virus.exe", []byte("MZ\x90\x00"))
	want(t, bk.do("user", "POST", badPath, ct, body, nil), 400, "an executable")
	ct, body = form("data", "scan.png", pdfFile)
	want(t, bk.do("user", "POST", badPath, ct, body, nil), 422, "a PDF named .png")
	want(t, bk.do("user", "POST", badPath, "text/plain", []byte("hello"), nil), 406, "a body that is not multipart")
	ct, body = form("data", "big.pdf", append(append([]byte{}, pdfFile...), bytes.Repeat([]byte{' '}, 5<<20)...))
	want(t, bk.do("user", "POST", badPath, ct, body, nil), 413, "more than 4 MiB")
	if l := bk.list("?agentid=" + agent.OrgID); len(l) != 3 {
		t.Fatalf("failures made no acts: %d acts", len(l))
	}

	// Roles: executors and signers read but make no acts; operators make them.
	for _, role := range []int{3, 4} {
		bk.role(role)
		want(t, bk.do("user", "POST", badPath, "", nil, nil), 403, fmt.Sprintf("role %d makes an act", role))
		want(t, bk.do("user", "GET", "/api/acts", "", nil, nil), 200, fmt.Sprintf("role %d lists", role))
	}
	bk.role(2)
	want(t, bk.do("user", "POST", badPath, "", nil, nil), 200, "an operator makes an act")
	bk.role(1)
}

// bankOrg is the bank's own organisation id (an organisation, but not an agent).
func bankOrg(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	st, err := bowire.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByLogin(ctx, "bank-admin")
	if err != nil {
		t.Fatal(err)
	}
	return u.OrgID
}
