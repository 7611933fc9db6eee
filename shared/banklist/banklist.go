// Package banklist is the bank's view of the applications of every organisation (seed 004,
// E2): one application, the list with the seed's filter object (limit/offset, substring =
// INN prefix, application id or client name prefix, creation and close dates, annulPeriod,
// signers, takers, offices, statusid, work), its count, the counts per status, and each bank
// user's saved filter. The records are shared/applications' (the ones agents submit); the
// bank-wide indexes and counters are applicationsdb's (bankindex.go, bankcounts.go,
// banklist.go). The steps a caller may take come from the status model through Actions; the
// one application's view also carries its ABS check runs ("checks", through Checks).
package banklist

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// Limits of a list request.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	// MaxOffset bounds what a page may skip: an offset walks index keys (~300 bytes each, so
	// 10 000 cost ~375 RCU); deeper pages need a narrower filter.
	MaxOffset = 10_000
	// MaxAnnulPeriod is the longest annulPeriod, in days.
	MaxAnnulPeriod = 3660
)

// Apps reads applications for the bank (applicationsdb.Store).
type Apps interface {
	Get(ctx context.Context, id string) (applications.Application, error)
	BankList(ctx context.Context, f applications.BankFilter, offset, limit int) ([]applications.Application, error)
	BankCount(ctx context.Context, f applications.BankFilter) (int64, error)
	BankStatusCounts(ctx context.Context) (map[string]int64, error)
}

// ActionInfo is one step of the status model the caller may take on an application (seed
// 004's ActionInfo): its id is the {action} of POST /api/application/{applicationid}/step/{action}.
type ActionInfo struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	StatusID int    `json:"statusid,omitempty"` // the status it leads to
}

// Actions tells the steps caller may take on app: the status model (shared/review) plugs in
// here (wire.Service sets Service.Actions); nil gives none.
type Actions interface {
	Actions(ctx context.Context, app applications.Application, caller httpapi.Principal) ([]ActionInfo, error)
}

// Directory names the people of a page: users (agents' and the bank's) and organisations.
type Directory interface {
	Names(ctx context.Context, userIDs, orgIDs []string) (users, orgs map[string]string, err error)
}

// Filters keeps each bank user's saved filter (raw JSON of a Request).
type Filters interface {
	SaveFilter(ctx context.Context, userID string, raw []byte, at time.Time) error
	Filter(ctx context.Context, userID string) ([]byte, error) // nil when none saved
}

