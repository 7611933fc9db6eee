// Package identity is who calls and with which rights, for every kind of user: organisations
// and their users with roles, logins by password or by a one-time SMS code, sessions
// (short-lived access tokens and rotated refresh tokens with reuse detection), password
// recovery (A3) and change (A4) confirmed by SMS, lockout after failed logins, and the audit
// log. The service is plain Go over the Store interface (identitydb implements it).
package identity

import (
	"context"
	"errors"
	"time"
)

// OrgKind is what an organisation is to the bank.
type OrgKind string

const (
	AgentOrg      OrgKind = "agent"      // agents bringing business clients (seed 000)
	ClientOrg     OrgKind = "client"     // business clients
	LicenseeOrg   OrgKind = "licensee"   // paperless-office licensees (seed 002)
	SubscriberOrg OrgKind = "subscriber" // ISP / intercom platform (seed 001)
	BankOrg       OrgKind = "bank"       // the bank's own staff (seed 004)
)

// Role of a user within its organisation (A17).
type Role string

const (
	Superuser     Role = "superuser"     // the creator: everything, users and audit included
	Head          Role = "head"          // all of the organisation's records
	Administrator Role = "administrator" // the own group's records
	Member        Role = "user"          // own records
)

// User statuses (A15, A2).
const (
	StatusAwaitingActivation   = "awaiting_activation"   // registered, the bank has not activated it (A2)
	StatusAwaitingConfirmation = "awaiting_confirmation" // invited, has not logged in yet (A15)
	StatusActive               = "active"
	StatusBlocked              = "blocked"
	StatusRefused              = "refused"
)

// Org is an organisation; every record belongs to one.
type Org struct {
	ID        string
	Kind      OrgKind
	Name      string
	Status    string
	CreatedAt time.Time
}

// User is a person who logs in.
type User struct {
	ID                 string
	OrgID              string
	Role               Role
	GroupID            string
	Status             string
	FullName           string
	Email              string
	Phone              string // E.164
	Login              string // normalised: the phone, or a lower-case e-mail
	PasswordHash       string
	MustChangePassword bool
	SessionEpoch       int64 // bumped to end every session at once (block, password change)
	FailedLogins       int
	LockedUntil        time.Time
	CreatedAt          time.Time
	Version            int64
}

// Session is one logged-in device: a family of refresh tokens, each used once.
type Session struct {
	ID          string
	UserID      string
	OrgID       string
	Epoch       int64  // the user's SessionEpoch when it began
	CurrentHash string // hash of the one refresh token that is valid now
	UsedHashes  []string
	Revoked     string // why it ended ("" while alive)
	IP          string
	CreatedAt   time.Time
	RefreshedAt time.Time
	ExpiresAt   time.Time
}

// SessionTTL is how long a session lives without being refreshed.
const SessionTTL = 30 * 24 * time.Hour

// Challenge purposes.
const (
	PurposeLogin          = "login"           // log in by phone with a one-time code (B1, C11)
	PurposeRecovery       = "recovery"        // set a new password while logged out (A3)
	PurposePasswordChange = "password-change" // set a new password while logged in (A4)
)

// Challenge is a code sent by SMS that confirms one action.
type Challenge struct {
	ID              string
	Purpose         string
	UserID          string // "" for a decoy: the phone has no account, nothing is sent
	Phone           string
	CodeHash        string
	CodeUntil       time.Time
	Attempts        int
	SentAt          time.Time
	Sends           int
	NewPasswordHash string // recovery and change: applied on confirmation
	Done            bool
	IP              string
	CreatedAt       time.Time
	ExpiresAt       time.Time
	Version         int64
}

// AuditEntry records a security-relevant event of an organisation.
type AuditEntry struct {
	ID     string
	OrgID  string
	At     time.Time
	Action string // login, login_failed, password_changed, role_changed, blocked, unblocked, credential_created…
	Actor  string // user id ("" when unknown)
	Target string // the user or object acted on
	IP     string
	Detail string
}

// Actor is the caller of a client-API request: who acts, for which organisation, with
// which role, from which address. Domains act for it and check its rights.
type Actor struct {
	UserID, OrgID string
	Role          Role
	IP            string
}

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
)

// Store keeps identities, sessions, challenges and the audit log.
type Store interface {
	UserByLogin(ctx context.Context, login string) (User, error)
	User(ctx context.Context, id string) (User, error)
	Org(ctx context.Context, id string) (Org, error)
	// RecordLoginFailure sets the failure count and lock of a user.
	RecordLoginFailure(ctx context.Context, userID string, failures int, lockedUntil time.Time) error
	// RecordLoginSuccess clears failures and, if confirmInvitation, makes the user active.
	RecordLoginSuccess(ctx context.Context, userID string, confirmInvitation bool) error
	// SetPassword stores a new hash, clears must-change and bumps SessionEpoch (ending every
	// session); it returns the new epoch.
	SetPassword(ctx context.Context, userID, hash string) (int64, error)

	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, id string) (Session, error)
	// RotateSession replaces the current refresh hash if it is still oldHash (else ErrStale).
	RotateSession(ctx context.Context, id, oldHash, newHash string, at time.Time) error
	RevokeSession(ctx context.Context, id, reason string) error

	CreateChallenge(ctx context.Context, c Challenge) error
	Challenge(ctx context.Context, id string) (Challenge, error)
	// SaveChallenge writes c if its stored version is still c.Version, else ErrStale.
	SaveChallenge(ctx context.Context, c Challenge) error

	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog returns an organisation's entries, newest first, a page at a time.
	AuditLog(ctx context.Context, orgID, pageToken string, limit int) ([]AuditEntry, string, error)
}
