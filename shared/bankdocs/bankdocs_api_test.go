package bankdocs_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"testing"
	"unicode/utf16"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var (
	expect = testflows.Expect
	want   = testflows.ExpectRaw
)

var pdfFile = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")

// multipartBody is a form with the file in field upFile.
func multipartBody(name string, content []byte) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("upFile", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// application is a complete application of the i-th company of the DaData simulator.
func application(i int) (string, string) {
	co := dadatasim.Companies()[i]
	b, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact":       map[string]any{"fullName": "Иванов Иван Иванович", "phone": "+7 916 123-45-67", "email": "ivanov@example.ru"},
		"office":        map[string]any{"city": "Москва", "office": "Центральный"},
		"questionnaire": map[string]any{"Планируемый оборот": "до 1 млн руб."},
	})
	return string(b), co.ShortWithOPF
}

// bank is the back office as its administrator sees it through the system API key.
type bank struct {
	t    *testing.T
	api  *testflows.Client
	key  string
	user string // User-LKB
}

func newBank(t *testing.T) *bank {
	t.Helper()
	admin := testflows.BankAdmin(t, "bank-admin", "Bank-Admin-2026")
	return &bank{t: t, api: testflows.New(t, httpapi.Backoffice), key: testenv.Get(t).Params["BackofficeApiKey"], user: admin.ID}
}

// as: the administrator ("user"), the key alone ("system") or no credentials ("").
func (b *bank) headers(as string) map[string]string {
	switch as {
	case "user":
		return map[string]string{"X-Authorization": b.key, "User-LKB": b.user}
	case "system":
		return map[string]string{"X-Authorization": b.key}
	}
	return map[string]string{}
}

func (b *bank) json(as, method, path, body string) testenv.RawReply {
	b.t.Helper()
	return b.api.DoRaw(testenv.Request{Method: method, Path: path, Body: body, Header: b.headers(as)})
}

// upload sends a multipart body (contentType, body) to path as as.
func (b *bank) upload(as, path, contentType string, body []byte) testenv.RawReply {
	b.t.Helper()
	h := b.headers(as)
	h["Content-Type"] = contentType
	return b.api.DoRaw(testenv.Request{Method: "POST", Path: path, Body: string(body), Header: h})
}

func (b *bank) role(id int) {
	b.t.Helper()
	want(b.t, b.json("user", "POST", fmt.Sprintf("/api/user/role/%d", id), ""), 200, "switch the active role")
}

