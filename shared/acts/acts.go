// Package acts is the bank's acts of payment to agents (seed 004 createAgentAct and actList,
// E11; the agents' rewards of A11 are what the bank pays by them): a bank user records that an
// agent organisation was paid a sum for a product and a month, with an optional scan of the
// signed act, and anyone of the bank lists them by agent and product.
//
// An act names:
//   - its agent by the agent ORGANISATION's id (the contract with GET /api/agent of the
//     declarations): 404 when no agent organisation has it. The act keeps the agent as it was
//     when made: fio is the organisation's name, login its superuser's login;
//   - its product by the id of the back office's product directory (shared/products: the
//     FNV number of a rewards catalogue code), withdrawn products included; the act keeps its
//     code and name;
//   - the sum as integer kopecks (the path's "1234.56" or "1234,56"), the period as a month
//     YYYY-MM ("2026-10" or "10.2026"), the payment date as YYYY-MM-DD ("2026-11-05" or
//     "05.11.2026");
//   - a number: the bank-wide sequence formatted "A-000123" (an atomic counter, so numbers are
//     unique and grow; a create that fails after taking one leaves a gap);
//   - the id of its file, a generic binary object (shared/binaries) attached to the act, so it
//     may be replaced (PATCH /api/binary/{id}) but not deleted.
//
// A create carrying an Idempotency-Key runs once (httpapi); without it two posts make two acts:
// the seed does not say a month's act is unique (instalments, corrections).
package acts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kabinet/kabinet/shared/binaries"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/rewards"
)

// Agent is an agent organisation as an act shows it (the seed's Agent).
type Agent struct {
	ID    string // the organisation's id
	Name  string // fio: the organisation's name
	Login string // its superuser's login ("" when it has none)
}

// Product is the product of an act (the seed's Product and the catalogue's code).
type Product struct {
	ID   int64 // products.Number(Code)
	Code string
	Name string
}

// Act is one act of payment.
type Act struct {
	ID             string // ULID
	Number         int64
	Agent          Agent
	Product        Product
	PaymentKopecks int64
	Period         string // YYYY-MM
	PaymentDate    string // YYYY-MM-DD (Moscow calendar date)
	BinaryID       string // the act's file, "" when none
	CreatedBy      string // bank user id
	CreatedAt      time.Time
}

// Label is the act's number as the seed shows it.
func (a Act) Label() string { return Label(a.Number) }

// Label formats an act number: "A-" and at least six digits.
func Label(n int64) string { return fmt.Sprintf("A-%06d", n) }

// Filter selects acts of a list; zero values select all.
type Filter struct {
	AgentID   string
	ProductID int64
}

// MaxList bounds a list: the newest acts first, at most this many (the seed has no paging).
const MaxList = 500

// ErrNotFound is a store's "no such item".
var ErrNotFound = errors.New("not found")

// Store keeps the acts.
type Store interface {
	// NextNumber takes the next act number, bank-wide.
	NextNumber(ctx context.Context) (int64, error)
	// Create writes a new act.
	Create(ctx context.Context, a Act) error
	// List returns the acts f selects, newest (highest number) first, at most limit.
	List(ctx context.Context, f Filter, limit int) ([]Act, error)
}

// Orgs reads organisations and their superusers (identitydb.Store).
type Orgs interface {
	Org(ctx context.Context, id string) (identity.Org, error)
	Superusers(ctx context.Context, orgID string) ([]identity.User, error)
}

// Catalogue is the rewards product catalogue (rewards.Products).
type Catalogue interface {
	Get(ctx context.Context) (rewards.Catalogue, error)
}

// Files keeps the acts' files (binaries.Service).
type Files interface {
	CreateAttached(ctx context.Context, actor, attachedTo, name, mimetype string, body []byte) (binaries.Object, error)
}
