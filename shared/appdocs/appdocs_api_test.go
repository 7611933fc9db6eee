package appdocs_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/appdocs/appdocsdb"
	"github.com/kabinet/kabinet/shared/appdocs/wire"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var expect = testflows.Expect

// Files of each kind, as their first bytes show them.
var (
	pdfFile = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
	pngFile = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
)

// smallType is a type the tests add: one PDF or PNG file of at most 1 MB.
var smallType = appdocs.DocumentType{ID: 99, LegalEntityType: "LEGAL_ENTITY", Name: "Выписка из ЕГРЮЛ", Showable: true, LKA: true,
	FileCount: 1, AllowFileTypeLKK: "pdf,png", MaxFileSize: 1, OrderNum: 5}

// resetTypes deletes the saved list of document types (the default one is served again) and,
// with extra, saves the default list plus extra.
func resetTypes(t *testing.T, extra ...appdocs.DocumentType) *appdocs.Service {
	t.Helper()
	testenv.Get(t) // the functions' environment
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := svc.Types.(*appdocsdb.Types)
	if _, err := st.DB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(st.Table), Key: appdocsdb.TypesKey()}); err != nil {
		t.Fatal(err)
	}
	if len(extra) > 0 {
		if _, err := svc.ReplaceTypes(context.Background(), "test-bank-user", 0, append(appdocs.Default(), extra...)); err != nil {
			t.Fatal(err)
		}
	}
	return svc
}

// application is a complete application of the i-th company of the DaData simulator, so it
// can be submitted.
func application(i int) string {
	co := dadatasim.Companies()[i]
	b, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN, "okpo": co.OKPO,
			"shortName": co.ShortWithOPF, "fullName": co.FullWithOPF, "regAddress": co.Address.Source, "okved": []string{co.OKVED}},
		"contact": map[string]any{"fullName": "Иванов Иван Иванович", "phone": "+7 916 123-45-67", "email": "ivanov@example.ru"},
		"office":  map[string]any{"city": "Москва", "office": "Центральный"},
	})
	return string(b)
}

func announce(typeID int, name string, size int, ct string) string {
	b, _ := json.Marshal(map[string]any{"typeId": typeID, "fileName": name, "size": size, "contentType": ct})
	return string(b)
}

func docOf(r testenv.Reply) map[string]any {
	d, _ := r.Body["document"].(map[string]any)
	return d
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// upload performs the presigned POST of a create's answer with content, as a browser would.
func upload(t *testing.T, created testenv.Reply, fileName string, content []byte) {
	t.Helper()
	up := created.Body["upload"].(map[string]any)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range up["fields"].(map[string]any) {
		_ = mw.WriteField(k, v.(string))
	}
	fw, _ := mw.CreateFormFile("file", fileName)
	_, _ = fw.Write(content)
	_ = mw.Close()
	resp, err := http.Post(str(up, "url"), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("presigned POST: %d %s", resp.StatusCode, msg)
	}
}

// fetch downloads a presigned GET.
func fetch(t *testing.T, link string) ([]byte, http.Header) {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("download: %d %s", resp.StatusCode, b)
	}
	return b, resp.Header
}

// exists tells whether the documents bucket has key.
func exists(t *testing.T, key string) bool {
	t.Helper()
	env := testenv.Get(t)
	_, err := env.S3.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(env.Resources.Buckets["DocumentsBucket"]), Key: aws.String(key)})
	return err == nil
}