// E6–E8: the bank asks for documents, the agent sees and fulfils the requests, the bank recalls
// (409 once fulfilled), lists, verifies, uploads, downloads and deletes documents, edits the
// questionnaire with optimistic locking and generates the print forms; every failure answers
// its status.
func TestBankDocumentWork(t *testing.T) {
	client := testflows.New(t, httpapi.Client)
	bk := newBank(t)

	acct := client.Ready()
	body, shortName := application(0)
	created := client.Call("POST", "/v1/applications", body, acct.Token())
	expect(t, created, 201, "create an application")
	app := created.S("id")
	base := "/api/application/" + app
	unknown := ulid.Make().String()

	// No credentials: 401 before anything (the fixtures cover every route).
	want(t, bk.json("", "GET", base+"/clientdocs", ""), 401, "clientdocs without credentials")
	want(t, bk.json("", "POST", base+"/docrequirement/", `{"req":{"typeId":7}}`), 401, "request without credentials")

	t.Run("field document types", func(t *testing.T) {
		r := bk.json("system", "GET", "/api/info/fielddocumenttypes/"+app, "")
		want(t, r, 200, "types")
		var ts []map[string]any
		r.JSON(t, &ts)
		ids := map[float64]bool{}
		for _, x := range ts {
			ids[x["id"].(float64)] = true
			if x["legalentitytype"] != "LEGAL_ENTITY" || x["name"] == "" {
				t.Fatalf("type %v", x)
			}
		}
		if !ids[1] || !ids[8] || ids[6] {
			t.Fatalf("a legal entity's application: the bank's type 8 in, the entrepreneur's 6 out: %s", r.Body)
		}
		want(t, bk.json("system", "GET", "/api/info/fielddocumenttypes/"+unknown, ""), 404, "unknown application")
		want(t, bk.json("system", "GET", "/api/info/fielddocumenttypes/nope", ""), 404, "not an id")
	})

	// Extra-document requests.
	request := func(typeID int, comment string) string {
		t.Helper()
		r := bk.json("user", "POST", base+"/docrequirement/", fmt.Sprintf(`{"req":{"typeId":%d,"comment":%q}}`, typeID, comment))
		want(t, r, 200, "request a document")
		var q map[string]any
		r.JSON(t, &q)
		if q["status"] != "requested" || q["requestedBy"] != bk.user || q["typeId"] != float64(typeID) || q["comment"] != comment {
			t.Fatalf("request: %s", r.Body)
		}
		return q["id"].(string)
	}
	want(t, bk.json("system", "POST", base+"/docrequirement/", `{"req":{"typeId":7}}`), 403, "request without User-LKB")
	want(t, bk.json("user", "POST", base+"/docrequirement/", `{"req":{"typeId":8}}`), 400, "a type agents cannot upload")
	want(t, bk.json("user", "POST", base+"/docrequirement/", `{"req":{}}`), 400, "no type")
	want(t, bk.json("user", "POST", base+"/docrequirement/", `{"typeId":7}`), 400, "not wrapped in req")
	want(t, bk.json("user", "POST", "/api/application/"+unknown+"/docrequirement/", `{"req":{"typeId":7}}`), 404, "unknown application")
	licence := request(7, "Приложите лицензию")
	charter := request(1, "Устав целиком")

	agentRequests := func(token, id string) testenv.Reply {
		return client.Call("GET", "/v1/applications/"+id+"/document-requests", "", token)
	}
	r := agentRequests(acct.Token(), app)
	expect(t, r, 200, "the agent reads the requests")
	if items := r.Body["items"].([]any); len(items) != 2 || items[0].(map[string]any)["id"] != licence {
		t.Fatalf("agent's requests: %v", r.Body)
	}
	other := client.Ready()
	expect(t, agentRequests(other.Token(), app), 404, "another organisation's application")
	expect(t, agentRequests("", app), 401, "no token")

	// The agent uploads a licence: the request is fulfilled.
	ct, mp := multipartBody("Лицензия.pdf", pdfFile)
	up := client.DoRaw(testenv.Request{Method: "POST", Path: "/v1/applications/" + app + "/binary/7/LEGAL_ENTITY", Body: string(mp), Token: acct.Token(),
		Header: map[string]string{"Content-Type": ct}})
	want(t, up, 200, "the agent uploads a licence")
	var agentDoc map[string]any
	up.JSON(t, &agentDoc)
	docID := agentDoc["id"].(string)
	r = agentRequests(acct.Token(), app)
	if items := r.Body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != charter {
		t.Fatalf("after the upload only the charter is open: %v", r.Body)
	}

	// Recall: all or nothing; 409 once one was fulfilled.
	recall := func(as string, ids ...string) testenv.RawReply {
		b, _ := json.Marshal(map[string]any{"ids": ids})
		return bk.json(as, "POST", base+"/doc/recalled", string(b))
	}
	want(t, recall("user", charter, licence), 409, "recall with a fulfilled request")
	if r = agentRequests(acct.Token(), app); len(r.Body["items"].([]any)) != 1 {
		t.Fatalf("a refused recall recalls nothing: %v", r.Body)
	}
	want(t, recall("user", unknown), 404, "unknown request")
	want(t, recall("user"), 400, "no ids")
	want(t, recall("system", charter), 403, "recall without User-LKB")
	want(t, recall("user", charter), 200, "recall the charter")
	want(t, recall("user", charter), 200, "recall again")
	if r = agentRequests(acct.Token(), app); len(r.Body["items"].([]any)) != 0 {
		t.Fatalf("nothing open: %v", r.Body)
	}

	// The client's documents, by type, with their verification.
	docs := func(kind string) []map[string]any {
		t.Helper()
		r := bk.json("system", "GET", base+"/"+kind, "")
		want(t, r, 200, kind)
		var gs []map[string]any
		r.JSON(t, &gs)
		return gs
	}
	gs := docs("clientdocs")
	if len(gs) != 1 || gs[0]["id"] != float64(7) || len(gs[0]["docs"].([]any)) != 1 {
		t.Fatalf("clientdocs: %v", gs)
	}
	d0 := gs[0]["docs"].([]any)[0].(map[string]any)
	if d0["id"] != docID || d0["name"] != "Лицензия.pdf" || d0["mimetype"] != "application/pdf" || d0["verify"] != nil || d0["byBank"] != false {
		t.Fatalf("client document: %v", d0)
	}
	if gs := docs("fielddocs"); len(gs) != 0 {
		t.Fatalf("no bank documents yet: %v", gs)
	}
	want(t, bk.json("system", "GET", "/api/application/"+unknown+"/clientdocs", ""), 404, "clientdocs of an unknown application")

	// Verify, then un-verify: the history keeps both.
	verify := base + "/doc/" + docID + "/verify"
	want(t, bk.json("system", "POST", verify, `{"result":true}`), 403, "verify without User-LKB")
	want(t, bk.json("user", "POST", verify, `{"comment":"x"}`), 400, "verify without a result")
	want(t, bk.json("user", "POST", base+"/doc/"+unknown+"/verify", `{"result":true}`), 404, "verify an unknown document")
	want(t, bk.json("user", "POST", verify, `{"result":true,"comment":"Сверено с оригиналом"}`), 200, "verify")
	r2 := bk.json("user", "POST", verify, `{"result":false,"comment":"Срок действия истёк"}`)
	want(t, r2, 200, "un-verify")
	var v map[string]any
	r2.JSON(t, &v)
	if last := v["verify"].(map[string]any); last["result"] != false || last["by"] != bk.user || len(v["history"].([]any)) != 2 {
		t.Fatalf("verification: %s", r2.Body)
	}
	d0 = docs("clientdocs")[0]["docs"].([]any)[0].(map[string]any)
	if d0["verify"].(map[string]any)["comment"] != "Срок действия истёк" || len(d0["verifyHistory"].([]any)) != 2 {
		t.Fatalf("listed verification: %v", d0)
	}

	// The bank uploads a contract (a type only the bank uploads) and downloads it.
	ct, mp = multipartBody("Договор.pdf", pdfFile)
	upload := "/api/binary/" + app + "/8/LEGAL_ENTITY"
	want(t, bk.upload("system", upload, ct, mp), 403, "upload without User-LKB")
	want(t, bk.upload("user", "/api/binary/"+app+"/8/INDIVIDUAL_ENTREPRENEUR", ct, mp), 404, "a type of another legal entity type")
	want(t, bk.upload("user", "/api/binary/"+unknown+"/8/LEGAL_ENTITY", ct, mp), 404, "upload to an unknown application")
	bigCT, big := multipartBody("Большой.pdf", append(append([]byte{}, pdfFile...), bytes.Repeat([]byte{' '}, 5<<20)...))
	want(t, bk.upload("user", upload, bigCT, big), 413, "more than 4 MiB")
	want(t, bk.upload("user", upload, "application/json", []byte(`{}`)), 406, "not multipart")
	bu := bk.upload("user", upload, ct, mp)
	want(t, bu, 200, "the bank uploads")
	var seed map[string]any
	bu.JSON(t, &seed)
	if seed["name"] != "Договор.pdf" || seed["documentType"].(map[string]any)["id"].(map[string]any)["id"] != float64(8) {
		t.Fatalf("uploadSysFile answer: %s", bu.Body)
	}
	bankDoc := seed["id"].(string)
	if gs := docs("fielddocs"); len(gs) != 1 || gs[0]["id"] != float64(8) || gs[0]["docs"].([]any)[0].(map[string]any)["byBank"] != true {
		t.Fatalf("fielddocs: %v", gs)
	}

	dl := bk.json("system", "GET", "/api/binary/"+bankDoc, "")
	want(t, dl, 302, "download")
	if got := fetch(t, dl.Header.Get("Location")); !bytes.Equal(got, pdfFile) {
		t.Fatalf("downloaded %q", got)
	}
	want(t, bk.json("system", "GET", "/api/binary/"+unknown, ""), 404, "download an unknown document")
	want(t, bk.json("", "GET", "/api/binary/"+bankDoc, ""), 401, "download without credentials")

	// Delete.
	want(t, bk.json("system", "DELETE", base+"/doc/"+docID, ""), 403, "delete without User-LKB")
	want(t, bk.json("user", "DELETE", base+"/doc/"+docID, ""), 200, "delete")
	want(t, bk.json("user", "DELETE", base+"/doc/"+docID, ""), 404, "delete again")
	want(t, bk.json("system", "GET", "/api/binary/"+docID, ""), 404, "download a deleted document")
	if gs := docs("clientdocs"); len(gs) != 0 {
		t.Fatalf("clientdocs after the delete: %v", gs)
	}

	// The questionnaire (E8), with optimistic locking on the application's version.
	q := bk.json("system", "GET", base+"/questionnaire/", "")
	want(t, q, 200, "questionnaire")
	var qj map[string]any
	q.JSON(t, &qj)
	version := int(qj["version"].(float64))
	if qj["questionnaire"].(map[string]any)["Планируемый оборот"] != "до 1 млн руб." {
		t.Fatalf("questionnaire: %s", q.Body)
	}
	update := func(as string, version int, answers map[string]string) testenv.RawReply {
		b, _ := json.Marshal(map[string]any{"version": version, "questionnaire": answers})
		return bk.json(as, "POST", base+"/questionnaire/", string(b))
	}
	answers := map[string]string{"Планируемый оборот": "1–5 млн руб.", "Выгодоприобретатели": "нет"}
	want(t, update("system", version, answers), 403, "questionnaire without User-LKB")
	u := update("user", version, answers)
	want(t, u, 200, "update the questionnaire")
	u.JSON(t, &qj)
	if int(qj["version"].(float64)) != version+1 || qj["questionnaire"].(map[string]any)["Выгодоприобретатели"] != "нет" {
		t.Fatalf("updated: %s", u.Body)
	}
	want(t, update("user", version, answers), 409, "stale version")
	want(t, bk.json("user", "POST", base+"/questionnaire/", `{"questionnaire":{}}`), 400, "no version")
	tooMany := map[string]string{}
	for i := range 101 {
		tooMany[fmt.Sprint("q", i)] = "a"
	}
	want(t, update("user", version+1, tooMany), 400, "101 answers")
	want(t, bk.json("system", "GET", "/api/application/"+unknown+"/questionnaire/", ""), 404, "unknown application")
	if got := client.Call("GET", "/v1/applications/"+app, "", acct.Token()); got.Body["questionnaire"].(map[string]any)["Выгодоприобретатели"] != "нет" {
		t.Fatalf("the agent sees the bank's answers: %v", got.Body)
	}

	// Print forms (E7): PDFs with the company's name, among the bank's documents; generating
	// again replaces them.
	gen := func() []any {
		t.Helper()
		r := bk.json("user", "POST", base+"/generatebankform", "")
		want(t, r, 200, "generate the forms")
		var out map[string]any
		r.JSON(t, &out)
		return out["items"].([]any)
	}
	forms := gen()
	if len(forms) != 2 {
		t.Fatalf("two forms: %v", forms)
	}
	for _, f := range forms {
		f := f.(map[string]any)
		dl := bk.json("system", "GET", "/api/binary/"+f["id"].(string), "")
		want(t, dl, 302, "download a form")
		pdf := fetch(t, dl.Header.Get("Location"))
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[len(pdf)-32:], []byte("%%EOF")) {
			t.Fatalf("%s is not a PDF", f["name"])
		}
		if !bytes.Contains(inflated(t, pdf), pdfString(shortName)) {
			t.Fatalf("%s does not show %q", f["name"], shortName)
		}
	}
	gen()
	gs = docs("fielddocs")
	var formDocs []any
	for _, g := range gs {
		if g["id"] == float64(0) {
			formDocs = g["docs"].([]any)
		}
	}
	if len(gs) != 2 || len(formDocs) != 2 {
		t.Fatalf("the forms replace the earlier ones: %v", gs)
	}
	want(t, bk.json("system", "POST", base+"/generatebankform", ""), 403, "generate without User-LKB")
	want(t, bk.json("user", "POST", "/api/application/"+unknown+"/generatebankform", ""), 404, "generate for an unknown application")

	// A signer reads but changes nothing.
	bk.role(3)
	want(t, bk.json("user", "POST", base+"/generatebankform", ""), 403, "a signer generates")
	want(t, bk.json("user", "POST", base+"/docrequirement/", `{"req":{"typeId":7}}`), 403, "a signer requests")
	want(t, bk.json("user", "POST", base+"/questionnaire/", `{"version":1,"questionnaire":{}}`), 403, "a signer edits the questionnaire")
	want(t, bk.json("user", "GET", base+"/fielddocs", ""), 200, "a signer reads")
	bk.role(1)
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

var streams = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)

// inflated is every stream of a PDF, inflated when it is compressed.
func inflated(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, m := range streams.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out.Write(m[1])
			continue
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
	}
	return out.Bytes()
}

// pdfString is how fpdf writes s with a UTF-8 font: UTF-16BE, with \, ( and ) escaped.
func pdfString(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			if c == '\\' || c == '(' || c == ')' || c == '\r' {
				b.WriteByte('\\')
			}
			if c == '\r' {
				b.WriteByte('r')
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}
