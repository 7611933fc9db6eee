package rewards

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// Reward is the reward accrued for one application's opened account.
type Reward struct {
	ApplicationID string
	OrgID         string
	Month         string // the Moscow month of AccruedAt, 2006-01
	Number        int64  // the application's number in its organisation (0 when it had none)
	INN           string
	ShortName     string
	Product       string
	ProductName   string
	AmountKopecks int64
	AccruedAt     time.Time
	CreatedBy     string // the application's author and group: the role scope (A17)
	GroupID       string
}

// Total is a sum of rewards.
type Total struct {
	AmountKopecks int64
	Count         int64
}

// Filter selects an organisation's rewards of a month.
type Filter struct {
	INNPrefix  string // digits
	NamePrefix string // lower-case, spaces collapsed; matches the short name
	CreatedBy  string // scope of a plain user
	GroupID    string // scope of an administrator
}

// ErrNotFound is the store's "no such reward".
var ErrNotFound = errors.New("not found")

// Store reads rewards; they are written with the application change that opens the account
// (applications.Store.Save).
type Store interface {
	// List returns a page of orgID's rewards of month matching f, newest first.
	List(ctx context.Context, orgID, month string, f Filter, pageToken string, limit int) ([]Reward, string, error)
	// Sum adds up orgID's rewards of month matching f (every one of them).
	Sum(ctx context.Context, orgID, month string, f Filter) (Total, error)
	// Total reads orgID's running total of month, kept on write.
	Total(ctx context.Context, orgID, month string) (Total, error)
	// Get returns the reward of an application (ErrNotFound).
	Get(ctx context.Context, applicationID string) (Reward, error)
}

// Applications reads an application for a reward's detail.
type Applications interface {
	Get(ctx context.Context, id string) (applications.Application, error)
}

// Service reads the rewards of the caller's organisation (A11).
type Service struct {
	Store        Store
	Applications Applications
	Users        applications.Users
	Now          func() time.Time
}

// Actor is the caller.
type Actor = identity.Actor

const monthLayout = "2006-01"

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Query is a list request.
type Query struct {
	Month string // 2006-01; "" = the current Moscow month
	Q     string // an INN prefix when all digits, else a short-name prefix (any case)
}

// Page is a month's rewards the caller sees: the total of them all and one page.
type Page struct {
	Month string
	Total Total
	Items []Reward
	Next  string
}

// List returns the month's rewards the caller may see with their total. The head and the
// superuser without a search read the organisation's running total (one item); a scoped
// caller or a search sums the rewards it sees, at most one organisation-month of them.
func (s *Service) List(ctx context.Context, a Actor, q Query, pageToken string, limit int) (Page, error) {
	month := strings.TrimSpace(q.Month)
	if month == "" {
		month = s.now().In(moscow.Zone).Format(monthLayout)
	} else if m, err := time.Parse(monthLayout, month); err != nil || m.Format(monthLayout) != month {
		return Page{}, apperr.InvalidField("month", "must be a month, e.g. 2026-11")
	}
	sc, err := s.scope(ctx, a)
	if err != nil {
		return Page{}, err
	}
	f := Filter{CreatedBy: sc.createdBy, GroupID: sc.groupID}
	text := strings.Join(strings.Fields(q.Q), " ")
	switch {
	case text == "":
	case digits(text):
		if len(text) > 12 {
			return Page{}, apperr.InvalidField("q", "an INN has at most 12 digits")
		}
		f.INNPrefix = text
	default:
		if utf8.RuneCountInString(text) > 100 {
			return Page{}, apperr.InvalidField("q", "must be at most 100 characters")
		}
		f.NamePrefix = strings.ToLower(text)
	}
	items, next, err := s.Store.List(ctx, a.OrgID, month, f, pageToken, limit)
	if err != nil {
		return Page{}, err
	}
	var total Total
	if f == (Filter{}) {
		total, err = s.Store.Total(ctx, a.OrgID, month)
	} else {
		total, err = s.Store.Sum(ctx, a.OrgID, month, f)
	}
	if err != nil {
		return Page{}, err
	}
	return Page{Month: month, Total: total, Items: items, Next: next}, nil
}

var errNotFound = apperr.New(apperr.NotFound, "no reward for this application")

// Get returns the reward of an application the caller may see, with the application; an
// application without a reward, outside the caller's scope or of another organisation is
// "not found".
func (s *Service) Get(ctx context.Context, a Actor, applicationID string) (Reward, applications.Application, error) {
	if _, err := ulid.ParseStrict(applicationID); err != nil {
		return Reward{}, applications.Application{}, errNotFound
	}
	sc, err := s.scope(ctx, a)
	if err != nil {
		return Reward{}, applications.Application{}, err
	}
	r, err := s.Store.Get(ctx, applicationID)
	if errors.Is(err, ErrNotFound) {
		return Reward{}, applications.Application{}, errNotFound
	}
	if err != nil {
		return Reward{}, applications.Application{}, err
	}
	if r.OrgID != a.OrgID || (sc.createdBy != "" && r.CreatedBy != sc.createdBy) || (sc.groupID != "" && r.GroupID != sc.groupID) {
		return Reward{}, applications.Application{}, errNotFound
	}
	app, err := s.Applications.Get(ctx, applicationID)
	if err != nil {
		return Reward{}, applications.Application{}, fmt.Errorf("read the rewarded application: %w", err)
	}
	return r, app, nil
}

// scope is what of the organisation a caller sees (A17), as of the applications.
type scope struct{ createdBy, groupID string }

func (s *Service) scope(ctx context.Context, a Actor) (scope, error) {
	switch a.Role {
	case identity.Superuser, identity.Head:
		return scope{}, nil
	case identity.Administrator:
		caller, err := s.Users.User(ctx, a.UserID)
		if err != nil {
			return scope{}, fmt.Errorf("read caller: %w", err)
		}
		if caller.GroupID != "" {
			return scope{groupID: caller.GroupID}, nil
		}
	}
	return scope{createdBy: a.UserID}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
