// Package boauth authenticates callers of the back-office API (the BackofficeID scheme, seed
// 004 "Доступ к API"), in one DynamoDB round trip per request, either way the seed allows:
//
//   - the session cookie JSESSION that POST /api/login sets. Its value is
//     "<session id>.<user id>.<secret>": the session is an identity SESSION# item whose current
//     hash is a domain-separated SHA-256 of the secret (so it is not an identity refresh
//     token). It ends on logout, when its lifetime (SessionTTL) is over, and at once when the
//     user is blocked or changes the password (identity bumps the user's SessionEpoch).
//   - the system API key "X-Authorization: <api-key>" (BACKOFFICE_API_KEY, compared in
//     constant time), plus "User-LKB: <user id>" naming the bank user the call acts for. The
//     seed asks for User-LKB on business operations: without it a call may only read (GET or
//     HEAD) and has no current user (Principal.Subject is ""); handlers that need one use
//     CurrentUser. Any other method without User-LKB is refused with 403.
//
// Either way the caller must be a bank user: an identity user of the bank organisation
// (the BANK item) with a back-office profile (LKBUSER#<id>), not blocked. Principal.Roles
// holds the id of the user's active back-office role as a decimal string; Principal.Limited
// is set while the temporary password has not been changed.
//
// The package is small on purpose: every function links it (shared/identity/authn).
package boauth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Names of the seed.
const (
	CookieName   = "JSESSION"
	CookiePath   = "/api"
	APIKeyHeader = "X-Authorization"
	UserHeader   = "User-LKB"
)

// SessionTTL is how long a back-office session lives (a working day and some).
const SessionTTL = 12 * time.Hour

// Keys of the items this package reads besides identity's USER# and SESSION#.
func BankKey() dynamo.Item { return dynamo.Item{"pk": dynamo.S("BANK"), "sk": dynamo.S("BANK")} }
func ProfileKey(userID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("LKBUSER#" + userID), "sk": dynamo.S("LKBUSER")}
}

// NewCookie returns a cookie value for a session of a user and the hash to store as the
// session's current hash.
func NewCookie(sessionID, userID string) (value, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	return sessionID + "." + userID + "." + secret, hashSecret(secret), nil
}

// ParseCookie splits a cookie value; ok is false when it cannot be one of ours.
func ParseCookie(value string) (sessionID, userID, hash string, ok bool) {
	parts := strings.Split(value, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || len(parts[2]) < 40 {
		return "", "", "", false
	}
	return parts[0], parts[1], hashSecret(parts[2]), true
}

// hashSecret is domain-separated from identity's refresh-token hash, so a cookie is never
// accepted as a refresh token of the client API.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte("kabinet/backoffice/JSESSION\x00" + secret))
	return hex.EncodeToString(h[:])
}

// SetCookie sets the session cookie.
func SetCookie(w http.ResponseWriter, value string) {
	w.Header().Add("Set-Cookie", CookieName+"="+value+"; Path="+CookiePath+"; HttpOnly; Secure; SameSite=Strict")
}

// ClearCookie tells the browser to forget the session cookie.
func ClearCookie(w http.ResponseWriter) {
	w.Header().Add("Set-Cookie", CookieName+"=; Path="+CookiePath+"; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
}

// Checker authenticates back-office calls.
type Checker struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time
	key   [32]byte
}

// New needs an API key of at least 32 characters.
func New(db *dynamodb.Client, table, apiKey string) (*Checker, error) {
	if len(apiKey) < 32 {
		return nil, errors.New("back-office API key must be at least 32 characters")
	}
	return &Checker{DB: db, Table: table, key: sha256.Sum256([]byte(apiKey))}, nil
}

// Config is what the BackofficeID scheme reads from the environment.
type Config struct {
	IdentityTable string `env:"IDENTITY_TABLE"`
	APIKey        string `env:"BACKOFFICE_API_KEY" secret:"true" minlen:"32"`
}

// FromEnv builds the checker from the environment.
func FromEnv(ctx context.Context) (*Checker, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return New(dynamodb.NewFromConfig(aws), cfg.IdentityTable, cfg.APIKey)
}

// Build is the scheme's builder for shared/identity/authn.
func Build(ctx context.Context) (httpapi.Authenticator, error) {
	c, err := FromEnv(ctx)
	if err != nil {
		return nil, err
	}
	return c.Authenticator, nil
}

// LimitedReason is why a user with a temporary password reaches only firstlogin, user info
// and logout.
const LimitedReason = "the temporary password must be changed first: POST /api/lkbuser/firstlogin"

var (
	errNoCredentials = apperr.New(apperr.Unauthorized, "authentication required: log in with POST /api/login (cookie JSESSION), or send X-Authorization with the API key and User-LKB")
	errBadKey        = apperr.New(apperr.Unauthorized, "X-Authorization does not hold a valid API key")
	errEnded         = apperr.New(apperr.Unauthorized, "the session has ended; log in again")
	errNoUser        = apperr.New(apperr.Forbidden, "User-LKB does not name an active user of the bank")
	errNeedUser      = apperr.New(apperr.Forbidden, "business operations need the User-LKB header with the id of the bank user they act for")
)

