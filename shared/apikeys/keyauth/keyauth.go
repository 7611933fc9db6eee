// Package keyauth authenticates the partner API's machine callers: agent systems with an
// app-id / shared-key pair over HTTP Basic (the AgentKey scheme, A12) and licensee systems
// with HMAC-signed requests (the PartnerHMAC scheme, see shared/apikeys/partnersign). It is
// small on purpose: every function links it through shared/identity/authn.
//
// It reads the items shared/apikeys/apikeysdb writes in the identity table (attribute names
// are shared with it):
//   - APIKEY#<appId> / APIKEY          orgId, secretHash (hex SHA-256 of the shared key), status,
//     lastUsedAt, expiresAt: GetItem per call; lastUsedAt set at most once a minute
//   - PARTNERKEY#<keyId> / PARTNERKEY  orgId, secretSealed (AES-GCM, shared/apikeys/seal),
//     status, lastUsedAt, expiresAt: GetItem per call
//
// and guards against replayed signatures in the rate-limits table:
//   - pk "partner-sig#<keyId>#<signature>"  PutItem if absent (or expired); TTL expiresAt 10 minutes
//
// A credential whose organisation has a non-empty IP allowlist (D6, shared/allowlist/ipcheck:
// Query ALLOW#<org> per call) works only from an address on it; other calls get 403
// "Доступ запрещен" and a warning in the log (no e-mail: machine callers retry, and the
// cabinet logins already alert the superusers).
package keyauth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/kabinet/kabinet/shared/allowlist/ipcheck"
	"github.com/kabinet/kabinet/shared/apikeys/partnersign"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/seal"
)

// Roles given to machine callers (Principal.Roles).
const (
	AgentRole   = "agent-api"
	PartnerRole = "partner"
)

// Statuses of a credential.
const (
	StatusActive  = "active"
	StatusRevoked = "revoked"
)

const (
	// MaxBody is the largest body a signed request may carry (it is read to be verified).
	MaxBody = 1 << 20
	// ReplayWindow is how long an accepted signature is remembered: a timestamp may be up to
	// MaxSkew in the future and is accepted until MaxSkew after it.
	ReplayWindow = 2 * partnersign.MaxSkew
	// touchEvery is the precision of lastUsedAt (a write at most this often per credential).
	touchEvery = time.Minute
	maxIDLen   = 64
)

// AgentItemKey and PartnerItemKey are the keys of the credential items.
func AgentItemKey(appID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("APIKEY#" + appID), "sk": dynamo.S("APIKEY")}
}

func PartnerItemKey(keyID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("PARTNERKEY#" + keyID), "sk": dynamo.S("PARTNERKEY")}
}

// HashSharedKey is how an agent shared key is stored. The key is 256 bits from crypto/rand,
// so a plain SHA-256 cannot be searched backwards; no pepper or slow hash is needed.
func HashSharedKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// dummyHash is compared against when an app id is unknown, so timing does not tell.
var dummyHash = HashSharedKey("no such app id")

