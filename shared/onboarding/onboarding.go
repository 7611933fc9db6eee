// Package onboarding is self-registration in the agent cabinet (A1): a person or company
// registers with a phone number, confirms it with a code sent by SMS, and gets an account
// whose temporary password is that code, to be changed at first login. The account then
// waits for the bank to activate it (A2).
//
// The service is plain Go: storage, the SMS outbox, rate limits and password hashing are
// interfaces, implemented over DynamoDB and SQS in onboardingdb and sms.
package onboarding

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
	"github.com/kabinet/kabinet/shared/sms"
)

// Kind is who registers.
type Kind string

const (
	Individual     Kind = "individual"      // физическое лицо
	LegalEntity    Kind = "legal_entity"    // юридическое лицо
	SoleProprietor Kind = "sole_proprietor" // индивидуальный предприниматель
)

// Kinds lists the valid kinds.
var Kinds = []Kind{Individual, LegalEntity, SoleProprietor}

// Status of a registration.
type Status string

const (
	Pending   Status = "pending"   // code sent, not confirmed
	Confirmed Status = "confirmed" // account created
)

// Registration is one attempt to register, from form to confirmation.
type Registration struct {
	ID        string
	Kind      Kind
	Phone     string // E.164
	FullName  string
	Email     string
	ConsentAt time.Time // when the personal-data policy was accepted
	IP        string
	Status    Status
	CodeHash  string // "" once used or invalidated
	CodeUntil time.Time
	Attempts  int       // wrong codes entered for the current code
	SentAt    time.Time // last code sent
	Sends     int       // codes sent so far
	UserID    string    // set when confirmed
	CreatedAt time.Time
	ExpiresAt time.Time // the record is dropped after this
	Version   int64
}

// Store errors.
var (
	ErrNotFound   = errors.New("not found")
	ErrStale      = errors.New("changed by another request")
	ErrPhoneTaken = errors.New("phone already has an account")
)

// Store keeps registrations and accounts.
type Store interface {
	PhoneTaken(ctx context.Context, phone string) (bool, error)
	CreateRegistration(ctx context.Context, r Registration) error
	// GetRegistration returns ErrNotFound for a missing or expired registration.
	GetRegistration(ctx context.Context, id string) (Registration, error)
	// SaveRegistration writes r if its stored version is still r.Version (then r.Version+1), else ErrStale.
	SaveRegistration(ctx context.Context, r Registration) error
	// Complete saves r (versioned like SaveRegistration) and creates org, its first user u and
	// the claim of u's login, all or nothing: ErrPhoneTaken if the phone has an account,
	// ErrStale if r changed.
	Complete(ctx context.Context, r Registration, org identity.Org, u identity.User) error
}

// Outbox queues SMS.
type Outbox interface {
	Send(ctx context.Context, m sms.Message) error
}

// Limiter enforces rate limits; it returns an apperr TooManyRequests error past a limit.
type Limiter interface {
	Allow(ctx context.Context, rule ratelimit.Rule, key string) error
}

// CodeHasher hashes one-time codes.
type CodeHasher interface {
	Hash(subject, code string) string
	Verify(subject, code, stored string) bool
}

// Policy holds the numbers of the flow.
type Policy struct {
	CodeTTL         time.Duration // how long a code works (≤ 10 min)
	ResendAfter     time.Duration // wait before another code (3 min, A1)
	MaxAttempts     int           // wrong codes before the code is void
	RegistrationTTL time.Duration
	PerPhone        ratelimit.Rule
	PerIP           ratelimit.Rule
}

// DefaultPolicy is the production policy.
var DefaultPolicy = Policy{
	CodeTTL:         10 * time.Minute,
	ResendAfter:     3 * time.Minute,
	MaxAttempts:     5,
	RegistrationTTL: 24 * time.Hour,
	PerPhone:        ratelimit.Rule{Name: "sms-phone", Limit: 5, Window: time.Hour, Message: "too many codes sent to this phone, try again later"},
	PerIP:           ratelimit.Rule{Name: "sms-ip", Limit: 20, Window: time.Hour, Message: "too many codes requested from this address, try again later"},
}