// A5: an agent attaches a document through a presigned POST straight to S3, confirms it,
// lists and downloads it (the bytes and the original name come back), and deletes it; every
// rule refuses what it must; another organisation sees nothing; a submitted application takes
// no more documents.
func TestPresignedUploadLifecycle(t *testing.T) {
	resetTypes(t, smallType)
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	r := c.Call("POST", "/v1/applications", application(0), tok)
	expect(t, r, 201, "create an application")
	appID := r.S("id")
	docs := "/v1/applications/" + appID + "/documents"

	// Announce: a pending document and a presigned POST to incoming/ whose policy holds the
	// type's size limit (20 MB for the charter) and the content type.
	name := "Устав ООО «Ромашка» (ред. 2024).pdf"
	ann := c.Call("POST", docs, announce(1, name, len(pdfFile), "application/pdf"), tok)
	expect(t, ann, 201, "announce a document")
	r = ann
	d := docOf(r)
	docID := str(d, "id")
	if str(d, "status") != "pending" || str(d, "typeName") != "Устав" || str(d, "fileName") != name || str(d, "applicationId") != appID ||
		str(d, "uploadedBy") != boss.UserID || str(d, "contentType") != "application/pdf" {
		t.Fatalf("announced: %v", r.Body)
	}
	up := r.Body["upload"].(map[string]any)
	fields := up["fields"].(map[string]any)
	if up["method"] != "POST" || !strings.HasPrefix(str(fields, "key"), "incoming/"+appID+"/") || str(fields, "Content-Type") != "application/pdf" {
		t.Fatalf("upload: %v", up)
	}
	policy, _ := base64.StdEncoding.DecodeString(str(fields, "policy"))
	if !strings.Contains(strings.ReplaceAll(string(policy), " ", ""), fmt.Sprintf(`"content-length-range",1,%d`, 20<<20)) {
		t.Fatalf("policy without the size limit: %s", policy)
	}
	if exp, err := time.Parse(time.RFC3339, str(up, "expiresAt")); err != nil || time.Until(exp) > appdocs.UploadExpiry || time.Until(exp) < appdocs.UploadExpiry-time.Minute {
		t.Fatalf("upload expires at %v", up["expiresAt"])
	}

	// Nothing uploaded yet: 409; nothing listed.
	confirm := docs + "/" + docID + "/confirm"
	r = c.Call("POST", confirm, "", tok)
	expect(t, r, 409, "confirm before the upload")
	r = c.Call("GET", docs, "", tok)
	expect(t, r, 200, "list")
	if len(r.Body["items"].([]any)) != 0 {
		t.Fatalf("a pending document is listed: %v", r.Body)
	}
	expect(t, c.Call("GET", docs+"/"+docID+"/download", "", tok), 409, "download before the upload")

	// Upload, confirm (twice: the second changes nothing), list, download.
	upload(t, ann, name, pdfFile)
	r = c.Call("POST", confirm, "", tok)
	expect(t, r, 200, "confirm")
	d = docOf(r)
	if str(d, "status") != "uploaded" || d["size"] != float64(len(pdfFile)) || str(d, "uploadedAt") == "" {
		t.Fatalf("confirmed: %v", r.Body)
	}
	final := "documents/" + boss.OrgID + "/" + appID + "/" + docID
	if !exists(t, final) || exists(t, str(fields, "key")) {
		t.Fatal("the confirmed file is not moved from incoming/ to documents/")
	}
	r = c.Call("POST", confirm, "", tok)
	expect(t, r, 200, "confirm again")
	if str(docOf(r), "uploadedAt") != str(d, "uploadedAt") {
		t.Fatalf("a second confirm changed the document: %v", r.Body)
	}
	r = c.Call("GET", docs, "", tok)
	expect(t, r, 200, "list")
	items := r.Body["items"].([]any)
	if len(items) != 1 || str(items[0].(map[string]any), "id") != docID || str(items[0].(map[string]any), "typeName") != "Устав" {
		t.Fatalf("listed: %v", r.Body)
	}
	r = c.Call("GET", docs+"/"+docID+"/download", "", tok)
	expect(t, r, 200, "download link")
	got, h := fetch(t, r.S("url"))
	if !bytes.Equal(got, pdfFile) {
		t.Fatalf("downloaded %q", got)
	}
	cd := h.Get("Content-Disposition")
	_, enc, _ := strings.Cut(cd, "attachment; filename*=UTF-8''")
	if dec, err := url.PathUnescape(enc); err != nil || dec != name {
		t.Fatalf("Content-Disposition %q does not name %q", cd, name)
	}

	// Idempotency-Key: a retried announcement gets the same document back.
	key := map[string]string{"Idempotency-Key": "doc-" + docID}
	first := c.Do(testenv.Request{Method: "POST", Path: docs, Body: announce(2, "Решение.pdf", 1000, ""), Token: tok, Header: key})
	expect(t, first, 201, "announce with a key")
	again := c.Do(testenv.Request{Method: "POST", Path: docs, Body: announce(2, "Решение.pdf", 1000, ""), Token: tok, Header: key})
	expect(t, again, 201, "announce again with the key")
	if again.Header.Get("Idempotent-Replayed") != "true" || str(docOf(again), "id") != str(docOf(first), "id") {
		t.Fatalf("replay: %v %v", again.Header, again.Body)
	}

	// Refusals on announcing.
	for _, tc := range []struct {
		what, body string
		status     int
		field      string
	}{
		{"wrong extension", announce(1, "Устав.docx", 1000, ""), 400, "fileName"},
		{"extension of another type", announce(99, "Выписка.jpg", 1000, ""), 400, "fileName"},
		{"content type of another format", announce(1, "Устав.pdf", 1000, "image/png"), 400, "contentType"},
		{"path in the name", announce(1, "../../Устав.pdf", 1000, ""), 400, "fileName"},
		{"no size", `{"typeId":1,"fileName":"Устав.pdf"}`, 400, "size"},
		{"zero size", announce(1, "Устав.pdf", 0, ""), 400, "size"},
		{"too large", announce(1, "Устав.pdf", 20<<20+1, ""), 413, ""},
		{"unknown type", announce(999, "Устав.pdf", 1000, ""), 400, "typeId"},
		{"a type agents may not upload", announce(8, "Договор.pdf", 1000, ""), 400, "typeId"},
		{"unknown field", `{"typeId":1,"fileName":"Устав.pdf","size":1,"path":"x"}`, 400, "path"},
	} {
		r := c.Call("POST", docs, tc.body, tok)
		expect(t, r, tc.status, tc.what)
		if tc.field != "" && r.Field(tc.field) == "" {
			t.Fatalf("%s: no %s error: %v", tc.what, tc.field, r.Body)
		}
	}

	// fileCount: the one place of smallType is taken by a pending upload still in its window.
	small := c.Call("POST", docs, announce(99, "Выписка.pdf", 1000, "application/pdf"), tok)
	expect(t, small, 201, "announce the one allowed file")
	expect(t, c.Call("POST", docs, announce(99, "Выписка-2.pdf", 1000, ""), tok), 409, "a second file of a one-file type")

	// Too large at S3: the emulator does not enforce the policy, the confirm does (and
	// discards the upload, so the next confirm finds nothing).
	smallID := str(docOf(small), "id")
	big := append(append([]byte{}, pdfFile...), bytes.Repeat([]byte{' '}, 1<<20)...)
	upload(t, small, "Выписка.pdf", big)
	r = c.Call("POST", docs+"/"+smallID+"/confirm", "", tok)
	expect(t, r, 422, "confirm a file over the type's limit")
	if !strings.Contains(r.Message(), "1 MB") {
		t.Fatalf("message: %v", r.Body)
	}
	expect(t, c.Call("POST", docs+"/"+smallID+"/confirm", "", tok), 409, "the large upload was discarded")

	// Magic bytes: a PNG named .pdf is refused and discarded; the right file then goes through.
	upload(t, small, "Выписка.pdf", pngFile)
	r = c.Call("POST", docs+"/"+smallID+"/confirm", "", tok)
	expect(t, r, 422, "confirm a PNG named .pdf")
	if !strings.Contains(r.Message(), ".pdf") {
		t.Fatalf("message: %v", r.Body)
	}
	expect(t, c.Call("POST", docs+"/"+smallID+"/confirm", "", tok), 409, "the mismatched upload was discarded")
	upload(t, small, "Выписка.pdf", pdfFile)
	expect(t, c.Call("POST", docs+"/"+smallID+"/confirm", "", tok), 200, "confirm the right file")
	expect(t, c.Call("POST", docs, announce(99, "Выписка-2.pdf", 1000, ""), tok), 409, "the one-file type is full")

	// Unknown documents.
	for _, id := range []string{"01KAXR2B9C8D7E6F5G4H3J2K1M", "not-a-ulid"} {
		expect(t, c.Call("POST", docs+"/"+id+"/confirm", "", tok), 404, "confirm an unknown document")
		expect(t, c.Call("GET", docs+"/"+id+"/download", "", tok), 404, "download an unknown document")
		expect(t, c.Call("DELETE", docs+"/"+id, "", tok), 404, "delete an unknown document")
	}

	// Another organisation: 404 everywhere, and nothing of this one's.
	other := c.Ready()
	for _, call := range []struct{ method, path, body string }{
		{"GET", docs, ""},
		{"POST", docs, announce(1, "Устав.pdf", 1000, "")},
		{"POST", confirm, ""},
		{"GET", docs + "/" + docID + "/download", ""},
		{"DELETE", docs + "/" + docID, ""},
	} {
		r := c.Call(call.method, call.path, call.body, other.Token())
		expect(t, r, 404, "another organisation: "+call.method+" "+call.path)
		if strings.Contains(fmt.Sprint(r.Body), docID) || strings.Contains(fmt.Sprint(r.Body), boss.OrgID) {
			t.Fatalf("another organisation sees %v", r.Body)
		}
	}

	// Delete: the file goes, the list shrinks, the link is gone.
	expect(t, c.Call("DELETE", docs+"/"+docID, "", tok), 204, "delete")
	if exists(t, final) {
		t.Fatal("the deleted document's file is still stored")
	}
	expect(t, c.Call("GET", docs+"/"+docID+"/download", "", tok), 404, "download a deleted document")
	r = c.Call("GET", docs, "", tok)
	if items := r.Body["items"].([]any); len(items) != 1 || str(items[0].(map[string]any), "id") != smallID {
		t.Fatalf("after delete: %v", r.Body)
	}

	// Submitted: no more uploads, confirms or deletes (409); reading goes on.
	expect(t, c.Call("POST", "/v1/applications/"+appID+"/submit", "", tok), 200, "submit")
	pending := str(docOf(first), "id")
	r = c.Call("POST", docs, announce(1, "Устав.pdf", 1000, ""), tok)
	expect(t, r, 409, "announce on a submitted application")
	if !strings.Contains(r.Message(), "submitted") {
		t.Fatalf("message: %v", r.Body)
	}
	expect(t, c.Call("POST", docs+"/"+pending+"/confirm", "", tok), 409, "confirm on a submitted application")
	expect(t, c.Call("DELETE", docs+"/"+smallID, "", tok), 409, "delete on a submitted application")
	expect(t, c.Call("GET", docs, "", tok), 200, "list a submitted application's documents")
	expect(t, c.Call("GET", docs+"/"+smallID+"/download", "", tok), 200, "download from a submitted application")
}