// Checker authenticates both schemes.
type Checker struct {
	DB          *dynamodb.Client
	Table       string // identity table
	ReplayTable string // rate-limits table (PartnerHMAC only)
	Sealer      *seal.Sealer
	Now         func() time.Time
	// Allowlist, when set, refuses callers outside their organisation's IP allowlist (D6).
	Allowlist interface {
		Allowed(ctx context.Context, orgID, ip string) (bool, error)
	}
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

var (
	errBasicRequired = apperr.New(apperr.Unauthorized, "authentication required: Authorization: Basic base64(app-id:shared-key)")
	errBadAgentKey   = apperr.New(apperr.Unauthorized, "wrong app id or shared key")
	errHMACRequired  = apperr.New(apperr.Unauthorized, "authentication required: sign the request with X-Key-Id, X-Timestamp and X-Signature")
	errBadSignature  = apperr.New(apperr.Unauthorized, "the request signature is not valid")
	errReplayed      = apperr.New(apperr.Unauthorized, "replayed request")
)

// basicCredentials reads "Authorization: Basic base64(app-id:shared-key)". The agent manual
// (seed 000) writes the header as "Basic app-id:shared-key", so that form is accepted too:
// ":" is not a base64 character, so the two cannot be confused.
func basicCredentials(r *http.Request) (appID, key string, ok bool) {
	if appID, key, ok = r.BasicAuth(); ok {
		return appID, key, appID != "" && key != ""
	}
	raw, found := strings.CutPrefix(r.Header.Get("Authorization"), "Basic ")
	if !found {
		return "", "", false
	}
	if _, err := base64.StdEncoding.DecodeString(raw); err == nil {
		return "", "", false
	}
	appID, key, ok = strings.Cut(strings.TrimSpace(raw), ":")
	return appID, key, ok && appID != "" && key != ""
}

// AgentKey is the AgentKey scheme: HTTP Basic with an app id and its shared key. A wrong key,
// an unknown app id and a revoked credential get the same 401.
func (c *Checker) AgentKey(r *http.Request) (httpapi.Principal, error) {
	appID, key, ok := basicCredentials(r)
	if !ok {
		return httpapi.Principal{}, errBasicRequired
	}
	if len(appID) > maxIDLen || len(key) > 256 {
		return httpapi.Principal{}, errBadAgentKey
	}
	it, err := c.read(r.Context(), AgentItemKey(appID))
	if err != nil {
		return httpapi.Principal{}, err
	}
	stored := dummyHash
	if it != nil {
		stored = dynamo.GetS(it, "secretHash")
	}
	match := subtle.ConstantTimeCompare([]byte(HashSharedKey(key)), []byte(stored)) == 1
	if it == nil || !match || dynamo.GetS(it, "status") != StatusActive {
		return httpapi.Principal{}, errBadAgentKey
	}
	if err := c.admit(r, "appId", appID, dynamo.GetS(it, "orgId")); err != nil {
		return httpapi.Principal{}, err
	}
	c.touch(r.Context(), AgentItemKey(appID), it)
	return httpapi.Principal{Subject: appID, Org: dynamo.GetS(it, "orgId"), Roles: []string{AgentRole}}, nil
}

// PartnerHMAC is the PartnerHMAC scheme (shared/apikeys/partnersign). It reads the body to
// verify it and puts it back for the handler.
func (c *Checker) PartnerHMAC(r *http.Request) (httpapi.Principal, error) {
	keyID, ts, sig := r.Header.Get(partnersign.HeaderKeyID), r.Header.Get(partnersign.HeaderTimestamp), r.Header.Get(partnersign.HeaderSignature)
	if keyID == "" || ts == "" || sig == "" {
		return httpapi.Principal{}, errHMACRequired
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return httpapi.Principal{}, apperr.New(apperr.Unauthorized, "X-Timestamp must be unix seconds")
	}
	now := c.now()
	if skew := now.Sub(time.Unix(secs, 0)); skew > partnersign.MaxSkew || skew < -partnersign.MaxSkew {
		return httpapi.Principal{}, apperr.Newf(apperr.Unauthorized, "X-Timestamp is more than 5 minutes away from the server clock (server time %d)", now.Unix())
	}
	given, err := hex.DecodeString(sig)
	if err != nil || len(given) != sha256.Size || len(keyID) > maxIDLen {
		return httpapi.Principal{}, errBadSignature
	}
	body, err := readBody(r)
	if err != nil {
		return httpapi.Principal{}, err
	}
	it, err := c.read(r.Context(), PartnerItemKey(keyID))
	if err != nil {
		return httpapi.Principal{}, err
	}
	secret := "no such key id: computed anyway, so timing does not tell"
	if it != nil {
		if secret, err = c.Sealer.Open(dynamo.GetS(it, "secretSealed"), keyID); err != nil {
			return httpapi.Principal{}, fmt.Errorf("partner key %s: %w (was PARTNER_KEY_SECRET changed?)", keyID, err)
		}
	}
	match := false
	for _, path := range signedPaths(r) {
		if hmac.Equal(partnersign.MAC(secret, r.Method, path, r.URL.RawQuery, ts, body), given) {
			match = true
		}
	}
	if it == nil || !match || dynamo.GetS(it, "status") != StatusActive {
		return httpapi.Principal{}, errBadSignature
	}
	if err := c.admit(r, "keyId", keyID, dynamo.GetS(it, "orgId")); err != nil {
		return httpapi.Principal{}, err
	}
	if err := c.remember(r.Context(), keyID, hex.EncodeToString(given), now); err != nil {
		return httpapi.Principal{}, err
	}
	c.touch(r.Context(), PartnerItemKey(keyID), it)
	return httpapi.Principal{Subject: keyID, Org: dynamo.GetS(it, "orgId"), Roles: []string{PartnerRole}}, nil
}

var errIPDenied = apperr.New(apperr.Forbidden, ipcheck.Denied)

// admit refuses a verified credential of orgID used from an address outside the
// organisation's IP allowlist (D6). A failing check refuses too.
func (c *Checker) admit(r *http.Request, idName, id, orgID string) error {
	if c.Allowlist == nil {
		return nil
	}
	ip := httpapi.ClientIP(r)
	ok, err := c.Allowlist.Allowed(r.Context(), orgID, ip)
	if err != nil {
		return fmt.Errorf("ip allowlist: %w", err)
	}
	if !ok {
		slog.WarnContext(r.Context(), "API call refused: address outside the organisation's IP allowlist", idName, id, "orgId", orgID, "ip", ip)
		return errIPDenied
	}
	return nil
}

// signedPaths are the paths a client may have signed: the path the route sees and, behind
// API Gateway's default endpoint, the path with the stage in front (/dev/v1/…).
func signedPaths(r *http.Request) []string {
	paths := []string{r.URL.Path}
	if gw, ok := core.GetAPIGatewayContextFromContext(r.Context()); ok && gw.Path != "" && gw.Path != r.URL.Path {
		paths = append(paths, gw.Path)
	}
	return paths
}

// readBody reads up to MaxBody bytes and restores r.Body for the handler.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, apperr.New(apperr.BadRequest, "request body cannot be read")
	}
	if len(body) > MaxBody {
		return nil, apperr.Newf(apperr.TooLarge, "request body exceeds %d bytes", MaxBody)
	}
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// read returns a live credential item, or nil when it is absent or expired.
func (c *Checker) read(ctx context.Context, key dynamo.Item) (dynamo.Item, error) {
	out, err := c.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(c.Table), Key: key, ConsistentRead: aws.Bool(true),
		ProjectionExpression:     aws.String("orgId, secretHash, secretSealed, #s, lastUsedAt, expiresAt"),
		ExpressionAttributeNames: map[string]string{"#s": "status"},
	})
	if err != nil {
		return nil, dynamo.Wrap("read credential", err)
	}
	if out.Item == nil || dynamo.Expired(out.Item, "expiresAt", c.now()) {
		return nil, nil
	}
	return out.Item, nil
}

