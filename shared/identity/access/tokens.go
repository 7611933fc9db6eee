package access

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AccessTTL is how long an access token works; refresh tokens renew it.
const AccessTTL = 15 * time.Minute

// Role is a user's role name as carried in tokens (identity.Role).
type Role = string

// claims of an access token.
type claims struct {
	jwt.RegisteredClaims
	Org     string `json:"org"`
	Role    Role   `json:"role"`
	Epoch   int64  `json:"ep"`
	Limited string `json:"lim,omitempty"` // why only password change and logout are allowed
}

// Tokens signs and checks access tokens (HS256).
type Tokens struct {
	secret []byte
	now    func() time.Time
}

// NewTokens needs a secret of at least 32 bytes.
func NewTokens(secret string, now func() time.Time) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("token secret must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: []byte(secret), now: now}, nil
}

// Access is a verified access token.
type Access struct {
	UserID, OrgID, SessionID string
	Role                     Role
	Epoch                    int64
	Limited                  string
}

// Sign issues an access token.
func (t *Tokens) Sign(a Access) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(AccessTTL)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: "kabinet", Subject: a.UserID, ID: a.SessionID, Audience: jwt.ClaimStrings{"kabinet"},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
		},
		Org: a.OrgID, Role: a.Role, Epoch: a.Epoch, Limited: a.Limited,
	})
	s, err := tok.SignedString(t.secret)
	return s, exp, err
}

// Parse verifies an access token's signature, algorithm, issuer, audience and expiry.
func (t *Tokens) Parse(raw string) (Access, error) {
	var c claims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("kabinet"), jwt.WithAudience("kabinet"),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(t.now))
	if err != nil {
		return Access{}, err
	}
	if c.Subject == "" || c.ID == "" {
		return Access{}, errors.New("token lacks subject or session")
	}
	return Access{UserID: c.Subject, OrgID: c.Org, SessionID: c.ID, Role: c.Role, Epoch: c.Epoch, Limited: c.Limited}, nil
}

// NewRefresh returns a refresh token "<session id>.<secret>" and the hash stored for it.
func NewRefresh(sessionID string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	return sessionID + "." + secret, hashSecret(secret), nil
}

// SplitRefresh parses a refresh token into its session id and the hash of its secret.
func SplitRefresh(token string) (sessionID, hash string, ok bool) {
	sid, secret, found := strings.Cut(token, ".")
	if !found || sid == "" || len(secret) < 40 {
		return "", "", false
	}
	return sid, hashSecret(secret), true
}

// hashSecret: refresh secrets are 256-bit random, so a plain SHA-256 is enough to store them.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