// bankCookie logs a bank administrator in on the back-office API.
func bankCookie(t *testing.T, bo *testflows.Client) map[string]string {
	t.Helper()
	if _, err := bowire.Bootstrap(context.Background(), "bank-admin", "Bank-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	login := bo.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: "username=bank-admin&password=Bank-Admin-2026",
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	expect(t, login, 200, "bank login")
	return map[string]string{"Cookie": strings.Split(login.Header.Get("Set-Cookie"), ";")[0]}
}

func typesOf(t *testing.T, r testenv.Reply) []appdocs.DocumentType {
	t.Helper()
	b, _ := json.Marshal(r.Body["items"])
	var out []appdocs.DocumentType
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func ids(ts []appdocs.DocumentType) string {
	var s []string
	for _, t := range ts {
		s = append(s, fmt.Sprint(t.ID))
	}
	return strings.Join(s, ",")
}

// E6: agents read the types offered to them (lka, not deleted, by orderNum); the bank reads
// every type with the list's version and replaces the list (a stale version is a 409).
func TestDocumentTypes(t *testing.T) {
	resetTypes(t)
	c := testflows.New(t, httpapi.Client)
	bo := testflows.New(t, httpapi.Backoffice)
	tok := c.Ready().Token()

	expect(t, c.Call("GET", "/v1/document-types", "", ""), 401, "agent without a token")
	r := c.Call("GET", "/v1/document-types", "", tok)
	expect(t, r, 200, "agent reads the types")
	if got := ids(typesOf(t, r)); got != "1,2,3,4,5,6,7" {
		t.Fatalf("agent types %s: %v", got, r.Body)
	}
	if ty := typesOf(t, r)[0]; ty.Name != "Устав" || ty.LegalEntityType != "LEGAL_ENTITY" || ty.MaxFileSize != 20 || ty.FileCount != 3 || ty.AllowFileTypeLKK == "" {
		t.Fatalf("type 1: %+v", ty)
	}
	if _, ok := r.Body["version"]; ok {
		t.Fatalf("the agent answer carries no version: %v", r.Body)
	}

	cookie := bankCookie(t, bo)
	bank := func(method, body string, h map[string]string) testenv.Reply {
		return bo.Do(testenv.Request{Method: method, Path: "/v1/document-types", Body: body, Header: h})
	}
	expect(t, bank("GET", "", nil), 401, "bank read without credentials")
	expect(t, bank("PUT", `{"version":0,"items":[]}`, nil), 401, "bank edit without credentials")
	r = bank("GET", "", cookie)
	expect(t, r, 200, "bank reads the types")
	if r.Body["version"] != float64(0) || ids(typesOf(t, r)) != "1,2,3,4,5,6,7,8" {
		t.Fatalf("bank types: %v", r.Body)
	}

	edited := appdocs.Default()
	edited[0].Name = "Устав (последняя редакция)"
	edited[0].OrderNum = 95 // after the others agents see, before type 8 (100)
	edited[6].Deleted = true
	edited[7].LKA = true
	edited[7].AllowFileTypeLKK = " PDF , jpg "
	body := func(version int, ts []appdocs.DocumentType) string {
		b, _ := json.Marshal(map[string]any{"version": version, "items": ts})
		return string(b)
	}
	r = bank("PUT", body(0, edited), cookie)
	expect(t, r, 200, "bank saves the types")
	if r.Body["version"] != float64(1) || r.S("updatedBy") == "" || typesOf(t, r)[7].AllowFileTypeLKK != "pdf,jpg" {
		t.Fatalf("saved: %v", r.Body)
	}
	r = c.Call("GET", "/v1/document-types", "", tok)
	if got := ids(typesOf(t, r)); got != "2,3,4,5,6,1,8" || typesOf(t, r)[5].Name != "Устав (последняя редакция)" {
		t.Fatalf("agent types after the edit %s: %v", got, r.Body)
	}

	expect(t, bank("PUT", body(0, appdocs.Default()), cookie), 409, "stale version")
	for what, b := range map[string]string{
		"duplicate id":      body(1, append(appdocs.Default(), appdocs.Default()[0])),
		"unknown extension": strings.Replace(body(1, appdocs.Default()), `"allowFileTypeLkk":"pdf,jpeg`, `"allowFileTypeLkk":"exe,jpeg`, 1),
		"no items":          body(1, nil),
		"no version":        `{"items":[]}`,
		"unknown field":     `{"version":1,"items":[],"extra":1}`,
		"negative version":  body(-1, appdocs.Default()),
	} {
		expect(t, bank("PUT", b, cookie), 400, what)
	}
	expect(t, bank("PUT", body(1, appdocs.Default()), cookie), 200, "current version")
	if r = bank("GET", "", cookie); r.Body["version"] != float64(2) {
		t.Fatalf("after the invalid bodies: %v", r.Body)
	}
}

// multipartBody is a form with the file in field, and its content type.
func multipartBody(field, fileName string, content []byte) (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("comment", "ignored")
	fw, _ := mw.CreateFormFile(field, fileName)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return b.String(), mw.FormDataContentType()
}

// Seed 004's uploadSysFile: a multipart upload of at most 4 MiB answered with the seed's
// document object; the same rules as the presigned upload; larger bodies get a 413 pointing
// at the presigned upload, whether they announce their length or not.
func TestDirectUpload(t *testing.T) {
	resetTypes(t)
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	r := c.Call("POST", "/v1/applications", application(1), tok)
	expect(t, r, 201, "create an application")
	appID := r.S("id")
	send := func(path, field, name string, content []byte, token string) testenv.Reply {
		body, ct := multipartBody(field, name, content)
		return c.Do(testenv.Request{Method: "POST", Path: path, Body: body, Token: token, Header: map[string]string{"Content-Type": ct}})
	}
	path := "/v1/applications/" + appID + "/binary/3/LEGAL_ENTITY"

	before := time.Now().Add(-time.Second)
	r = send(path, "upFile", "Паспорт директора.pdf", pdfFile, tok)
	expect(t, r, 200, "direct upload")
	dt := r.Body["documentType"].(map[string]any)
	id := dt["id"].(map[string]any)
	if r.S("name") != "Паспорт директора.pdf" || r.S("mimetype") != "application/pdf" || r.Body["size"] != float64(1) ||
		id["id"] != float64(3) || id["type"] != "LEGAL_ENTITY" || dt["name"] != "Паспорт руководителя" || dt["fileCount"] != float64(2) ||
		dt["maxFileSize"] != float64(10) || dt["lka"] != true || dt["subType"] != "LKK_APP_CLIENT" {
		t.Fatalf("seed answer: %v", r.Body)
	}
	created, err := time.ParseInLocation("2006-01-02T15:04:05.000", r.S("createDate"), time.FixedZone("MSK", 3*3600))
	if err != nil || created.Before(before) || created.After(time.Now().Add(time.Second)) {
		t.Fatalf("createDate %q: %v", r.S("createDate"), err)
	}
	docID := r.S("id")
	docs := "/v1/applications/" + appID + "/documents"
	r = c.Call("GET", docs, "", tok)
	items := r.Body["items"].([]any)
	if len(items) != 1 || str(items[0].(map[string]any), "id") != docID || str(items[0].(map[string]any), "status") != "uploaded" {
		t.Fatalf("listed: %v", r.Body)
	}
	r = c.Call("GET", docs+"/"+docID+"/download", "", tok)
	expect(t, r, 200, "download link")
	if got, _ := fetch(t, r.S("url")); !bytes.Equal(got, pdfFile) {
		t.Fatalf("downloaded %q", got)
	}

	// Through Lambda: API Gateway passes multipart/form-data (a binary media type of the API)
	// base64-encoded; the proxy decodes it.
	h, err := launch.APIHandler(context.Background(), wire.Routes(), "appdocs/binary-upload")
	if err != nil {
		t.Fatal(err)
	}
	mp, mpType := multipartBody("upFile", "Паспорт (оборот).pdf", pdfFile)
	resp, err := h(context.Background(), events.APIGatewayProxyRequest{
		Resource: "/v1/applications/{applicationId}/binary/{doctype}/{docle}", Path: path, HTTPMethod: "POST",
		Headers:        map[string]string{"Content-Type": mpType, "Authorization": "Bearer " + tok},
		PathParameters: map[string]string{"applicationId": appID, "doctype": "3", "docle": "LEGAL_ENTITY"},
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "req-binary-1", Stage: "dev",
			Identity: events.APIGatewayRequestIdentity{SourceIP: testenv.UniqueIP()}},
		Body: base64.StdEncoding.EncodeToString([]byte(mp)), IsBase64Encoded: true,
	})
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Body, `"name":"Паспорт (оборот).pdf"`) {
		t.Fatalf("through Lambda: %v %d %s", err, resp.StatusCode, resp.Body)
	}

	// Refusals.
	expect(t, send(path, "upFile", "Паспорт.pdf", pngFile, tok), 422, "a PNG named .pdf")
	expect(t, send(path, "upFile", "Паспорт.docx", pdfFile, tok), 400, "an extension the type refuses")
	expect(t, send(path, "file", "Паспорт.pdf", pdfFile, tok), 400, "no upFile field")
	expect(t, send("/v1/applications/"+appID+"/binary/3/INDIVIDUAL_ENTREPRENEUR", "upFile", "Паспорт.pdf", pdfFile, tok), 404, "docle of another legal type")
	expect(t, send("/v1/applications/"+appID+"/binary/abc/LEGAL_ENTITY", "upFile", "Паспорт.pdf", pdfFile, tok), 404, "doctype not a number")
	expect(t, send("/v1/applications/"+appID+"/binary/8/LEGAL_ENTITY", "upFile", "Договор.pdf", pdfFile, tok), 404, "a type agents may not upload")
	expect(t, c.Call("POST", path, `{"file":"JVBERi0="}`, tok), 406, "JSON instead of multipart")
	expect(t, send(path, "upFile", "Паспорт-3.pdf", pdfFile, tok), 409, "a third file of a two-file type")
	expect(t, send(path, "upFile", "Паспорт.pdf", pdfFile, c.Ready().Token()), 404, "another organisation")

	// Over 4 MiB: refused before it is read (Content-Length) and while it is read (chunked).
	huge := append(append([]byte{}, pdfFile...), bytes.Repeat([]byte{' '}, appdocs.MaxDirectUpload)...)
	r = send("/v1/applications/"+appID+"/binary/7/LEGAL_ENTITY", "upFile", "Большой.pdf", huge, tok)
	expect(t, r, 413, "a body over 4 MiB")
	if !strings.Contains(r.Message(), "/documents") {
		t.Fatalf("the 413 does not point at the presigned upload: %v", r.Body)
	}
	body, ct := multipartBody("upFile", "Большой.pdf", huge)
	req, _ := http.NewRequest("POST", c.URL+"/v1/applications/"+appID+"/binary/7/LEGAL_ENTITY", io.MultiReader(strings.NewReader(body)))
	req.ContentLength = -1 // chunked
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	hr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(hr.Body)
	hr.Body.Close()
	if hr.StatusCode != 413 || !strings.Contains(string(msg), "/documents") {
		t.Fatalf("chunked body over 4 MiB: %d %s", hr.StatusCode, msg)
	}

	// Submitted: no more direct uploads.
	expect(t, c.Call("POST", "/v1/applications/"+appID+"/submit", "", tok), 200, "submit")
	expect(t, send("/v1/applications/"+appID+"/binary/7/LEGAL_ENTITY", "upFile", "Ещё.pdf", pdfFile, tok), 409, "upload to a submitted application")
}