// Service serves the bank's lists.
type Service struct {
	Apps      Apps
	Directory Directory
	Filters   Filters
	Actions   Actions // nil: no actions until the status model is wired
	Checks    Checks  // nil: the application's view has no "checks"
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Request is seed 004's filter object (applicationList, applicationCount, saveFilter).
// Dates are Moscow dates, "2006-01-02" or "02.01.2006" (an RFC 3339 time is taken as its
// Moscow date); to-dates are inclusive.
type Request struct {
	Limit         *int     `json:"limit,omitempty"`
	Offset        *int     `json:"offset,omitempty"`
	Substring     string   `json:"substring,omitempty"`
	DateFrom      string   `json:"datefrom,omitempty"`
	DateTo        string   `json:"dateto,omitempty"`
	CloseDateFrom string   `json:"closedatefrom,omitempty"`
	CloseDateTo   string   `json:"closedateto,omitempty"`
	AnnulPeriod   int      `json:"annulPeriod,omitempty"` // days: life date within that many days from now
	Signers       []string `json:"signers,omitempty"`
	Takers        []string `json:"takers,omitempty"`
	Offices       []string `json:"offices,omitempty"`
	StatusID      []int    `json:"statusid,omitempty"`
	Work          int      `json:"work,omitempty"` // 0 any, 1 taken to work, 2 not taken
}

// Validate checks the shape; Filter checks the values.
func (q *Request) Validate() error {
	f := apperr.Fields{}
	if q.Limit != nil {
		f.Check(*q.Limit >= 1 && *q.Limit <= MaxLimit, "limit", "from 1 to 100")
	}
	if q.Offset != nil {
		f.Check(*q.Offset >= 0 && *q.Offset <= MaxOffset, "offset", "from 0 to 10000; narrow the filter for deeper pages")
	}
	f.Check(len([]rune(q.Substring)) <= 200, "substring", "at most 200 characters")
	f.Check(q.AnnulPeriod >= 0 && q.AnnulPeriod <= MaxAnnulPeriod, "annulPeriod", "days, from 0 to 3660")
	f.Check(q.Work >= 0 && q.Work <= 2, "work", "0 (any), 1 (taken to work) or 2 (not taken)")
	for name, l := range map[string][]string{"signers": q.Signers, "takers": q.Takers, "offices": q.Offices} {
		f.Check(len(l) <= 50, name, "at most 50 values")
	}
	f.Check(len(q.StatusID) <= 50, "statusid", "at most 50 values")
	return f.Err()
}

var (
	digits = regexp.MustCompile(`^[0-9]{1,12}$`)
	ulidRe = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`)
)

// Filter turns the request into the store's filter (400 on a bad value).
func (q Request) Filter(now time.Time) (applications.BankFilter, error) {
	var f applications.BankFilter
	bad := apperr.Fields{}
	// substring: an application id (the bank's "номер заявки": what its paths call
	// applicationid), else digits as an INN prefix, else a client short-name prefix.
	switch sub := strings.TrimSpace(q.Substring); {
	case sub == "":
	case ulidRe.MatchString(strings.ToUpper(sub)):
		f.ID = strings.ToUpper(sub)
	case digits.MatchString(sub):
		f.INNPrefix = sub
	default:
		f.NamePrefix = sub
	}
	dates := func(name, from, to string, dFrom, dTo *time.Time) {
		if from != "" {
			t, ok := moscow.ParseDay(from)
			bad.Check(ok, name+"from", "a date, 2006-01-02 or 02.01.2006")
			*dFrom = t
		}
		if to != "" {
			t, ok := moscow.ParseDay(to)
			bad.Check(ok, name+"to", "a date, 2006-01-02 or 02.01.2006")
			if ok {
				*dTo = t.AddDate(0, 0, 1) // inclusive day: up to the next midnight
			}
		}
		if !dFrom.IsZero() && !dTo.IsZero() && !dFrom.Before(*dTo) {
			bad.Add(name+"to", "not before "+name+"from")
		}
	}
	dates("date", q.DateFrom, q.DateTo, &f.CreatedFrom, &f.CreatedTo)
	dates("closedate", q.CloseDateFrom, q.CloseDateTo, &f.ClosedFrom, &f.ClosedTo)
	if q.AnnulPeriod > 0 {
		f.LifeTo = now.Add(time.Duration(q.AnnulPeriod) * 24 * time.Hour)
	}
	byID := map[int]string{}
	for code, id := range applications.StatusIDs {
		byID[id] = code
	}
	for _, id := range q.StatusID {
		code, ok := byID[id]
		if !ok {
			bad.Add("statusid", "unknown status id")
			continue
		}
		if !slices.Contains(f.Statuses, code) {
			f.Statuses = append(f.Statuses, code)
		}
	}
	clean := func(name string, in []string) []string {
		var out []string
		for _, v := range in {
			v = strings.TrimSpace(v)
			bad.Check(v != "" && len(v) <= 100, name, "non-empty values of at most 100 characters")
			if v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	f.Signers, f.Takers, f.Offices = clean("signers", q.Signers), clean("takers", q.Takers), clean("offices", q.Offices)
	f.Work = q.Work
	return f, bad.Err()
}

// Item is one entry of the list (seed 004: application, actions, infos).
type Item struct {
	Application View         `json:"application"`
	Actions     []ActionInfo `json:"actions"`
	Infos       []RoleInfo   `json:"infos"`
	Checks      any          `json:"checks,omitempty"` // one application's view only: its check runs (Checks)
}

// RoleInfo is seed 004's AppItemRoleInfo as we define it: a bank user holding a role on the
// application ("taker": took it to work; "signer": signs it).
type RoleInfo struct {
	Role    string `json:"role"`
	UserID  string `json:"userId"`
	UserFio string `json:"userFio"`
}

// Get returns one application as the bank sees it (404 when unknown).
func (s *Service) Get(ctx context.Context, caller httpapi.Principal, id string) (Item, error) {
	a, err := s.Apps.Get(ctx, id)
	if err == applications.ErrNotFound {
		return Item{}, apperr.New(apperr.NotFound, "no such application")
	}
	if err != nil {
		return Item{}, err
	}
	items, err := s.items(ctx, caller, []applications.Application{a})
	if err != nil {
		return Item{}, err
	}
	if s.Checks != nil {
		if items[0].Checks, err = s.Checks.CheckRuns(ctx, a.ID); err != nil {
			return Item{}, err
		}
	}
	return items[0], nil
}

// List returns a page of the applications matching q.
func (s *Service) List(ctx context.Context, caller httpapi.Principal, q Request) ([]Item, error) {
	f, err := q.Filter(s.now())
	if err != nil {
		return nil, err
	}
	limit, offset := DefaultLimit, 0
	if q.Limit != nil {
		limit = *q.Limit
	}
	if q.Offset != nil {
		offset = *q.Offset
	}
	apps, err := s.Apps.BankList(ctx, f, offset, limit)
	if err != nil {
		return nil, err
	}
	return s.items(ctx, caller, apps)
}

// Count counts the applications matching q (limit and offset do not apply).
func (s *Service) Count(ctx context.Context, q Request) (int64, error) {
	f, err := q.Filter(s.now())
	if err != nil {
		return 0, err
	}
	return s.Apps.BankCount(ctx, f)
}

// StatusCount is one status with how many applications it holds.
type StatusCount struct {
	ID    int    `json:"id"` // applications.StatusIDs; 0 for a status without one
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// statusNames are the built-in statuses' names until the status model names them.
var statusNames = map[string]string{
	applications.StatusDraft: "Черновик", applications.StatusSubmitted: "Отправлена в банк", applications.StatusInReview: "На рассмотрении",
	applications.StatusRework: "На доработке", applications.StatusAccountReserved: "Счёт зарезервирован", applications.StatusAccountOpened: "Счёт открыт",
	applications.StatusRejected: "Отклонена", applications.StatusAnnulled: "Аннулирована",
}

// StatusCounts returns every built-in status (and any other that holds applications) with
// its count, from the bank-wide counters.
func (s *Service) StatusCounts(ctx context.Context) ([]StatusCount, error) {
	counts, err := s.Apps.BankStatusCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]StatusCount, 0, len(applications.Statuses))
	for _, code := range applications.Statuses {
		out = append(out, StatusCount{ID: applications.StatusIDs[code], Code: code, Name: statusNames[code], Count: counts[code]})
	}
	var extra []string
	for code, n := range counts {
		if _, ok := applications.StatusIDs[code]; !ok && n != 0 {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		out = append(out, StatusCount{Code: code, Name: code, Count: counts[code]})
	}
	return out, nil
}

// SaveFilter keeps the user's filter (validated as a list request would be).
func (s *Service) SaveFilter(ctx context.Context, userID string, q Request) (Request, error) {
	if _, err := q.Filter(s.now()); err != nil {
		return Request{}, err
	}
	raw, err := json.Marshal(q)
	if err != nil {
		return Request{}, err
	}
	return q, s.Filters.SaveFilter(ctx, userID, raw, s.now())
}

// Filter returns the user's saved filter (empty when none).
func (s *Service) Filter(ctx context.Context, userID string) (Request, error) {
	raw, err := s.Filters.Filter(ctx, userID)
	if err != nil || raw == nil {
		return Request{}, err
	}
	var q Request
	err = json.Unmarshal(raw, &q)
	return q, err
}

// items adds to each application its actions, role infos and the names of its organisation
// and agent: one read of the directory per page.
func (s *Service) items(ctx context.Context, caller httpapi.Principal, apps []applications.Application) ([]Item, error) {
	var users, orgs []string
	for _, a := range apps {
		users = append(users, a.CreatedBy)
		if a.Bank.TakerID != "" {
			users = append(users, a.Bank.TakerID)
		}
		users = append(users, a.Bank.Signers...)
		orgs = append(orgs, a.OrgID)
	}
	slices.Sort(users)
	slices.Sort(orgs)
	userNames, orgNames, err := s.Directory.Names(ctx, slices.Compact(users), slices.Compact(orgs))
	if err != nil {
		return nil, err
	}
	out := make([]Item, 0, len(apps))
	for _, a := range apps {
		it := Item{Application: view(a, orgNames[a.OrgID], userNames[a.CreatedBy]), Actions: []ActionInfo{}, Infos: []RoleInfo{}}
		if s.Actions != nil {
			acts, err := s.Actions.Actions(ctx, a, caller)
			if err != nil {
				return nil, err
			}
			if acts != nil {
				it.Actions = acts
			}
		}
		if a.Bank.TakerID != "" {
			it.Infos = append(it.Infos, RoleInfo{Role: "taker", UserID: a.Bank.TakerID, UserFio: userNames[a.Bank.TakerID]})
		}
		for _, id := range a.Bank.Signers {
			it.Infos = append(it.Infos, RoleInfo{Role: "signer", UserID: id, UserFio: userNames[id]})
		}
		out = append(out, it)
	}
	return out, nil
}
