// Package apikeys manages the credentials machine callers use on the partner API: agent API
// credentials (A12: an app-id / shared-key pair for HTTP Basic, managed by an agent
// organisation's superuser or head) and partner keys (licensee systems sign requests with
// HMAC-SHA256, managed by a licensee organisation's superuser; two active at a time so a key
// can be rotated). A secret is shown once, when it is created: agent keys are stored as a
// SHA-256 hash, partner secrets sealed with AES-GCM (shared/apikeys/seal) because verifying
// an HMAC needs them. Every creation and revocation goes to the organisation's audit log.
// Authentication itself lives in shared/apikeys/keyauth.
package apikeys

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/apikeys/keyauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/seal"
)

// Kind is what a credential is for.
type Kind string

const (
	Agent   Kind = "agent"   // app-id / shared key, HTTP Basic (AgentKey scheme)
	Partner Kind = "partner" // key id / secret, HMAC-signed requests (PartnerHMAC scheme)
)

// Credential is an agent API credential or a partner key. Its ID is the app id or key id.
type Credential struct {
	ID           string
	Kind         Kind
	OrgID        string
	Status       string // keyauth.StatusActive or keyauth.StatusRevoked
	SecretHash   string // agent: hex SHA-256 of the shared key
	SecretSealed string // partner: the sealed secret
	CreatedAt    time.Time
	CreatedBy    string // user id
	LastUsedAt   time.Time
	RevokedAt    time.Time
	RevokedBy    string
	ExpiresAt    time.Time // set on revocation: the item is kept this long for the list
}

// Store errors.
var (
	ErrNotFound = errors.New("credential not found")
	ErrLimit    = errors.New("too many active credentials")
	ErrStale    = errors.New("credential changed by another request")
)

// Store keeps credentials (apikeysdb implements it).
type Store interface {
	// Create writes a new active credential if the organisation has fewer than maxActive
	// active ones of its kind, else ErrLimit.
	Create(ctx context.Context, c Credential, maxActive int) error
	Credential(ctx context.Context, kind Kind, id string) (Credential, error)
	// Revoke marks c revoked if it is still active (else ErrStale) and frees its place.
	Revoke(ctx context.Context, c Credential, by string, at, keepUntil time.Time) error
	// List returns an organisation's credentials of a kind, newest first, a page at a time.
	List(ctx context.Context, kind Kind, orgID, pageToken string, limit int) ([]Credential, string, error)
}

// Orgs reads organisations and writes the audit log (identitydb.Store).
type Orgs interface {
	Org(ctx context.Context, id string) (identity.Org, error)
	Audit(ctx context.Context, e identity.AuditEntry) error
}

// Policy holds the numbers.
type Policy struct {
	MaxActiveAgent   int
	MaxActivePartner int
	RevokedKept      time.Duration // how long a revoked credential stays in the list
}

// DefaultPolicy: five agent credentials (one per integration, say), two partner keys (the one
// in use and its successor during rotation).
var DefaultPolicy = Policy{MaxActiveAgent: 5, MaxActivePartner: 2, RevokedKept: 90 * 24 * time.Hour}

