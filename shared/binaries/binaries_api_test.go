package binaries_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/binaries"
	objects "github.com/kabinet/kabinet/shared/binaries/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var (
	pdfFile = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
	pngFile = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'}
	csvFile = []byte("ИНН;Сумма\r\n7707083893;1234,56\r\n")
)

var want = testflows.ExpectRaw

// form is a multipart body with the file in field, declared with contentType when not "".
func form(field, name, contentType string, content []byte) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, name))
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h.Set("Content-Type", contentType)
	fw, _ := mw.CreatePart(h)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

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

// headers: the administrator ("user"), the key alone ("system") or no credentials ("").
func (b *bank) headers(as string) map[string]string {
	switch as {
	case "user":
		return map[string]string{"X-Authorization": b.key, "User-LKB": b.user}
	case "system":
		return map[string]string{"X-Authorization": b.key}
	}
	return nil
}

func (b *bank) do(as, method, path, ct string, body []byte, extra map[string]string) testenv.RawReply {
	b.t.Helper()
	h := b.headers(as)
	if h == nil {
		h = map[string]string{}
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

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// E6, seed 004's generic binary objects: create, download, replace (same id, next version,
// If-Match), delete; every failure answers its status.
func TestBinaryObjects(t *testing.T) {
	bk := newBank(t)
	unknown := ulid.Make().String()

	// Create.
	ct, body := form("upFile", "Акт сверки.pdf", "application/pdf", pdfFile)
	want(t, bk.do("", "POST", "/api/binary/", ct, body, nil), 401, "create without credentials")
	want(t, bk.do("system", "POST", "/api/binary/", ct, body, nil), 403, "create without User-LKB")
	created := bk.do("user", "POST", "/api/binary/", ct, body, nil)
	want(t, created, 200, "create")
	var o map[string]any
	created.JSON(t, &o)
	id, _ := o["id"].(string)
	if _, err := ulid.ParseStrict(id); err != nil || o["name"] != "Акт сверки.pdf" || o["mimetype"] != "application/pdf" ||
		o["size"] != float64(len(pdfFile)) || o["sha256"] != sum(pdfFile) || o["version"] != float64(1) || o["createdBy"] != bk.user {
		t.Fatalf("created: %s", created.Body)
	}
	if created.Header.Get("ETag") != `"1"` {
		t.Fatalf("ETag %q", created.Header.Get("ETag"))
	}

	// Download: the same bytes, the file's name.
	dl := bk.do("system", "GET", "/api/binary/"+id, "", nil, nil)
	want(t, dl, 302, "download")
	if got := fetch(t, dl.Header.Get("Location")); !bytes.Equal(got, pdfFile) {
		t.Fatalf("downloaded %q", got)
	}
	want(t, bk.do("system", "GET", "/api/binary/"+unknown, "", nil, nil), 404, "download an unknown id")
	want(t, bk.do("", "GET", "/api/binary/"+id, "", nil, nil), 401, "download without credentials")

	// Refused files.
	bad := []struct {
		what, name, ctype string
		content           []byte
		status            int
	}{
		{"an executable", "setup.exe", "", []byte("MZ\x90\x00"), 400},
		{"a PDF named .png", "scan.png", "image/png", pdfFile, 422},
		{"binary named .txt", "note.txt", "text/plain", pngFile, 422},
		{"an empty file", "empty.pdf", "", nil, 400},
		{"a declared type of another file", "act.pdf", "image/png", pdfFile, 400},
	}
	for _, b := range bad {
		ct, body := form("upFile", b.name, b.ctype, b.content)
		want(t, bk.do("user", "POST", "/api/binary/", ct, body, nil), b.status, b.what)
	}
	ct2, body2 := form("file", "act.pdf", "", pdfFile)
	want(t, bk.do("user", "POST", "/api/binary/", ct2, body2, nil), 400, "no upFile field")
	want(t, bk.do("user", "POST", "/api/binary/", "application/json", []byte(`{"name":"a.pdf"}`), nil), 406, "not multipart")
	want(t, bk.do("user", "POST", "/api/binary/", "", nil, nil), 400, "no body")
	bigCT, big := form("upFile", "big.pdf", "", append(append([]byte{}, pdfFile...), bytes.Repeat([]byte{' '}, 5<<20)...))
	want(t, bk.do("user", "POST", "/api/binary/", bigCT, big, nil), 413, "more than 4 MiB")

	// Replace: same id, next version, the new file's name and type.
	ct, body = form("upFile", "реестр.csv", "text/csv", csvFile)
	path := "/api/binary/" + id
	want(t, bk.do("system", "PATCH", path, ct, body, nil), 403, "replace without User-LKB")
	want(t, bk.do("user", "PATCH", "/api/binary/"+unknown, ct, body, nil), 404, "replace an unknown id")
	want(t, bk.do("user", "PATCH", path, ct, body, map[string]string{"If-Match": `"7"`}), 409, "replace a version not read")
	want(t, bk.do("user", "PATCH", path, ct, body, map[string]string{"If-Match": "seven"}), 400, "a malformed If-Match")
	up := bk.do("user", "PATCH", path, ct, body, map[string]string{"If-Match": `"1"`})
	want(t, up, 200, "replace")
	up.JSON(t, &o)
	if o["id"] != id || o["name"] != "реестр.csv" || o["mimetype"] != "text/csv" || o["version"] != float64(2) || o["sha256"] != sum(csvFile) {
		t.Fatalf("replaced: %s", up.Body)
	}
	want(t, bk.do("user", "PATCH", path, ct, body, map[string]string{"If-Match": `"1"`}), 409, "replace a stale version")
	dl = bk.do("system", "GET", path, "", nil, nil)
	want(t, dl, 302, "download the new version")
	if got := fetch(t, dl.Header.Get("Location")); !bytes.Equal(got, csvFile) {
		t.Fatalf("downloaded %q", got)
	}
	ct, body = form("upFile", "scan.png", "", pngFile)
	want(t, bk.do("user", "PATCH", path, ct, body, nil), 200, "replace without If-Match")

	// A signer reads but changes nothing.
	bk.role(3)
	want(t, bk.do("user", "POST", "/api/binary/", ct, body, nil), 403, "a signer creates")
	want(t, bk.do("user", "PATCH", path, ct, body, nil), 403, "a signer replaces")
	want(t, bk.do("user", "DELETE", path, "", nil, nil), 403, "a signer deletes")
	want(t, bk.do("user", "GET", path, "", nil, nil), 302, "a signer downloads")
	bk.role(4)
	want(t, bk.do("user", "POST", "/api/binary/", ct, body, nil), 200, "an executor creates")
	bk.role(1)

	// Delete.
	want(t, bk.do("system", "DELETE", path, "", nil, nil), 403, "delete without User-LKB")
	want(t, bk.do("user", "DELETE", "/api/binary/"+unknown, "", nil, nil), 404, "delete an unknown id")
	want(t, bk.do("user", "DELETE", "/api/binary/nope", "", nil, nil), 404, "delete a malformed id")
	want(t, bk.do("user", "DELETE", path, "", nil, nil), 200, "delete")
	want(t, bk.do("user", "DELETE", path, "", nil, nil), 404, "delete again")
	want(t, bk.do("system", "GET", path, "", nil, nil), 404, "download a deleted object")
	want(t, bk.do("user", "PATCH", path, ct, body, nil), 404, "replace a deleted object")
}

// The store's conditions, which the API reaches only when two requests race: a replace or a
// delete of a version that moved on is ErrStale, of an object that is gone ErrNotFound, and an
// attached object is never deleted.
func TestStoreConditions(t *testing.T) {
	testenv.Get(t)
	ctx := context.Background()
	svc, err := objects.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.CreateAttached(ctx, "u1", "act:x", "act.pdf", "", pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	next := o
	next.Version = 2
	if err := svc.Store.Replace(ctx, next); err != nil {
		t.Fatalf("replace version 1: %v", err)
	}
	if err := svc.Store.Replace(ctx, next); !errors.Is(err, binaries.ErrStale) {
		t.Fatalf("replace version 1 again: %v, want ErrStale", err)
	}
	if err := svc.Store.Delete(ctx, o.ID, 2); !errors.Is(err, binaries.ErrStale) {
		t.Fatalf("delete an attached object: %v, want ErrStale", err)
	}
	gone := next
	gone.ID = ulid.Make().String()
	if err := svc.Store.Replace(ctx, gone); !errors.Is(err, binaries.ErrNotFound) {
		t.Fatalf("replace a missing object: %v, want ErrNotFound", err)
	}
	if err := svc.Store.Delete(ctx, gone.ID, 2); !errors.Is(err, binaries.ErrNotFound) {
		t.Fatalf("delete a missing object: %v, want ErrNotFound", err)
	}
	free, err := svc.Create(ctx, "u1", "note.txt", "", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Store.Delete(ctx, free.ID, 2); !errors.Is(err, binaries.ErrStale) {
		t.Fatalf("delete a version not stored: %v, want ErrStale", err)
	}
	if err := svc.Store.Delete(ctx, free.ID, 1); err != nil {
		t.Fatalf("delete: %v", err)
	}
}