// remember records an accepted signature; a second use of it is refused.
func (c *Checker) remember(ctx context.Context, keyID, sig string, now time.Time) error {
	_, err := c.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(c.ReplayTable),
		Item:      dynamo.Item{"pk": dynamo.S("partner-sig#" + keyID + "#" + sig), "expiresAt": dynamo.Unix(now.Add(ReplayWindow))},
		// DynamoDB deletes expired items only eventually, so an expired record counts as absent.
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt <= :now"),
		ExpressionAttributeValues: dynamo.Item{":now": dynamo.Unix(now)},
	})
	if dynamo.IsConditionFailed(err) {
		return errReplayed
	}
	return dynamo.Wrap("remember signature", err)
}

// touch sets lastUsedAt when it is older than touchEvery. Failing to is logged, not fatal.
func (c *Checker) touch(ctx context.Context, key, it dynamo.Item) {
	now := c.now()
	if now.Sub(dynamo.GetTime(it, "lastUsedAt")) < touchEvery {
		return
	}
	_, err := c.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(c.Table), Key: key,
		UpdateExpression:          aws.String("SET lastUsedAt = :now"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)"),
		ExpressionAttributeValues: dynamo.Item{":now": dynamo.Unix(now), ":stale": dynamo.Unix(now.Add(-touchEvery))},
	})
	if err != nil && !dynamo.IsConditionFailed(err) {
		slog.WarnContext(ctx, "credential last use not recorded", "pk", dynamo.GetS(key, "pk"), "error", err.Error())
	}
}

// AgentConfig is what the AgentKey scheme reads from the environment.
type AgentConfig struct {
	IdentityTable string `env:"IDENTITY_TABLE"`
}

// PartnerConfig is what the PartnerHMAC scheme reads from the environment.
type PartnerConfig struct {
	IdentityTable    string `env:"IDENTITY_TABLE"`
	RateLimitsTable  string `env:"RATE_LIMITS_TABLE"`
	PartnerKeySecret string `env:"PARTNER_KEY_SECRET" secret:"true" minlen:"32"`
}

// AgentKey builds the AgentKey scheme's authenticator from the environment (shared/identity/authn).
func AgentKey(ctx context.Context) (httpapi.Authenticator, error) {
	var cfg AgentConfig
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	db, err := client(ctx)
	if err != nil {
		return nil, err
	}
	return (&Checker{DB: db, Table: cfg.IdentityTable, Allowlist: &ipcheck.Checker{DB: db, Table: cfg.IdentityTable}}).AgentKey, nil
}

// PartnerHMAC builds the PartnerHMAC scheme's authenticator from the environment.
func PartnerHMAC(ctx context.Context) (httpapi.Authenticator, error) {
	var cfg PartnerConfig
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	sealer, err := seal.New(cfg.PartnerKeySecret, "partner-key")
	if err != nil {
		return nil, err
	}
	db, err := client(ctx)
	if err != nil {
		return nil, err
	}
	return (&Checker{DB: db, Table: cfg.IdentityTable, ReplayTable: cfg.RateLimitsTable, Sealer: sealer,
		Allowlist: &ipcheck.Checker{DB: db, Table: cfg.IdentityTable}}).PartnerHMAC, nil
}

func client(ctx context.Context) (*dynamodb.Client, error) {
	cfg, err := awsclient.Config(ctx)
	if err != nil {
		return nil, err
	}
	return dynamodb.NewFromConfig(cfg), nil
}