// Service creates, lists and revokes credentials.
type Service struct {
	Store  Store
	Orgs   Orgs
	Sealer *seal.Sealer // partner keys only
	Now    func() time.Time
	Policy Policy
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Actor is the logged-in user managing credentials.
type Actor struct {
	UserID, OrgID, Role, IP string
}

// rules says who manages a kind of credential and how many may be active.
type rules struct {
	orgKind   identity.OrgKind
	roles     []identity.Role
	notOrg    string
	notRole   string
	maxActive int
	noun      string // for messages and audit actions
}

func (s *Service) rules(kind Kind) rules {
	if kind == Partner {
		return rules{orgKind: identity.LicenseeOrg, roles: []identity.Role{identity.Superuser},
			notOrg:    "partner keys are for licensee organisations",
			notRole:   "only the organisation's superuser manages partner keys",
			maxActive: s.Policy.MaxActivePartner, noun: "partner_key"}
	}
	return rules{orgKind: identity.AgentOrg, roles: []identity.Role{identity.Superuser, identity.Head},
		notOrg:    "API credentials are for agent organisations",
		notRole:   "only the organisation's superuser or head manages API credentials",
		maxActive: s.Policy.MaxActiveAgent, noun: "api_credential"}
}

// authorize checks that a may manage credentials of kind.
func (s *Service) authorize(ctx context.Context, kind Kind, a Actor) (rules, error) {
	rl := s.rules(kind)
	if !slices.Contains(rl.roles, identity.Role(a.Role)) {
		return rl, apperr.New(apperr.Forbidden, rl.notRole)
	}
	org, err := s.Orgs.Org(ctx, a.OrgID)
	if errors.Is(err, identity.ErrNotFound) {
		return rl, apperr.New(apperr.Forbidden, rl.notOrg)
	}
	if err != nil {
		return rl, err
	}
	if org.Kind != rl.orgKind {
		return rl, apperr.New(apperr.Forbidden, rl.notOrg)
	}
	return rl, nil
}

// Issued is a new credential with its secret, shown this once.
type Issued struct {
	Credential
	Secret string
}

// newSecret returns 256 random bits, base64url (43 characters).
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Create issues a credential of kind for the actor's organisation.
func (s *Service) Create(ctx context.Context, kind Kind, a Actor) (Issued, error) {
	rl, err := s.authorize(ctx, kind, a)
	if err != nil {
		return Issued{}, err
	}
	secret, err := newSecret()
	if err != nil {
		return Issued{}, err
	}
	now := s.now()
	c := Credential{ID: ulid.Make().String(), Kind: kind, OrgID: a.OrgID, Status: keyauth.StatusActive, CreatedAt: now, CreatedBy: a.UserID}
	switch kind {
	case Agent:
		c.SecretHash = keyauth.HashSharedKey(secret)
	case Partner:
		if s.Sealer == nil {
			return Issued{}, errors.New("partner keys need PARTNER_KEY_SECRET")
		}
		if c.SecretSealed, err = s.Sealer.Seal(secret, c.ID); err != nil {
			return Issued{}, err
		}
	}
	if err := s.Store.Create(ctx, c, rl.maxActive); err != nil {
		if errors.Is(err, ErrLimit) {
			return Issued{}, apperr.Newf(apperr.Conflict, "the organisation already has %d active %s; revoke one first", rl.maxActive, plural(kind))
		}
		return Issued{}, fmt.Errorf("create %s: %w", rl.noun, err)
	}
	s.audit(ctx, identity.AuditEntry{OrgID: a.OrgID, Action: rl.noun + "_created", Actor: a.UserID, Target: c.ID, IP: a.IP})
	return Issued{Credential: c, Secret: secret}, nil
}

func plural(kind Kind) string {
	if kind == Partner {
		return "partner keys"
	}
	return "API credentials"
}

// List returns the organisation's credentials of kind, newest first.
func (s *Service) List(ctx context.Context, kind Kind, a Actor, pageToken string, limit int) ([]Credential, string, error) {
	if _, err := s.authorize(ctx, kind, a); err != nil {
		return nil, "", err
	}
	return s.Store.List(ctx, kind, a.OrgID, pageToken, limit)
}

// Revoke ends a credential of the actor's organisation at once. Another organisation's
// credential is reported as absent; revoking a revoked credential changes nothing.
func (s *Service) Revoke(ctx context.Context, kind Kind, a Actor, id string) error {
	rl, err := s.authorize(ctx, kind, a)
	if err != nil {
		return err
	}
	absent := apperr.Newf(apperr.NotFound, "no such %s", map[Kind]string{Agent: "API credential", Partner: "partner key"}[kind])
	if id == "" || len(id) > 64 {
		return absent
	}
	c, err := s.Store.Credential(ctx, kind, id)
	if errors.Is(err, ErrNotFound) || err == nil && c.OrgID != a.OrgID {
		return absent
	}
	if err != nil {
		return err
	}
	if c.Status != keyauth.StatusActive {
		return nil
	}
	now := s.now()
	switch err := s.Store.Revoke(ctx, c, a.UserID, now, now.Add(s.Policy.RevokedKept)); {
	case errors.Is(err, ErrStale): // revoked meanwhile
		return nil
	case err != nil:
		return fmt.Errorf("revoke %s: %w", rl.noun, err)
	}
	s.audit(ctx, identity.AuditEntry{OrgID: a.OrgID, Action: rl.noun + "_revoked", Actor: a.UserID, Target: c.ID, IP: a.IP})
	return nil
}

func (s *Service) audit(ctx context.Context, e identity.AuditEntry) {
	e.ID = ulid.Make().String()
	e.At = s.now()
	if err := s.Orgs.Audit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit entry lost", "action", e.Action, "target", e.Target, "error", err.Error())
	}
}
