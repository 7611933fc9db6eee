package apikeys_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/apikeys/keyauth"
	"github.com/kabinet/kabinet/shared/apikeys/partnersign"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/launch"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// apis serves the client and partner APIs as deployed, with the catalogue's authenticators.
type apis struct {
	t       *testing.T
	client  *testenv.API
	partner *testenv.API
}

func newAPIs(t *testing.T) *apis {
	t.Helper()
	testenv.Get(t)
	auth, err := catalogue.Authenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byAPI := map[httpapi.API][]httpapi.Route{}
	for _, r := range catalogue.Routes() {
		byAPI[r.API] = append(byAPI[r.API], r)
	}
	return &apis{t: t, client: testenv.NewAPI(t, auth, byAPI[httpapi.Client]), partner: testenv.NewAPI(t, auth, byAPI[httpapi.Partner])}
}

func expect(t *testing.T, r testenv.Reply, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %v", what, r.Status, status, r.Body)
	}
}

// member is a logged-in user of an organisation.
type member struct {
	orgID, userID, token string
}

const testPassword = "Klyuchi-API-2026"

// newOrg creates an active organisation of kind whose active superuser (its creator) is
// logged in. Organisations of every kind are created straight in the table: registration
// (A1) founds only agent organisations, and the bank's activation (A2) is another flow.
func (a *apis) newOrg(kind identity.OrgKind) member {
	a.t.Helper()
	ctx := context.Background()
	table := os.Getenv("IDENTITY_TABLE")
	hash, err := password.Hash(testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	now := time.Now().UTC()
	phone := testenv.UniquePhone()
	org := identity.Org{ID: ulid.Make().String(), Kind: kind, Name: "ООО «Ромашка»", Status: identity.StatusActive, CreatedAt: now}
	u := identity.User{ID: ulid.Make().String(), OrgID: org.ID, Role: identity.Superuser, Status: identity.StatusActive,
		FullName: "Смирнова Анна Петровна", Email: "anna@example.ru", Phone: phone, Login: phone, PasswordHash: hash, CreatedAt: now}
	puts, err := identitydb.NewAccountPuts(table, org, u)
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.client.Env.DynamoDB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: puts}); err != nil {
		a.t.Fatal(err)
	}
	r := a.client.Post("/v1/auth/login", `{"login":"`+phone+`","password":"`+testPassword+`"}`)
	expect(a.t, r, 200, "login")
	return member{orgID: org.ID, userID: u.ID, token: r.S("accessToken")}
}

// setRole changes a user's role in the table (user management is another issue); the
// Session scheme reads the role on every call, so it applies at once.
func (a *apis) setRole(m member, role identity.Role) {
	a.t.Helper()
	_, err := a.client.Env.DynamoDB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: identitydb.UserKey(m.userID),
		UpdateExpression: aws.String("SET #r = :r"), ExpressionAttributeNames: map[string]string{"#r": "role"},
		ExpressionAttributeValues: dynamo.Item{":r": dynamo.S(string(role))},
	})
	if err != nil {
		a.t.Fatal(err)
	}
}

func (a *apis) call(m member, method, path string) testenv.Reply {
	a.t.Helper()
	return a.client.Do(testenv.Request{Method: method, Path: path, Token: m.token})
}

func basic(appID, key string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(appID+":"+key))}
}

func (a *apis) agentWhoami(header map[string]string) testenv.Reply {
	a.t.Helper()
	return a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/agent/whoami", Header: header})
}

// signed calls the partner API with a request signed by keyID/secret at the given time.
func (a *apis) signed(keyID, secret, method, target, body string, at time.Time) testenv.Reply {
	a.t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		a.t.Fatal(err)
	}
	h := partnersign.Headers(keyID, secret, method, u.Path, u.RawQuery, []byte(body), at)
	return a.partner.Do(testenv.Request{Method: method, Path: target, Body: body, Header: h})
}

var calls atomic.Int64

// whoami calls GET /v1/partner/whoami signed now, with a query that makes each signature
// unique (the same request twice in one second would be a replay).
func (a *apis) whoami(keyID, secret string) testenv.Reply {
	a.t.Helper()
	return a.signed(keyID, secret, "GET", fmt.Sprintf("/v1/partner/whoami?call=%d", calls.Add(1)), "", time.Now())
}

