package catalogue_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// invite has the user behind token invite someone of role, who then logs in with the temporary
// password from the SMS and sets its own; it returns the new user's access token and id.
func invite(t *testing.T, c *testflows.Client, token, role, name string) (string, string) {
	t.Helper()
	m := c.Invite(token, role, "", name)
	return m.Token, m.ID
}

func ids(r testenv.Reply) []string {
	items, _ := r.Body["items"].([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["id"]))
		}
	}
	return out
}

// The agent cabinet's main path (issue 4, A2, A5–A8, A13–A17): an agent organisation's head
// invites a user; the user picks the company from the suggestions, creates the application,
// uploads a document straight to S3 through a presigned POST, submits and reads the history;
// the head sees the application and its document; another agent organisation sees nothing.
func TestAgentScenario(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	super := c.Ready()
	headToken, _ := invite(t, c, super.Token(), "head", "Руководитель Агентства")
	userToken, userID := invite(t, c, headToken, "user", "Агент Иванов")

	// A5: suggestions by name; picking one gives the requisites by INN.
	r := c.Call("GET", "/v1/company-suggestions?q="+url.QueryEscape("ромашка")+"&count=5", "", userToken)
	testflows.Expect(t, r, 200, "suggestions")
	items, _ := r.Body["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("no suggestions: %v", r.Body)
	}
	picked := items[0].(map[string]any)
	r = c.Call("GET", "/v1/company-suggestions/"+picked["inn"].(string)+"?kpp="+picked["kpp"].(string), "", userToken)
	testflows.Expect(t, r, 200, "the picked company")
	co := r.Body["items"].([]any)[0].(map[string]any)
	body, _ := json.Marshal(map[string]any{
		"company": map[string]any{"inn": co["inn"], "kpp": co["kpp"], "ogrn": co["ogrn"], "okpo": co["okpo"],
			"shortName": co["shortName"], "fullName": co["fullName"], "regAddress": co["address"], "okved": []any{co["okved"]}},
		"contact": map[string]any{"fullName": "Сидоров Сидор Сидорович", "phone": "+79161112233", "email": "sidorov@example.ru"},
		"office":  map[string]any{"city": "Москва", "office": "Центральный офис"},
	})
	r = c.Call("POST", "/v1/applications", string(body), userToken)
	testflows.Expect(t, r, 201, "create the application")
	app := r.S("id")
	if r.Body["company"].(map[string]any)["inn"] != picked["inn"] {
		t.Fatalf("the suggestion did not fill the INN: %v", r.Body["company"])
	}

	// A document: a type for agents, a presigned POST straight to S3, confirm.
	r = c.Call("GET", "/v1/document-types", "", userToken)
	testflows.Expect(t, r, 200, "document types")
	types, _ := r.Body["items"].([]any)
	if len(types) == 0 {
		t.Fatalf("no document types: %v", r.Body)
	}
	typeID := types[0].(map[string]any)["id"]
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	r = c.Call("POST", "/v1/applications/"+app+"/documents",
		fmt.Sprintf(`{"typeId":%v,"fileName":"Устав.pdf","size":%d,"contentType":"application/pdf"}`, typeID, len(pdf)), userToken)
	testflows.Expect(t, r, 201, "ask for an upload")
	doc := r.Body["document"].(map[string]any)["id"].(string)
	up := r.Body["upload"].(map[string]any)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for k, v := range up["fields"].(map[string]any) {
		_ = mw.WriteField(k, v.(string))
	}
	fw, _ := mw.CreateFormFile("file", "Устав.pdf")
	_, _ = fw.Write(pdf)
	_ = mw.Close()
	resp, err := http.Post(up["url"].(string), mw.FormDataContentType(), &form)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("presigned POST to S3: %d %s", resp.StatusCode, msg)
	}
	r = c.Call("POST", "/v1/applications/"+app+"/documents/"+doc+"/confirm", "", userToken)
	testflows.Expect(t, r, 200, "confirm the upload")

	// Submit (A5) and the history (A6).
	r = c.Call("POST", "/v1/applications/"+app+"/submit", "", userToken)
	testflows.Expect(t, r, 200, "submit")
	r = c.Call("GET", "/v1/applications/"+app+"/history", "", userToken)
	testflows.Expect(t, r, 200, "history")
	var steps []string
	for _, it := range r.Body["items"].([]any) {
		e := it.(map[string]any)
		steps = append(steps, fmt.Sprintf("%v→%v by %v", e["from"], e["to"], e["by"]))
	}
	if want := []string{"→draft by " + userID, "draft→submitted by " + userID}; !slices.Equal(steps, want) {
		t.Fatalf("history %q, want %q", steps, want)
	}

	// The head sees the user's application and its document (A17), and can download it.
	r = c.Call("GET", "/v1/applications", "", headToken)
	testflows.Expect(t, r, 200, "the head's list")
	if !slices.Contains(ids(r), app) {
		t.Fatalf("the head does not see the application: %v", ids(r))
	}
	r = c.Call("GET", "/v1/applications/"+app+"/documents", "", headToken)
	testflows.Expect(t, r, 200, "the head lists the documents")
	if got := ids(r); !slices.Equal(got, []string{doc}) {
		t.Fatalf("documents %v, want [%s]", got, doc)
	}
	r = c.Call("GET", "/v1/applications/"+app+"/documents/"+doc+"/download", "", headToken)
	testflows.Expect(t, r, 200, "the head's download link")
	resp, err = http.Get(r.S("url"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, pdf) {
		t.Fatalf("downloaded %d bytes, not the uploaded file", len(got))
	}

	// Another agent organisation: not in its list, and every path to it is a 404.
	other := c.Ready()
	r = c.Call("GET", "/v1/applications", "", other.Token())
	testflows.Expect(t, r, 200, "the other organisation's list")
	if slices.Contains(ids(r), app) {
		t.Fatal("another organisation lists the application")
	}
	for _, path := range []string{"/v1/applications/" + app, "/v1/applications/" + app + "/history",
		"/v1/applications/" + app + "/documents", "/v1/applications/" + app + "/documents/" + doc + "/download"} {
		r := c.Call("GET", path, "", other.Token())
		testflows.Expect(t, r, 404, "another organisation: "+path)
		if strings.Contains(fmt.Sprint(r.Body), co["inn"].(string)) {
			t.Fatalf("%s leaks the company: %v", path, r.Body)
		}
	}
}
