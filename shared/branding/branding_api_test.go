package branding_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/branding"
	"github.com/kabinet/kabinet/shared/branding/brandingdb"
	"github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// bank serves the back office's login and role routes with the branding routes, on a bank
// whose administrator (holding every role) is logged in.
type bank struct {
	*testenv.API
	t      *testing.T
	key    string
	cookie map[string]string
}

func newBank(t *testing.T) *bank {
	t.Helper()
	env := testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := &bank{API: testenv.NewAPI(t, auth, append(bowire.Routes(), wire.Routes()...)), t: t, key: env.Params["BackofficeApiKey"]}
	if _, err := bowire.Bootstrap(context.Background(), "branding-admin", "Branding-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	r := b.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: url.Values{"username": {"branding-admin"}, "password": {"Branding-Admin-2026"}}.Encode(),
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	if r.Status != 200 {
		t.Fatalf("login: %d %v", r.Status, r.Body)
	}
	b.cookie = map[string]string{"Cookie": strings.Split(r.Header.Get("Set-Cookie"), ";")[0]}
	// Start from the defaults.
	for _, k := range []dynamo.Item{brandingdb.SettingsKey(), brandingdb.ImageKey(branding.LoginLogo), brandingdb.ImageKey(branding.SystemLogo), brandingdb.ImageKey(branding.Favicon)} {
		if _, err := env.DynamoDB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: k}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// raw is one request whose answer may be binary.
type raw struct {
	status int
	header http.Header
	body   []byte
}

func (b *bank) raw(method, path string, body []byte, h map[string]string) raw {
	b.t.Helper()
	req, err := http.NewRequest(method, b.URL+path, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("X-Test-Ip", testenv.UniqueIP())
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return raw{status: resp.StatusCode, header: resp.Header, body: out}
}

func (b *bank) expect(r raw, status int, what string) {
	b.t.Helper()
	if r.status != status {
		b.t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.body)
	}
}

func (b *bank) jsonOf(r raw) map[string]any {
	b.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		b.t.Fatalf("not JSON: %s", r.body)
	}
	return m
}

func errorCode(b *bank, r raw) string {
	e, _ := b.jsonOf(r)["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func with(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

var pngBytes = func() []byte {
	_, b := branding.Default(branding.Favicon) // a real PNG
	return b
}()

// Issue 5 (seed 004 "UI"): the login page's logo and favicon need no login and come with
// their type, a strong ETag (304 on a match) and a sandboxing CSP; the top menu's logo needs
// a bank user. An administrator uploads a logo (PNG, JPEG, ICO or SVG sniffed from the bytes),
// which is served at once; wrong bytes 400, a lying Content-Type 400, a script in an SVG 400,
// too large 413, an unknown logo 404, another role 403, an API key without User-LKB 403, and
// no credentials 401.
func TestLogos(t *testing.T) {
	b := newBank(t)

	r := b.raw("GET", "/api/logo/login", nil, nil)
	b.expect(r, 200, "default login logo without credentials")
	def, defBytes := branding.Default(branding.LoginLogo)
	if r.header.Get("Content-Type") != "image/svg+xml" || !bytes.Equal(r.body, defBytes) || r.header.Get("ETag") != def.ETag ||
		!strings.Contains(r.header.Get("Content-Security-Policy"), "sandbox") || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("default login logo: %v %q", r.header, r.body)
	}
	b.expect(b.raw("GET", "/api/logo/login", nil, map[string]string{"If-None-Match": def.ETag}), 304, "unchanged logo")
	r = b.raw("GET", "/api/logo/favicon", nil, nil)
	b.expect(r, 200, "favicon without credentials")
	if r.header.Get("Content-Type") != "image/png" || !bytes.Equal(r.body, pngBytes) {
		t.Fatalf("favicon: %v", r.header)
	}
	b.expect(b.raw("GET", "/api/logo/system", nil, nil), 401, "menu logo without credentials")
	r = b.raw("GET", "/api/logo/system", nil, map[string]string{"X-Authorization": b.key})
	b.expect(r, 200, "menu logo with the API key")
	if r.header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("menu logo: %v", r.header)
	}

	put := func(logo string, body []byte, h map[string]string) raw {
		return b.raw("PUT", "/v1/ui-settings/logos/"+logo, body, h)
	}
	b.expect(put("login", pngBytes, map[string]string{"Content-Type": "image/png"}), 401, "upload without credentials")
	r = put("login", pngBytes, map[string]string{"Content-Type": "image/png", "X-Authorization": b.key})
	b.expect(r, 403, "upload with the API key but no User-LKB")

	// Another active role may not upload.
	b.expect(b.raw("POST", "/api/user/role/2", nil, b.cookie), 200, "switch to the operator role")
	b.expect(put("login", pngBytes, with(b.cookie, "Content-Type", "image/png")), 403, "upload as an operator")
	b.expect(b.raw("POST", "/api/user/role/1", nil, b.cookie), 200, "back to the administrator role")

	r = put("login", pngBytes, with(b.cookie, "Content-Type", "image/png"))
	b.expect(r, 200, "upload a PNG")
	up := b.jsonOf(r)
	if up["contentType"] != "image/png" || up["size"] != float64(len(pngBytes)) || up["updatedBy"] == "" || up["etag"] == def.ETag {
		t.Fatalf("uploaded: %v", up)
	}
	r = b.raw("GET", "/api/logo/login", nil, map[string]string{"If-None-Match": def.ETag})
	b.expect(r, 200, "the old ETag no longer matches")
	if r.header.Get("Content-Type") != "image/png" || !bytes.Equal(r.body, pngBytes) || r.header.Get("ETag") != up["etag"] {
		t.Fatalf("new login logo: %v", r.header)
	}
	b.expect(b.raw("GET", "/api/logo/login", nil, map[string]string{"If-None-Match": up["etag"].(string)}), 304, "the new ETag matches")

	// An SVG with no Content-Type, through the API key acting for the administrator.
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#123456"/></svg>`)
	admin := b.jsonOf(b.raw("GET", "/api/user/info/", nil, b.cookie))["userId"].(string)
	r = put("system", svg, map[string]string{"X-Authorization": b.key, "User-LKB": admin})
	b.expect(r, 200, "upload an SVG for the menu")
	r = b.raw("GET", "/api/logo/system", nil, b.cookie)
	if r.header.Get("Content-Type") != "image/svg+xml" || !bytes.Equal(r.body, svg) {
		t.Fatalf("menu logo after upload: %v %s", r.header, r.body)
	}
	ico := append([]byte{0, 0, 1, 0, 1, 0}, make([]byte, 40)...)
	b.expect(put("favicon", ico, with(b.cookie, "Content-Type", "image/vnd.microsoft.icon")), 200, "upload an ICO favicon")
	if r = b.raw("GET", "/api/logo/favicon", nil, nil); r.header.Get("Content-Type") != "image/x-icon" || !bytes.Equal(r.body, ico) {
		t.Fatalf("favicon after upload: %v", r.header)
	}

	for what, c := range map[string]struct {
		logo, contentType string
		body              []byte
		status            int
	}{
		"not an image":          {"login", "image/png", []byte("hello, world"), 400},
		"lying Content-Type":    {"login", "image/svg+xml", pngBytes, 400},
		"script in an SVG":      {"login", "image/svg+xml", []byte(`<svg><script>alert(1)</script></svg>`), 400},
		"empty body":            {"login", "image/png", nil, 400},
		"too large":             {"login", "image/png", append(append([]byte{}, pngBytes...), make([]byte, branding.MaxImageBytes)...), 413},
		"unknown logo":          {"banner", "image/png", pngBytes, 404},
		"unreadable media type": {"login", "image/", pngBytes, 400},
	} {
		r := put(c.logo, c.body, with(b.cookie, "Content-Type", c.contentType))
		b.expect(r, c.status, what)
		if errorCode(b, r) == "" {
			t.Fatalf("%s: not a JSON error: %s", what, r.body)
		}
	}
	// The failed uploads changed nothing.
	if r = b.raw("GET", "/api/logo/login", nil, nil); !bytes.Equal(r.body, pngBytes) {
		t.Fatal("a refused upload changed the logo")
	}
}

// Issue 5: the colours need no login; an administrator reads the settings with their version
// and saves them (colours, login-page texts); a stale version is a 409, bad colours a 400
// naming the field, another role a 403.
func TestSettings(t *testing.T) {
	b := newBank(t)

	r := b.raw("GET", "/api/system/color", nil, nil)
	b.expect(r, 200, "colours without credentials")
	var colors []branding.Color
	if err := json.Unmarshal(r.body, &colors); err != nil || len(colors) != len(branding.DefaultSettings().Colors) || colors[0] != branding.DefaultSettings().Colors[0] {
		t.Fatalf("default colours: %s", r.body)
	}

	b.expect(b.raw("GET", "/v1/ui-settings", nil, nil), 401, "settings without credentials")
	r = b.raw("GET", "/v1/ui-settings", nil, map[string]string{"X-Authorization": b.key})
	b.expect(r, 200, "settings with the API key")
	got := b.jsonOf(r)
	if got["version"] != float64(0) || got["bankName"] != branding.DefaultSettings().BankName || len(got["logos"].([]any)) != 3 {
		t.Fatalf("default settings: %v", got)
	}
	if l := got["logos"].([]any)[0].(map[string]any); l["logo"] != "login" || l["default"] != true || l["path"] != "/api/logo/login" {
		t.Fatalf("logos: %v", got["logos"])
	}

	body := func(version int, color string) []byte {
		return []byte(`{"version":` + string(rune('0'+version)) + `,"colors":[{"name":"primary","value":"` + color + `"},{"name":"menuText","value":"#fff"}],` +
			`"bankName":"АО «Тестовый банк»","supportPhone":"8 800 100-00-00","supportEmail":"support@bank.example"}`)
	}
	jsonH := with(b.cookie, "Content-Type", "application/json")
	b.expect(b.raw("PUT", "/v1/ui-settings", body(0, "#AA0000"), map[string]string{"Content-Type": "application/json"}), 401, "save without credentials")
	b.expect(b.raw("POST", "/api/user/role/3", nil, b.cookie), 200, "switch to the signer role")
	b.expect(b.raw("PUT", "/v1/ui-settings", body(0, "#AA0000"), jsonH), 403, "save as a signer")
	b.expect(b.raw("POST", "/api/user/role/1", nil, b.cookie), 200, "back to the administrator role")

	r = b.raw("PUT", "/v1/ui-settings", body(0, "#AA0000"), jsonH)
	b.expect(r, 200, "save")
	if s := b.jsonOf(r); s["version"] != float64(1) || s["bankName"] != "АО «Тестовый банк»" || s["updatedBy"] == "" {
		t.Fatalf("saved: %v", s)
	}
	r = b.raw("GET", "/api/system/color", nil, nil)
	if err := json.Unmarshal(r.body, &colors); err != nil || len(colors) != 2 || colors[0] != (branding.Color{Name: "primary", Value: "#AA0000"}) {
		t.Fatalf("saved colours: %s", r.body)
	}

	r = b.raw("PUT", "/v1/ui-settings", body(0, "#00AA00"), jsonH)
	b.expect(r, 409, "stale version")
	b.expect(b.raw("PUT", "/v1/ui-settings", body(1, "#00AA00"), jsonH), 200, "current version")

	r = b.raw("PUT", "/v1/ui-settings", body(2, "green"), jsonH)
	b.expect(r, 400, "a colour that is not hex")
	if f, _ := b.jsonOf(r)["error"].(map[string]any)["fields"].(map[string]any); f["colors[0].value"] == nil {
		t.Fatalf("field error: %s", r.body)
	}
	b.expect(b.raw("PUT", "/v1/ui-settings", []byte(`{"colors":[{"name":"a","value":"#000"}],"bankName":"Б"}`), jsonH), 400, "no version")
	b.expect(b.raw("PUT", "/v1/ui-settings", body(2, "#000"), with(b.cookie, "Content-Type", "text/plain")), 406, "not JSON")
}

// Through API Gateway: the function answers an image base64-encoded (API Gateway turns it
// back into bytes, the API's BinaryMediaTypes being */*) and takes an upload that API Gateway
// hands over base64-encoded.
func TestImagesThroughTheLambdaProxy(t *testing.T) {
	b := newBank(t)
	ctx := context.Background()
	event := func(method, path, resource string, params map[string]string, h map[string]string, body []byte) events.APIGatewayProxyRequest {
		ev := events.APIGatewayProxyRequest{HTTPMethod: method, Path: path, Resource: resource, PathParameters: params,
			Headers: map[string]string{"Accept": "image/*"}, MultiValueHeaders: map[string][]string{"Accept": {"image/*"}},
			RequestContext: events.APIGatewayProxyRequestContext{Stage: "dev", RequestID: "req-1", HTTPMethod: method, ResourcePath: resource,
				Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.7"}}}
		for k, v := range h {
			ev.Headers[k] = v
			ev.MultiValueHeaders[k] = []string{v}
		}
		if body != nil {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
		return ev
	}

	upload, err := launch.APIHandler(ctx, catalogue.Routes(), "branding/logo-update")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := upload(ctx, event("PUT", "/v1/ui-settings/logos/favicon", "/v1/ui-settings/logos/{logo}", map[string]string{"logo": "favicon"},
		with(b.cookie, "Content-Type", "image/png"), pngBytes))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload through the proxy: %v %d %s", err, resp.StatusCode, resp.Body)
	}

	get, err := launch.APIHandler(ctx, catalogue.Routes(), "branding/logo-favicon")
	if err != nil {
		t.Fatal(err)
	}
	resp, err = get(ctx, event("GET", "/api/logo/favicon", "/api/logo/favicon", nil, nil, nil))
	if err != nil || resp.StatusCode != 200 || !resp.IsBase64Encoded {
		t.Fatalf("favicon through the proxy: %v %d base64=%v", err, resp.StatusCode, resp.IsBase64Encoded)
	}
	if got, err := base64.StdEncoding.DecodeString(resp.Body); err != nil || !bytes.Equal(got, pngBytes) {
		t.Fatalf("favicon bytes through the proxy: %v", err)
	}
}
