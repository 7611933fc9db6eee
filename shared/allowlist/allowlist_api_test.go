package allowlist_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/apikeys/partnersign"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var expect = testflows.Expect

const denied = "Доступ запрещен"

func items(r testenv.Reply) []map[string]any {
	raw, _ := r.Body["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func addresses(r testenv.Reply) []string {
	var out []string
	for _, it := range items(r) {
		out = append(out, it["address"].(string))
	}
	return out
}

// add puts an entry on the list and returns its id.
func add(t *testing.T, c *testflows.Client, token, address, comment string) string {
	t.Helper()
	r := c.Call("POST", "/v1/ip-allowlist", fmt.Sprintf(`{"address":%q,"comment":%q}`, address, comment), token)
	expect(t, r, 201, "add "+address)
	return r.S("id")
}

func search(t *testing.T, c *testflows.Client, token, q string) []string {
	t.Helper()
	r := c.Call("GET", "/v1/ip-allowlist?q="+url.QueryEscape(q), "", token)
	expect(t, r, 200, "search "+q)
	return addresses(r)
}

// audit returns "action detail" of the organisation's audit entries about target.
func audit(t *testing.T, c *testflows.Client, token, target string) []string {
	t.Helper()
	r := c.Call("GET", "/v1/audit?limit=200", "", token)
	expect(t, r, 200, "audit")
	var out []string
	for _, it := range items(r) {
		if it["target"] == target {
			out = append(out, fmt.Sprint(it["action"], " ", it["detail"]))
		}
	}
	return out
}

var tempRe = regexp.MustCompile(`временный пароль: (\S+)\.`)

// invitee invites a plain user into the boss's organisation and returns its token.
func invitee(t *testing.T, c *testflows.Client, token string) string {
	t.Helper()
	phone := testenv.UniquePhone()
	r := c.Call("POST", "/v1/users", fmt.Sprintf(`{"fullName":"Пользователь Пётр","email":"petr@example.ru","phone":%q,"role":"user"}`, phone), token)
	expect(t, r, 201, "invite")
	c.DeliverSMS()
	msgs := c.Env.SMS.Messages(phone)
	temp := tempRe.FindStringSubmatch(msgs[len(msgs)-1].Text)[1]
	login := c.Login(phone, temp)
	expect(t, login, 200, "invitee logs in")
	return c.ChangePassword(phone, login.S("accessToken"), testflows.NewPassword).S("accessToken")
}

// D6: add (normalised), list newest first, search by address prefix, comment, or an address
// an entry's network holds; duplicates 409, garbage 400, delete 204 then 404; audited;
// another organisation sees nothing and deletes nothing; plain users only see their address.
func TestManageList(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()

	r := c.Call("GET", "/v1/ip-allowlist", "", tok)
	expect(t, r, 200, "empty list")
	if len(items(r)) != 0 {
		t.Fatalf("a new organisation's list is not empty: %v", r.Body)
	}

	r = c.Call("POST", "/v1/ip-allowlist", `{"address":" 203.0.113.77/24 ","comment":"  Офис   на Тверской "}`, tok)
	expect(t, r, 201, "add a network")
	if r.S("address") != "203.0.113.0/24" || r.S("comment") != "Офис на Тверской" || r.S("createdBy") != boss.UserID || r.S("createdAt") == "" {
		t.Fatalf("added: %v", r.Body)
	}
	office := r.S("id")
	home := add(t, c, tok, "2001:DB8::1", "Дом")
	vpn := add(t, c, tok, "198.51.100.7/32", "")

	for _, dup := range []string{"203.0.113.0/24", "203.0.113.200/24", "::ffff:198.51.100.7", "2001:db8:0::1"} {
		r := c.Call("POST", "/v1/ip-allowlist", fmt.Sprintf(`{"address":%q}`, dup), tok)
		expect(t, r, 409, "duplicate "+dup)
	}
	for _, bad := range []string{"", "203.0.113.256", "офис", "10.0.0.0/33", "fe80::1%eth0", "203.0.113.0/24,198.51.100.0/24"} {
		r := c.Call("POST", "/v1/ip-allowlist", fmt.Sprintf(`{"address":%q}`, bad), tok)
		expect(t, r, 400, "invalid "+bad)
		if r.Field("address") == "" {
			t.Errorf("%q: no field error on address: %v", bad, r.Body)
		}
	}
	r = c.Call("POST", "/v1/ip-allowlist", fmt.Sprintf(`{"address":"192.0.2.1","comment":%q}`, strings.Repeat("к", 201)), tok)
	expect(t, r, 400, "comment too long")
	if r.Field("comment") == "" {
		t.Errorf("no field error on comment: %v", r.Body)
	}

	r = c.Call("GET", "/v1/ip-allowlist", "", tok)
	expect(t, r, 200, "list")
	if got, want := addresses(r), []string{"198.51.100.7", "2001:db8::1", "203.0.113.0/24"}; !slices.Equal(got, want) {
		t.Fatalf("list %v, want %v (newest first)", got, want)
	}
	searches := map[string][]string{
		"203.0":        {"203.0.113.0/24"},
		"офис":         {"203.0.113.0/24"},
		"ТВЕРСКОЙ":     {"203.0.113.0/24"},
		"203.0.113.5":  {"203.0.113.0/24"}, // an address the network holds
		"2001:DB8":     {"2001:db8::1"},
		"198.51.100.7": {"198.51.100.7"},
		"192.0.2.1":    nil,
		"":             {"198.51.100.7", "2001:db8::1", "203.0.113.0/24"},
	}
	for q, want := range searches {
		if got := search(t, c, tok, q); !slices.Equal(got, want) {
			t.Errorf("search %q: %v, want %v", q, got, want)
		}
	}

	expect(t, c.Call("DELETE", "/v1/ip-allowlist/"+vpn, "", tok), 204, "delete")
	expect(t, c.Call("DELETE", "/v1/ip-allowlist/"+vpn, "", tok), 404, "delete again")
	expect(t, c.Call("DELETE", "/v1/ip-allowlist/not-an-id", "", tok), 404, "delete a malformed id")
	add(t, c, tok, "198.51.100.7", "снова") // its address is free again
	if got := search(t, c, tok, ""); len(got) != 3 {
		t.Fatalf("after delete and re-add: %v", got)
	}
	if got := audit(t, c, tok, vpn); !slices.Equal(got, []string{"ip_allowlist_deleted 198.51.100.7", "ip_allowlist_added 198.51.100.7"}) {
		t.Errorf("audit of the deleted entry: %v", got)
	}
	if got := audit(t, c, tok, office); !slices.Equal(got, []string{"ip_allowlist_added 203.0.113.0/24"}) {
		t.Errorf("audit of an entry: %v", got)
	}

	// Another organisation: its own (empty) list; this one's entry is "not found".
	other := c.Ready()
	r = c.Call("GET", "/v1/ip-allowlist", "", other.Token())
	expect(t, r, 200, "other's list")
	if len(items(r)) != 0 {
		t.Fatalf("another organisation sees entries: %v", r.Body)
	}
	expect(t, c.Call("DELETE", "/v1/ip-allowlist/"+home, "", other.Token()), 404, "delete another organisation's entry")
	if got := search(t, c, tok, "2001"); !slices.Equal(got, []string{"2001:db8::1"}) {
		t.Fatalf("entry gone after another organisation's delete: %v", got)
	}

	// A plain user (invited while the other organisation's list is empty, so it logs in from
	// anywhere) may see its own address, not the list.
	user := invitee(t, c, other.Token())
	expect(t, c.Call("GET", "/v1/ip-allowlist", "", user), 403, "user lists")
	expect(t, c.Call("POST", "/v1/ip-allowlist", `{"address":"192.0.2.1"}`, user), 403, "user adds")
	expect(t, c.Call("DELETE", "/v1/ip-allowlist/"+home, "", user), 403, "user deletes")
	r = c.Do(testenv.Request{Method: "GET", Path: "/v1/ip-allowlist/my-ip", Token: user, IP: "203.0.113.9"})
	expect(t, r, 200, "user's my-ip")
	if r.S("ip") != "203.0.113.9" || r.Body["allowed"] != true {
		t.Fatalf("user's my-ip: %v", r.Body)
	}
	add(t, c, other.Token(), "203.0.113.0/24", "") // the same address in another organisation is fine
}

// The list holds at most 100 entries.
func TestListLimit(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	tok := c.Ready().Token()
	var first string
	for i := 1; i <= 100; i++ {
		id := add(t, c, tok, fmt.Sprintf("198.51.100.%d", i), "")
		if i == 1 {
			first = id
		}
	}
	expect(t, c.Call("POST", "/v1/ip-allowlist", `{"address":"198.51.100.101"}`, tok), 409, "101st entry")
	expect(t, c.Call("DELETE", "/v1/ip-allowlist/"+first, "", tok), 204, "delete one")
	add(t, c, tok, "198.51.100.101", "")
}

// my-ip answers the caller's address (API Gateway's source IP; here X-Test-Ip) and whether
// the organisation's list admits it; an empty list admits everything.
func TestMyIP(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	tok := c.Ready().Token()
	myIP := func(ip string) testenv.Reply {
		t.Helper()
		r := c.Do(testenv.Request{Method: "GET", Path: "/v1/ip-allowlist/my-ip", Token: tok, IP: ip})
		expect(t, r, 200, "my-ip from "+ip)
		if r.S("ip") != ip {
			t.Fatalf("my-ip from %s answered %v", ip, r.Body)
		}
		return r
	}
	if r := myIP("192.0.2.10"); r.Body["allowed"] != true {
		t.Fatalf("empty list: %v", r.Body)
	}
	add(t, c, tok, "198.51.100.0/24", "Офис")
	add(t, c, tok, "2001:db8:1::/48", "Офис IPv6")
	for ip, want := range map[string]bool{"198.51.100.23": true, "192.0.2.10": false, "2001:db8:1::5": true, "2001:db8:2::5": false} {
		if r := myIP(ip); r.Body["allowed"] != want {
			t.Errorf("my-ip from %s: %v, want allowed %v", ip, r.Body, want)
		}
	}
}

var ips atomic.Int64

// outsideIP returns a fresh documentation address (192.0.2.0/24 is never on a test's list).
func outsideIP() string { return fmt.Sprintf("192.0.2.%d", ips.Add(1)%250+1) }

// D6 for cabinet logins: with a non-empty list, the right password (or SMS code) from an
// address outside it gets 403 "Доступ запрещен", an audit entry and an e-mail to the
// superuser; a wrong password still gets 401 (strangers learn nothing of the list); from
// inside the list, and with an empty list, logins work.
func TestLoginAllowlist(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	boss := c.Ready()
	tok := boss.Token()
	login := func(ip, pw string) testenv.Reply {
		t.Helper()
		return c.Do(testenv.Request{Method: "POST", Path: "/v1/auth/login", Body: fmt.Sprintf(`{"login":%q,"password":%q}`, boss.Phone, pw), IP: ip})
	}
	// Empty list: from anywhere.
	expect(t, login(outsideIP(), testflows.NewPassword), 200, "empty list")

	add(t, c, tok, "198.51.100.0/24", "Офис")
	add(t, c, tok, "2001:db8:1::/48", "Офис IPv6")

	outside := outsideIP()
	expect(t, login(outside, "Nevernyi-Parol-2026"), 401, "wrong password from outside")
	r := login(outside, testflows.NewPassword)
	expect(t, r, 403, "right password from outside")
	if r.Message() != denied || r.S("accessToken") != "" {
		t.Fatalf("refused login: %v", r.Body)
	}
	expect(t, login("2001:db8:2::5", testflows.NewPassword), 403, "IPv6 outside")
	expect(t, login("198.51.100.40", testflows.NewPassword), 200, "inside")
	expect(t, login("2001:db8:1::40", testflows.NewPassword), 200, "IPv6 inside")

	// The superuser is told by e-mail (Register gives every superuser anna@example.ru: the
	// message is the one naming this login and address).
	c.DeliverMail()
	var alert string
	for _, m := range c.Env.Mail.Messages("anna@example.ru") {
		if strings.Contains(m.Text, outside) && strings.Contains(m.Text, boss.Phone) {
			alert = m.Subject + "\n" + m.Text
		}
	}
	if alert == "" || !strings.Contains(alert, "незнакомого IP-адреса "+outside) || !strings.Contains(alert, "МСК") {
		t.Fatalf("no alert e-mail about %s for %s: %q", outside, boss.Phone, alert)
	}
	denials := 0
	for _, a := range audit(t, c, tok, boss.UserID) {
		if strings.HasPrefix(a, "login_denied_ip ") {
			denials++
		}
	}
	if denials != 2 {
		t.Errorf("%d login_denied_ip audit entries, want 2", denials)
	}

	// Login by SMS code: refused from outside once the code is right, fine from inside.
	otp := func(ip string) testenv.Reply {
		t.Helper()
		r := c.Do(testenv.Request{Method: "POST", Path: "/v1/auth/otp", Body: fmt.Sprintf(`{"phone":%q}`, boss.Phone), IP: ip})
		expect(t, r, 202, "start code login")
		code := c.Code(boss.Phone)
		return c.Do(testenv.Request{Method: "POST", Path: "/v1/auth/otp/" + r.S("challengeId") + "/confirm", Body: `{"code":"` + code + `"}`, IP: ip})
	}
	r = otp(outsideIP())
	expect(t, r, 403, "code login from outside")
	if r.Message() != denied {
		t.Fatalf("refused code login: %v", r.Body)
	}
	expect(t, otp("198.51.100.41"), 200, "code login from inside")

	// Emptied again: everything is allowed.
	r = c.Do(testenv.Request{Method: "GET", Path: "/v1/ip-allowlist", Token: tok, IP: "198.51.100.42"})
	for _, it := range items(r) {
		expect(t, c.Call("DELETE", "/v1/ip-allowlist/"+it["id"].(string), "", tok), 204, "empty the list")
	}
	expect(t, login(outsideIP(), testflows.NewPassword), 200, "emptied list")
}

func basic(appID, key string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(appID+":"+key))}
}