// Authenticator is the BackofficeID scheme.
func (c *Checker) Authenticator(r *http.Request) (httpapi.Principal, error) {
	if raw := strings.TrimSpace(r.Header.Get(APIKeyHeader)); raw != "" {
		got := sha256.Sum256([]byte(raw))
		if subtle.ConstantTimeCompare(got[:], c.key[:]) != 1 {
			return httpapi.Principal{}, errBadKey
		}
		uid := strings.TrimSpace(r.Header.Get(UserHeader))
		if uid == "" {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				return httpapi.Principal{}, errNeedUser
			}
			return httpapi.Principal{}, nil // the system itself: reads only, no current user
		}
		st, err := c.state(r.Context(), uid, "")
		if err != nil {
			return httpapi.Principal{}, err
		}
		if !st.bankUser() {
			return httpapi.Principal{}, errNoUser
		}
		return st.principal(""), nil
	}
	ck, err := r.Cookie(CookieName)
	if err != nil || ck.Value == "" {
		return httpapi.Principal{}, errNoCredentials
	}
	sid, uid, hash, ok := ParseCookie(ck.Value)
	if !ok {
		return httpapi.Principal{}, errEnded
	}
	st, err := c.state(r.Context(), uid, sid)
	if err != nil {
		return httpapi.Principal{}, err
	}
	if !st.bankUser() || !st.session || st.revoked != "" || st.sessionUser != uid || st.sessionEpoch != st.epoch ||
		subtle.ConstantTimeCompare([]byte(hash), []byte(st.currentHash)) != 1 {
		return httpapi.Principal{}, errEnded
	}
	return st.principal(sid), nil
}

// CurrentUser returns the bank user a call acts for, or 403 when it has none (an API-key
// call without User-LKB).
func CurrentUser(r *http.Request) (httpapi.Principal, error) {
	p, ok := httpapi.CallerOf(r.Context())
	if !ok || p.Subject == "" {
		return httpapi.Principal{}, errNeedUser
	}
	return p, nil
}

type state struct {
	user, profile, session, bank bool
	userID, userOrg, status      string
	epoch                        int64
	mustChange                   bool
	profileOrg                   string
	activeRole                   int64
	bankOrg                      string
	sessionUser, revoked         string
	currentHash                  string
	sessionEpoch                 int64
}

func (s state) bankUser() bool {
	return s.user && s.profile && s.bank && s.bankOrg != "" && s.userOrg == s.bankOrg && s.profileOrg == s.bankOrg &&
		s.status != "blocked" && s.status != "refused"
}

func (s state) principal(sessionID string) httpapi.Principal {
	p := httpapi.Principal{Subject: s.userID, Org: s.userOrg, Session: sessionID, Roles: []string{strconv.FormatInt(s.activeRole, 10)}}
	if s.mustChange {
		p.Limited = LimitedReason
	}
	return p
}

// state reads USER#<uid>, LKBUSER#<uid>, BANK and, for a cookie, SESSION#<sid> in one
// BatchGetItem (attribute names shared with identitydb and backofficedb).
func (c *Checker) state(ctx context.Context, uid, sid string) (state, error) {
	keys := []dynamo.Item{
		{"pk": dynamo.S("USER#" + uid), "sk": dynamo.S("USER")},
		ProfileKey(uid),
		BankKey(),
	}
	if sid != "" {
		keys = append(keys, dynamo.Item{"pk": dynamo.S("SESSION#" + sid), "sk": dynamo.S("SESSION")})
	}
	out, err := c.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		c.Table: {Keys: keys, ConsistentRead: aws.Bool(true),
			ProjectionExpression:     aws.String("#t, id, orgId, #s, sessionEpoch, mustChangePassword, userId, revoked, expiresAt, currentHash, epoch, activeRole"),
			ExpressionAttributeNames: map[string]string{"#t": "type", "#s": "status"}},
	}})
	if err != nil {
		return state{}, dynamo.Wrap("read back-office auth state", err)
	}
	items := out.Responses[c.Table]
	if len(out.UnprocessedKeys) > 0 { // throttled: read what is missing one by one
		for _, k := range out.UnprocessedKeys[c.Table].Keys {
			res, err := c.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(c.Table), Key: k, ConsistentRead: aws.Bool(true)})
			if err != nil {
				return state{}, dynamo.Wrap("read back-office auth state", err)
			}
			if res.Item != nil {
				items = append(items, res.Item)
			}
		}
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	var s state
	for _, it := range items {
		switch dynamo.GetS(it, "type") {
		case "user":
			s.user, s.userID, s.userOrg, s.status = true, dynamo.GetS(it, "id"), dynamo.GetS(it, "orgId"), dynamo.GetS(it, "status")
			s.epoch, s.mustChange = dynamo.GetN(it, "sessionEpoch"), dynamo.GetBool(it, "mustChangePassword")
		case "lkbuser":
			s.profile, s.profileOrg, s.activeRole = true, dynamo.GetS(it, "orgId"), dynamo.GetN(it, "activeRole")
		case "bank":
			s.bank, s.bankOrg = true, dynamo.GetS(it, "orgId")
		case "session":
			if !dynamo.Expired(it, "expiresAt", now) {
				s.session, s.sessionUser, s.revoked = true, dynamo.GetS(it, "userId"), dynamo.GetS(it, "revoked")
				s.currentHash, s.sessionEpoch = dynamo.GetS(it, "currentHash"), dynamo.GetN(it, "epoch")
			}
		}
	}
	return s, nil
}
