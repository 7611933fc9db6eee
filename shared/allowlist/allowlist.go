// Package allowlist is an organisation's IP allowlist (D6, seed 003 "Проверка IP"): the
// addresses and networks its cabinet logins and API credentials may be used from. The
// superuser and heads add, search and delete entries; every member may see its own current
// address and whether the list admits it. An empty list admits every address. Enforcement
// lives where callers authenticate, through the small ipcheck package: identity refuses
// logins from outside the list with "Доступ запрещен" (after the password or code is
// verified) and e-mails the organisation's superusers, and keyauth refuses agent and partner
// API calls from outside it.
package allowlist

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
)

// MaxEntries is the most entries an organisation's list holds.
const MaxEntries = 100

// Entry is one allowed address or network of an organisation.
type Entry struct {
	ID        string
	OrgID     string
	Address   string // canonical text (ipcheck.Parse): "203.0.113.7", "203.0.113.0/24", "2001:db8::/32"
	Comment   string
	CreatedAt time.Time
	CreatedBy string // user id
}

// Store errors.
var (
	ErrNotFound     = errors.New("not found")
	ErrAddressTaken = errors.New("address already in the list")
	ErrFull         = errors.New("list full")
)

// Store keeps the entries.
type Store interface {
	// Add stores e unless its address is already in the organisation's list
	// (ErrAddressTaken) or the list holds max entries (ErrFull).
	Add(ctx context.Context, e Entry, max int) error
	// Entries returns an organisation's entries, newest first.
	Entries(ctx context.Context, orgID string) ([]Entry, error)
	// Delete removes an entry of the organisation and returns it (ErrNotFound).
	Delete(ctx context.Context, orgID, id string) (Entry, error)

	Audit(ctx context.Context, e identity.AuditEntry) error
}