// D6 for API credentials: an agent key (HTTP Basic) from outside a non-empty list gets 403
// "Доступ запрещен", from inside 200; a wrong key stays 401.
func TestAgentKeyAllowlist(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	p := testflows.New(t, httpapi.Partner)
	boss := c.Ready()
	r := c.Call("POST", "/v1/api-credentials", "", boss.Token())
	expect(t, r, 201, "create credential")
	appID, key := r.S("appId"), r.S("sharedKey")
	whoami := func(ip, key string) testenv.Reply {
		t.Helper()
		return p.Do(testenv.Request{Method: "GET", Path: "/v1/agent/whoami", Header: basic(appID, key), IP: ip})
	}
	expect(t, whoami(outsideIP(), key), 200, "empty list")
	add(t, c, boss.Token(), "198.51.100.0/24", "Сервер интеграции")
	r = whoami(outsideIP(), key)
	expect(t, r, 403, "from outside")
	if r.Message() != denied {
		t.Fatalf("refused call: %v", r.Body)
	}
	expect(t, whoami(outsideIP(), key+"x"), 401, "wrong key from outside")
	r = whoami("198.51.100.50", key)
	expect(t, r, 200, "from inside")
	if r.S("orgId") != boss.OrgID {
		t.Fatalf("whoami: %v", r.Body)
	}
}