// The bank's operations (issue 5's back office): any application, any status, the bank's own
// types and extensions.
func TestBankOperations(t *testing.T) {
	svc := resetTypes(t)
	ctx := context.Background()
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	r := c.Call("POST", "/v1/applications", application(0), tok)
	expect(t, r, 201, "create an application")
	appID := r.S("id")
	body, ct := multipartBody("upFile", "Устав.pdf", pdfFile)
	r = c.Do(testenv.Request{Method: "POST", Path: "/v1/applications/" + appID + "/binary/1/LEGAL_ENTITY", Body: body, Token: tok, Header: map[string]string{"Content-Type": ct}})
	expect(t, r, 200, "the agent uploads")
	expect(t, c.Call("POST", "/v1/applications/"+appID+"/submit", "", tok), 200, "submit")

	docs, err := svc.BankList(ctx, appID)
	if err != nil || len(docs) != 1 || docs[0].OrgID != boss.OrgID || docs[0].ByBank {
		t.Fatalf("bank list: %+v %v", docs, err)
	}
	dl, err := svc.BankDownload(ctx, appID, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := fetch(t, dl.URL); !bytes.Equal(got, pdfFile) {
		t.Fatalf("bank download %q", got)
	}

	// The bank attaches the signed contract (a type agents cannot upload) to a submitted
	// application.
	d, up, err := svc.BankCreate(ctx, "bank-user-1", appID, appdocs.NewDocument{TypeID: 8, FileName: "Договор.pdf", Size: int64(len(pdfFile))})
	if err != nil {
		t.Fatal(err)
	}
	upload(t, testenv.Reply{Body: map[string]any{"upload": map[string]any{"url": up.URL, "fields": anyMap(up.Fields)}}}, "Договор.pdf", pdfFile)
	if d, err = svc.BankConfirm(ctx, "bank-user-1", appID, d.ID); err != nil || d.Status != appdocs.StatusUploaded || !d.ByBank || d.UploadedBy != "bank-user-1" {
		t.Fatalf("bank confirm: %+v %v", d, err)
	}
	r = c.Call("GET", "/v1/applications/"+appID+"/documents", "", tok)
	if items := r.Body["items"].([]any); len(items) != 2 || items[1].(map[string]any)["byBank"] != true {
		t.Fatalf("the agent sees: %v", r.Body)
	}
	if _, err := svc.BankList(ctx, "01KAXR2B9C8D7E6F5G4H3J2K1M"); err == nil {
		t.Fatal("bank list of an unknown application")
	}
	if err := svc.BankDelete(ctx, appID, d.ID); err != nil {
		t.Fatal(err)
	}
	if docs, _ := svc.BankList(ctx, appID); len(docs) != 1 {
		t.Fatalf("after the bank's delete: %+v", docs)
	}
}

func anyMap(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
