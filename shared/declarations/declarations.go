// Package declarations is the bank's payment side of the agents' work in the back office
// (issue 5, seed 004 E11: agents, activeDeclarations, getDeclaration, modifyDeclaration): the
// list of agents, and the agents' declarations — the claims for the reward (A11) an agent earns
// when the bank opens the account of one of its applications — which the bank corrects, pays
// and closes.
//
// Decisions:
//   - An agent is an agent organisation (identity.AgentOrg), not one of its users: its id is
//     the organisation id (the agents' acts, POST /api/act/{agent}/…, name agents so), fio is
//     the organisation's name (the registrant's full name: an agent organisation is founded by
//     the person who registers it, A1) and login its founding superuser's login (the phone).
//     The list is bank-wide without a Scan (identitydb's AGENTORGS index, agents.go there),
//     name order, at most MaxAgents.
//   - A declaration exists for every application whose account was opened with a reward
//     accrued (rewards' APP#<id> / REWARD item): the reward is what the bank owes the agent.
//     Other applications have none (404). Its id is the application id; fictive is always
//     false (every declaration comes from a real application).
//   - Active = not closed by the bank (declaration_is_closed false). The reward item sits on a
//     sparse index while its declaration is open (rewardsdb's declindex.go); closing takes it
//     off, reopening puts it back. The list is newest accrual first, at most MaxActive (the
//     seed gives no paging); searchStr is an application id, else digits as an INN prefix or
//     the application's number, else a part of the company's short name (any case); product
//     is an id of GET /api/product.
//   - The bank's corrections (modifyDeclaration) are the declaration's own, kept on a
//     DECLARATION item of the application with a version (optimistic locking) and a history
//     entry per change (who, when, each field's old and new value): paymentsum (a string of
//     roubles, "1234.56" or "1234,56", kept as integer kopecks), paymentdate,
//     declaration_is_closed, and appcreate / appopendate, the dates the declaration shows for
//     the application's creation and the account's opening (the application's own until
//     corrected; "" restores them). selectedStatus does not change the application's status:
//     that goes through the status model (POST /api/application/{applicationid}/step/{action},
//     shared/review); it must name the application's current status (unchanged, 200) or it is
//     a 409.
//   - Dates are Moscow days, 2006-01-02 (02.01.2006 and RFC 3339 are accepted on input); money
//     in answers is roubles with two decimals ("1500.00"), with the kopecks alongside.
package declarations

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/rewards"
)

// Bounds of the lists (the seed pages neither).
const (
	// MaxAgents bounds GET /api/agent: a few hundred agent organisations are usual.
	MaxAgents = 5000
	// MaxActive bounds GET /api/declaration/active: the newest open declarations first.
	MaxActive = 500
	// maxSearch bounds searchStr.
	maxSearch = 200
)

// Record is the bank's own data of a declaration (the DECLARATION item): zero until first
// modified (Version 0).
type Record struct {
	ApplicationID  string
	Version        int64
	PaymentKopecks *int64 // nil: not paid yet
	PaymentDate    string // Moscow day, "" when none
	Closed         bool
	ClosedAt       time.Time
	ClosedBy       string
	AppCreateDate  string // the bank's correction of the application's creation day ("" = the application's)
	AppOpenDate    string // the bank's correction of the account's opening day ("" = the application's)
	UpdatedAt      time.Time
	UpdatedBy      string
}

// FieldChange is one field a modification changed, its values as the answer shows them.
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Change is one modification: the history and audit of a declaration.
type Change struct {
	At     time.Time
	By     string // bank user id
	Fields []FieldChange
}

// Filter selects open declarations.
type Filter struct {
	INNPrefix string // digits
	Number    int64  // the application's number in its organisation; 0 = none
	NamePart  string // lower-case, spaces collapsed: a part of the short name
	Product   string // the rewards catalogue's code; "" = any
}

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
)

// Store keeps declarations (declarationsdb).
type Store interface {
	// Open returns the rewards of open declarations matching f, newest accrual first, at most
	// limit.
	Open(ctx context.Context, f Filter, limit int) ([]rewards.Reward, error)
	// Reward returns the reward of an application and whether its declaration is open
	// (ErrNotFound when none was accrued).
	Reward(ctx context.Context, applicationID string) (r rewards.Reward, open bool, err error)
	// Records reads the bank's data of declarations; ids without any are absent.
	Records(ctx context.Context, applicationIDs []string) (map[string]Record, error)
	// History returns a declaration's changes, oldest first.
	History(ctx context.Context, applicationID string) ([]Change, error)
	// Save writes rec (rec.Version the new one) when the stored version is rec.Version-1 (none
	// stored for 0), with its history entry c, and puts the reward r on the open declarations'
	// index or takes it off as rec.Closed says, in one transaction; else ErrStale.
	Save(ctx context.Context, rec Record, c Change, r rewards.Reward) error
}

// Apps reads applications of every organisation (applicationsdb.Store).
type Apps interface {
	Get(ctx context.Context, id string) (applications.Application, error)
	ByIDs(ctx context.Context, ids []string) ([]applications.Application, error)
}

// Agents reads the agent organisations (identitydb.Store).
type Agents interface {
	AgentOrgs(ctx context.Context, max int) ([]identitydb.AgentOrg, bool, error)
	AgentOrgsByID(ctx context.Context, ids []string) (map[string]identitydb.AgentOrg, error)
}

// Docs reads an application's documents (appdocsdb.Docs).
type Docs interface {
	List(ctx context.Context, applicationID string) ([]appdocs.Document, int64, error)
}

// Statuses gives the status model (review.Service), for the statuses' ids and names.
type Statuses interface {
	Model(ctx context.Context) (review.Model, error)
}

// Catalogue is the rewards catalogue (rewards.Products): the products' names and ids.
type Catalogue interface {
	Get(ctx context.Context) (rewards.Catalogue, error)
}

// Service serves agents and declarations.
type Service struct {
	Store     Store
	Apps      Apps
	Agents    Agents
	Docs      Docs
	Statuses  Statuses
	Catalogue Catalogue
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Agent is one agent organisation (seed 004's Agent: id, fio, login).
type Agent struct {
	ID     string `json:"id"`    // the organisation id
	FIO    string `json:"fio"`   // the organisation's name: its founder's full name
	Login  string `json:"login"` // the founding superuser's login
	Status string `json:"status"`
}

// AgentList returns every agent organisation, in name order (at most MaxAgents).
func (s *Service) AgentList(ctx context.Context) ([]Agent, error) {
	orgs, truncated, err := s.Agents.AgentOrgs(ctx, MaxAgents)
	if err != nil {
		return nil, err
	}
	if truncated {
		slog.WarnContext(ctx, "the agent list is cut at its bound: page it", "max", MaxAgents)
	}
	out := make([]Agent, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, agentOf(o))
	}
	return out, nil
}

func agentOf(o identitydb.AgentOrg) Agent {
	return Agent{ID: o.ID, FIO: o.Name, Login: o.FounderLogin, Status: o.Status}
}