var calls atomic.Int64

// The same for partner keys (HMAC-signed requests of a licensee).
func TestPartnerKeyAllowlist(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	p := testflows.New(t, httpapi.Partner)
	tok := newLicensee(t, c)
	r := c.Call("POST", "/v1/partner-keys", "", tok)
	expect(t, r, 201, "create partner key")
	keyID, secret := r.S("keyId"), r.S("secret")
	whoami := func(ip string) testenv.Reply {
		t.Helper()
		q := fmt.Sprintf("call=%d", calls.Add(1))
		h := partnersign.Headers(keyID, secret, "GET", "/v1/partner/whoami", q, nil, time.Now())
		return p.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami?" + q, Header: h, IP: ip})
	}
	expect(t, whoami(outsideIP()), 200, "empty list")
	add(t, c, tok, "198.51.100.0/24", "")
	r = whoami(outsideIP())
	expect(t, r, 403, "from outside")
	if r.Message() != denied {
		t.Fatalf("refused call: %v", r.Body)
	}
	expect(t, whoami("198.51.100.60"), 200, "from inside")
}

// newLicensee creates an active licensee organisation in the table (registration founds only
// agents) and returns its superuser's access token.
func newLicensee(t *testing.T, c *testflows.Client) string {
	t.Helper()
	const pw = "Licenziat-2026"
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	phone := testenv.UniquePhone()
	org := identity.Org{ID: ulid.Make().String(), Kind: identity.LicenseeOrg, Name: "ООО «Лицензиат»", Status: identity.StatusActive, CreatedAt: now}
	u := identity.User{ID: ulid.Make().String(), OrgID: org.ID, Role: identity.Superuser, Status: identity.StatusActive,
		FullName: "Лицензиатова Ольга", Email: "olga@example.ru", Phone: phone, Login: phone, PasswordHash: hash, CreatedAt: now}
	puts, err := identitydb.NewAccountPuts(os.Getenv("IDENTITY_TABLE"), org, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Env.DynamoDB.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{TransactItems: puts}); err != nil {
		t.Fatal(err)
	}
	r := c.Login(phone, pw)
	expect(t, r, 200, "licensee login")
	return r.S("accessToken")
}