func items(r testenv.Reply) []map[string]any {
	raw, _ := r.Body["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func find(r testenv.Reply, field, id string) map[string]any {
	for _, it := range items(r) {
		if it[field] == id {
			return it
		}
	}
	return nil
}

func raw(t *testing.T, r testenv.Reply) string {
	b, err := json.Marshal(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func auditActions(a *apis, m member, target string) []string {
	a.t.Helper()
	r := a.call(m, "GET", "/v1/audit?limit=200")
	expect(a.t, r, 200, "audit")
	var out []string
	for _, it := range items(r) {
		if it["target"] == target {
			out = append(out, it["action"].(string)+" by "+it["actor"].(string))
		}
	}
	return out
}

// A12: the superuser creates a pair, the key is shown once, Basic works with it, a wrong key,
// an unknown app id and a revoked credential all get the same 401; another organisation
// cannot see or revoke it; creation and revocation are audited.
func TestAgentCredentialLifecycle(t *testing.T) {
	a := newAPIs(t)
	agent := a.newOrg(identity.AgentOrg)

	r := a.call(agent, "POST", "/v1/api-credentials")
	expect(t, r, 201, "create")
	appID, key := r.S("appId"), r.S("sharedKey")
	if appID == "" || len(key) != 43 || r.S("status") != "active" || r.S("createdBy") != agent.userID || r.S("notice") == "" {
		t.Fatalf("created: %v", r.Body)
	}

	r = a.agentWhoami(basic(appID, key))
	expect(t, r, 200, "whoami with the pair")
	if r.S("orgId") != agent.orgID || r.S("appId") != appID || r.S("scheme") != "agent-key" {
		t.Fatalf("whoami: %v", r.Body)
	}
	// The agent manual writes the header unencoded: "Authorization: Basic app-id:shared-key".
	expect(t, a.agentWhoami(map[string]string{"Authorization": "Basic " + appID + ":" + key}), 200, "unencoded Basic")

	wrong := a.agentWhoami(basic(appID, key[:42]+"x"))
	expect(t, wrong, 401, "wrong key")
	unknown := a.agentWhoami(basic(ulid.Make().String(), key))
	expect(t, unknown, 401, "unknown app id")
	if wrong.Message() != unknown.Message() {
		t.Fatalf("wrong key %q and unknown app id %q answer differently", wrong.Message(), unknown.Message())
	}
	expect(t, a.agentWhoami(nil), 401, "no credentials")
	expect(t, a.agentWhoami(map[string]string{"Authorization": "Bearer " + agent.token}), 401, "a session token on the partner API")

	r = a.call(agent, "GET", "/v1/api-credentials")
	expect(t, r, 200, "list")
	it := find(r, "appId", appID)
	if it == nil || it["status"] != "active" || it["createdBy"] != agent.userID || it["lastUsedAt"] == nil {
		t.Fatalf("list: %v", r.Body)
	}
	if body := raw(t, r); strings.Contains(body, key) || strings.Contains(body, keyauth.HashSharedKey(key)) || strings.Contains(body, "sharedKey") {
		t.Fatalf("the list shows the key: %s", body)
	}

	// Another organisation: its list is empty, and the app id does not exist for it.
	other := a.newOrg(identity.AgentOrg)
	r = a.call(other, "GET", "/v1/api-credentials")
	expect(t, r, 200, "other's list")
	if len(items(r)) != 0 {
		t.Fatalf("other organisation sees %v", r.Body)
	}
	foreign := a.call(other, "DELETE", "/v1/api-credentials/"+appID)
	expect(t, foreign, 404, "revoke another organisation's credential")
	absent := a.call(other, "DELETE", "/v1/api-credentials/"+ulid.Make().String())
	expect(t, absent, 404, "revoke an unknown app id")
	if foreign.Message() != absent.Message() {
		t.Fatalf("another organisation's app id (%q) is told apart from an unknown one (%q)", foreign.Message(), absent.Message())
	}
	expect(t, a.agentWhoami(basic(appID, key)), 200, "still works")

	expect(t, a.call(agent, "DELETE", "/v1/api-credentials/"+appID), 204, "revoke")
	revoked := a.agentWhoami(basic(appID, key))
	expect(t, revoked, 401, "revoked pair")
	if revoked.Message() != unknown.Message() {
		t.Fatalf("revoked %q and unknown %q answer differently", revoked.Message(), unknown.Message())
	}
	expect(t, a.call(agent, "DELETE", "/v1/api-credentials/"+appID), 204, "revoke twice")
	r = a.call(agent, "GET", "/v1/api-credentials")
	if it := find(r, "appId", appID); it == nil || it["status"] != "revoked" || it["revokedBy"] != agent.userID || it["revokedAt"] == nil {
		t.Fatalf("after revocation: %v", r.Body)
	}

	got := auditActions(a, agent, appID)
	want := []string{"api_credential_revoked by " + agent.userID, "api_credential_created by " + agent.userID}
	if !slices.Equal(got, want) {
		t.Fatalf("audit %v, want %v", got, want)
	}
}

// Superuser and head manage API credentials; administrators and users do not, nor do
// organisations that are not agents.
func TestAgentCredentialsAreForSuperuserAndHead(t *testing.T) {
	a := newAPIs(t)
	agent := a.newOrg(identity.AgentOrg)
	a.setRole(agent, identity.Head)
	r := a.call(agent, "POST", "/v1/api-credentials")
	expect(t, r, 201, "head creates")
	appID := r.S("appId")
	expect(t, a.call(agent, "GET", "/v1/api-credentials"), 200, "head lists")
	for _, role := range []identity.Role{identity.Administrator, identity.Member} {
		a.setRole(agent, role)
		expect(t, a.call(agent, "POST", "/v1/api-credentials"), 403, string(role)+" creates")
		expect(t, a.call(agent, "GET", "/v1/api-credentials"), 403, string(role)+" lists")
		expect(t, a.call(agent, "DELETE", "/v1/api-credentials/"+appID), 403, string(role)+" revokes")
	}
	licensee := a.newOrg(identity.LicenseeOrg)
	r = a.call(licensee, "POST", "/v1/api-credentials")
	expect(t, r, 403, "licensee creates an agent credential")
	if !strings.Contains(r.Message(), "agent organisations") {
		t.Fatalf("403 does not say why: %v", r.Body)
	}
	expect(t, a.call(agent, "POST", "/v1/api-credentials"), 403, "still a user")
	a.setRole(agent, identity.Superuser)
	expect(t, a.call(agent, "POST", "/v1/partner-keys"), 403, "agent creates a partner key")
	expect(t, a.call(agent, "GET", "/v1/partner-keys"), 403, "agent lists partner keys")
}

func TestAgentCredentialLimit(t *testing.T) {
	a := newAPIs(t)
	agent := a.newOrg(identity.AgentOrg)
	var first string
	for i := range 5 {
		r := a.call(agent, "POST", "/v1/api-credentials")
		expect(t, r, 201, "create")
		if i == 0 {
			first = r.S("appId")
		}
	}
	r := a.call(agent, "POST", "/v1/api-credentials")
	expect(t, r, 409, "sixth active credential")
	if !strings.Contains(r.Message(), "5 active") {
		t.Fatalf("409 does not say why: %v", r.Body)
	}
	expect(t, a.call(agent, "DELETE", "/v1/api-credentials/"+first), 204, "revoke one")
	expect(t, a.call(agent, "POST", "/v1/api-credentials"), 201, "create after revoking")
	expect(t, a.call(agent, "POST", "/v1/api-credentials"), 409, "full again")
	r = a.call(agent, "GET", "/v1/api-credentials?limit=3")
	expect(t, r, 200, "first page")
	if len(items(r)) != 3 || r.S("nextPageToken") == "" || r.Body["maxActive"] != float64(5) {
		t.Fatalf("page: %v", r.Body)
	}
	r = a.call(agent, "GET", "/v1/api-credentials?limit=3&pageToken="+r.S("nextPageToken"))
	expect(t, r, 200, "second page")
	if len(items(r)) != 3 {
		t.Fatalf("second page: %v", r.Body)
	}
}

// Partner keys: HMAC-signed requests with the rules of shared/apikeys/partnersign.
func TestPartnerSignedRequests(t *testing.T) {
	a := newAPIs(t)
	lic := a.newOrg(identity.LicenseeOrg)
	r := a.call(lic, "POST", "/v1/partner-keys")
	expect(t, r, 201, "create")
	keyID, secret := r.S("keyId"), r.S("secret")
	if keyID == "" || len(secret) != 43 || r.S("status") != "active" {
		t.Fatalf("created: %v", r.Body)
	}

	r = a.whoami(keyID, secret)
	expect(t, r, 200, "signed whoami")
	if r.S("orgId") != lic.orgID || r.S("keyId") != keyID || r.S("scheme") != "partner-hmac" {
		t.Fatalf("whoami: %v", r.Body)
	}

	bad := a.whoami(keyID, secret[:42]+"x")
	expect(t, bad, 401, "signed with another secret")
	unknown := a.whoami(ulid.Make().String(), secret)
	expect(t, unknown, 401, "unknown key id")
	if bad.Message() != "the request signature is not valid" || unknown.Message() != bad.Message() {
		t.Fatalf("bad signature %q, unknown key %q", bad.Message(), unknown.Message())
	}
	expect(t, a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami"}), 401, "unsigned")

	// The body is signed: another body with the same headers fails; the handler still gets it.
	now := time.Now()
	h := partnersign.Headers(keyID, secret, "GET", "/v1/partner/whoami", "", []byte(`{"a":1}`), now)
	expect(t, a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami", Body: `{"a":2}`, Header: h}), 401, "another body")
	expect(t, a.signed(keyID, secret, "GET", "/v1/partner/whoami", `{"a":1}`, now), 200, "the signed body")
	big := strings.Repeat("x", keyauth.MaxBody+1)
	expect(t, a.signed(keyID, secret, "GET", "/v1/partner/whoami", big, now), 413, "body over 1 MiB")

	// The query is signed in canonical order: the order sent does not matter, the values do.
	h = partnersign.Headers(keyID, secret, "GET", "/v1/partner/whoami", "b=2&a=1", nil, now.Add(time.Second))
	expect(t, a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami?a=1&b=2", Header: h}), 200, "query reordered")
	h = partnersign.Headers(keyID, secret, "GET", "/v1/partner/whoami", "a=1&b=2", nil, now.Add(2*time.Second))
	expect(t, a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami?a=1&b=3", Header: h}), 401, "query altered")
	h = partnersign.Headers(keyID, secret, "GET", "/v1/agent/whoami", "", nil, now.Add(3*time.Second))
	expect(t, a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami", Header: h}), 401, "signed for another path")

	// ±5 minutes of clock skew.
	for _, skew := range []time.Duration{-6 * time.Minute, 6 * time.Minute} {
		r := a.signed(keyID, secret, "GET", "/v1/partner/whoami", "", now.Add(skew))
		expect(t, r, 401, "skew "+skew.String())
		if !strings.Contains(r.Message(), "5 minutes") {
			t.Fatalf("skew message %q", r.Message())
		}
	}
	expect(t, a.signed(keyID, secret, "GET", "/v1/partner/whoami", "", now.Add(-4*time.Minute)), 200, "skew -4m")
	expect(t, a.signed(keyID, secret, "GET", "/v1/partner/whoami", "", now.Add(4*time.Minute)), 200, "skew +4m")

	// A signature works once.
	h = partnersign.Headers(keyID, secret, "GET", "/v1/partner/whoami", "", nil, now.Add(4*time.Second))
	expect(t, a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami", Header: h}), 200, "first use")
	h[partnersign.HeaderSignature] = strings.ToUpper(h[partnersign.HeaderSignature]) // the same signature spelled otherwise
	r = a.partner.Do(testenv.Request{Method: "GET", Path: "/v1/partner/whoami", Header: h})
	expect(t, r, 401, "replay")
	if r.Message() != "replayed request" {
		t.Fatalf("replay message %q", r.Message())
	}

	// The Go helper signs for real clients.
	client := &http.Client{Transport: &partnersign.Transport{KeyID: keyID, Secret: secret}}
	resp, err := client.Get(a.partner.URL + "/v1/partner/whoami?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("partnersign.Transport: status %d", resp.StatusCode)
	}

	r = a.call(lic, "GET", "/v1/partner-keys")
	expect(t, r, 200, "list")
	if it := find(r, "keyId", keyID); it == nil || it["status"] != "active" || it["lastUsedAt"] == nil {
		t.Fatalf("list: %v", r.Body)
	}
	if body := raw(t, r); strings.Contains(body, secret) || strings.Contains(body, "secret") {
		t.Fatalf("the list shows the secret: %s", body)
	}
}

// Two active keys at a time, so a licensee can rotate: both work, a third is refused until
// one is revoked, and a revoked key stops at once.
func TestPartnerKeyRotation(t *testing.T) {
	a := newAPIs(t)
	lic := a.newOrg(identity.LicenseeOrg)
	create := func() (string, string) {
		r := a.call(lic, "POST", "/v1/partner-keys")
		expect(t, r, 201, "create")
		return r.S("keyId"), r.S("secret")
	}
	k1, s1 := create()
	k2, s2 := create()
	expect(t, a.whoami(k1, s1), 200, "old key")
	expect(t, a.whoami(k2, s2), 200, "new key")
	r := a.call(lic, "POST", "/v1/partner-keys")
	expect(t, r, 409, "third key")
	if !strings.Contains(r.Message(), "2 active") {
		t.Fatalf("409 does not say why: %v", r.Body)
	}

	other := a.newOrg(identity.LicenseeOrg)
	expect(t, a.call(other, "DELETE", "/v1/partner-keys/"+k1), 404, "another licensee revokes")
	expect(t, a.whoami(k1, s1), 200, "old key after the other's attempt")

	expect(t, a.call(lic, "DELETE", "/v1/partner-keys/"+k1), 204, "revoke the old key")
	expect(t, a.whoami(k1, s1), 401, "revoked key")
	expect(t, a.whoami(k2, s2), 200, "new key after rotation")
	k3, s3 := create()
	expect(t, a.whoami(k3, s3), 200, "next key")

	r = a.call(lic, "GET", "/v1/partner-keys")
	expect(t, r, 200, "list")
	if it := find(r, "keyId", k1); it == nil || it["status"] != "revoked" || len(items(r)) != 3 || r.Body["maxActive"] != float64(2) {
		t.Fatalf("list: %v", r.Body)
	}
	a.setRole(lic, identity.Head)
	expect(t, a.call(lic, "GET", "/v1/partner-keys"), 403, "partner keys are the superuser's")
	a.setRole(lic, identity.Superuser)
	got := auditActions(a, lic, k1)
	want := []string{"partner_key_revoked by " + lic.userID, "partner_key_created by " + lic.userID}
	if !slices.Equal(got, want) {
		t.Fatalf("audit %v, want %v", got, want)
	}
}

// Behind API Gateway's default endpoint a client calls https://…/dev/v1/partner/whoami: a
// signature over the path with the stage works, as does one over the route's path.
func TestSignedThroughAPIGateway(t *testing.T) {
	a := newAPIs(t)
	lic := a.newOrg(identity.LicenseeOrg)
	r := a.call(lic, "POST", "/v1/partner-keys")
	expect(t, r, 201, "create")
	keyID, secret := r.S("keyId"), r.S("secret")
	ctx := context.Background()
	h, err := launch.APIHandler(ctx, catalogue.Routes(), "apikeys/partner-whoami")
	if err != nil {
		t.Fatal(err)
	}
	for i, signedPath := range []string{"/dev/v1/partner/whoami", "/v1/partner/whoami"} {
		headers := partnersign.Headers(keyID, secret, "GET", signedPath, "", nil, time.Now().Add(time.Duration(i)*time.Second))
		resp, err := h(ctx, events.APIGatewayProxyRequest{
			Resource: "/v1/partner/whoami", Path: "/v1/partner/whoami", HTTPMethod: "GET", Headers: headers,
			RequestContext: events.APIGatewayProxyRequestContext{Stage: "dev", Path: "/dev/v1/partner/whoami", HTTPMethod: "GET",
				RequestID: "test-" + ulid.Make().String(), Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.9"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || !strings.Contains(resp.Body, keyID) {
			t.Fatalf("signed over %s: %d %s", signedPath, resp.StatusCode, resp.Body)
		}
	}
}
