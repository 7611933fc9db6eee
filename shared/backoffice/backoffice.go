// Package backoffice is the bank's own cabinet (ЛКБ, seed 004): who the bank's staff are, their
// back-office roles with one active role each, and how they log in (E1). Bank staff are
// identity users of the one organisation of kind identity.BankOrg; each also has a back-office
// profile (employee id, roles, active role). Logins reuse identity's password check, lockout
// and rate limits; a back-office session is an identity session carried by the cookie JSESSION
// (shared/backoffice/boauth). The service is plain Go over the Store interface
// (backofficedb implements it) and identity's Service.
package backoffice

import (
	"context"
	"strconv"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
)

// RoleID is a back-office role (the seed's LkbRole id).
type RoleID int

// The bank's roles. The seed names two marks a role may carry: "Является подписантом" (its
// holders sign applications: GET /api/user/signer) and "Может брать в работу" (its holders take
// applications to work: GET /api/user/takers).
const (
	Administrator RoleID = 1 // staff accounts and settings
	Operator      RoleID = 2 // reviews applications and their documents
	Signer        RoleID = 3 // signs applications ("Является подписантом")
	Executor      RoleID = 4 // takes applications to work, records checks ("Может брать в работу")
)

// Role is the seed's LkbRole.
type Role struct {
	ID     RoleID `json:"id"`
	Name   string `json:"name"`
	Signer bool   `json:"signer"` // "Является подписантом"
	Taker  bool   `json:"taker"`  // "Может брать в работу"
}

// Roles is the catalogue of back-office roles, by id.
var Roles = map[RoleID]Role{
	Administrator: {ID: Administrator, Name: "Администратор"},
	Operator:      {ID: Operator, Name: "Операционист"},
	Signer:        {ID: Signer, Name: "Подписант", Signer: true},
	Executor:      {ID: Executor, Name: "Исполнитель", Taker: true},
}

// Profile is what the back office keeps of a bank user besides its identity.
type Profile struct {
	UserID     string
	OrgID      string // the bank's organisation
	EmployeeID string
	Roles      []RoleID
	ActiveRole RoleID
	CreatedAt  time.Time
}

// Has reports whether the profile holds role.
func (p Profile) Has(role RoleID) bool {
	for _, r := range p.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Member is a bank user with its profile.
type Member struct {
	User    identity.User
	Profile Profile
}

// Signs reports whether one of the member's roles signs applications.
func (m Member) Signs() bool {
	for _, r := range m.Profile.Roles {
		if Roles[r].Signer {
			return true
		}
	}
	return false
}

// Takes reports whether one of the member's roles takes applications to work.
func (m Member) Takes() bool {
	for _, r := range m.Profile.Roles {
		if Roles[r].Taker {
			return true
		}
	}
	return false
}

// Active reports whether the user may work (not blocked nor refused).
func (m Member) Active() bool {
	return m.User.Status != identity.StatusBlocked && m.User.Status != identity.StatusRefused
}

// Store keeps the bank's identity and the staff's back-office profiles.
type Store interface {
	// BankOrg returns the id of the bank's organisation (identity.ErrNotFound before Bootstrap).
	BankOrg(ctx context.Context) (string, error)
	Profile(ctx context.Context, userID string) (Profile, error)
	// Members lists the users of the bank's organisation that have a profile, by name.
	Members(ctx context.Context, bankOrg string) ([]Member, error)
	// SetActiveRole makes role the user's active role if the user holds it (else identity.ErrNotFound).
	SetActiveRole(ctx context.Context, userID string, role RoleID) error
	// BindSession replaces the current hash of a fresh identity session (still oldHash) by
	// the cookie's hash and sets when the session ends.
	BindSession(ctx context.Context, sessionID, oldHash, newHash string, expiresAt time.Time) error
}

// ActiveRoleOf reads the active role id a principal carries (boauth puts it in Roles).
func ActiveRoleOf(roles []string) RoleID {
	if len(roles) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(roles[0])
	return RoleID(n)
}
