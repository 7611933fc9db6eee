// Package members manages the people of an organisation (A13–A17): groups with unique names,
// users invited with login details by SMS and e-mail, their statuses (awaiting confirmation,
// active, blocked, refused), search by name and filters by status and group, and the roles
// that scope what each may manage: the superuser (creator) and heads manage everyone,
// administrators the users of their own group. It also activates an agent organisation once
// the bank has signed the contract (A2).
package members

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/sms"
)

// Group is a named set of users of one organisation (A13).
type Group struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
}

// Filter selects users (A16).
type Filter struct {
	NamePrefix string // case-insensitive
	Status     string
	GroupID    string
}

// Store errors.
var (
	ErrNotFound   = errors.New("not found")
	ErrNameTaken  = errors.New("group name taken")
	ErrLoginTaken = errors.New("login taken")
	ErrStale      = errors.New("changed by another request")
)

// Store keeps groups and users.
type Store interface {
	CreateGroup(ctx context.Context, g Group) error // ErrNameTaken
	Groups(ctx context.Context, orgID string) ([]Group, error)
	Group(ctx context.Context, orgID, id string) (Group, error)

	CreateUser(ctx context.Context, u identity.User) error // ErrLoginTaken
	User(ctx context.Context, id string) (identity.User, error)
	// SaveUser writes u if its stored version is still u.Version (then +1), else ErrStale.
	SaveUser(ctx context.Context, u identity.User) error
	Users(ctx context.Context, orgID string, f Filter, pageToken string, limit int) ([]identity.User, string, error)

	Org(ctx context.Context, id string) (identity.Org, error)
	// Activate makes an organisation and its users waiting for activation active (A2).
	Activate(ctx context.Context, orgID string) (int, error)

	Audit(ctx context.Context, e identity.AuditEntry) error
}

// SMS and Mail queue messages.
type (
	SMS interface {
		Send(ctx context.Context, m sms.Message) error
	}
	Mail interface {
		Send(ctx context.Context, m email.Message) error
	}
)
