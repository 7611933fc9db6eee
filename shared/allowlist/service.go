package allowlist

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/allowlist/ipcheck"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Service manages IP allowlists.
type Service struct {
	Store Store
	Now   func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Actor is the caller: who acts, for which organisation, with which role, from where.
type Actor = identity.Actor

var errNoRight = apperr.New(apperr.Forbidden, "your role does not allow this")

// manages tells whether a may change and search the list: the superuser and heads.
func manages(a Actor) bool { return a.Role == identity.Superuser || a.Role == identity.Head }

// Entries lists the organisation's entries, newest first; q, when set, keeps those whose
// address starts with q, whose comment contains q (any case), or, when q is an address,
// whose network contains it (the seed: an address that is in the list shows up).
func (s *Service) Entries(ctx context.Context, a Actor, q string) ([]Entry, error) {
	if !manages(a) {
		return nil, errNoRight
	}
	all, err := s.Store.Entries(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return all, nil
	}
	lq := strings.ToLower(q)
	ip, isIP := ipcheck.Addr(q)
	out := make([]Entry, 0, len(all))
	for _, e := range all {
		match := strings.HasPrefix(e.Address, lq) || strings.Contains(strings.ToLower(e.Comment), lq)
		if !match && isIP {
			p, _, err := ipcheck.Parse(e.Address)
			match = err == nil && p.Contains(ip)
		}
		if match {
			out = append(out, e)
		}
	}
	return out, nil
}

// Add puts an address or network on the list.
func (s *Service) Add(ctx context.Context, a Actor, address, comment string) (Entry, error) {
	if !manages(a) {
		return Entry{}, errNoRight
	}
	f := apperr.Fields{}
	_, canonical, err := ipcheck.Parse(address)
	f.Check(err == nil, "address", "must be an IPv4 or IPv6 address or a network in CIDR notation, e.g. 203.0.113.7 or 203.0.113.0/24")
	comment = strings.Join(strings.Fields(comment), " ")
	f.Check(utf8.RuneCountInString(comment) <= 200, "comment", "must be at most 200 characters")
	if err := f.Err(); err != nil {
		return Entry{}, err
	}
	e := Entry{ID: ulid.Make().String(), OrgID: a.OrgID, Address: canonical, Comment: comment, CreatedAt: s.now(), CreatedBy: a.UserID}
	switch err := s.Store.Add(ctx, e, MaxEntries); {
	case errors.Is(err, ErrAddressTaken):
		return Entry{}, apperr.Newf(apperr.Conflict, "%s is already in the list", canonical)
	case errors.Is(err, ErrFull):
		return Entry{}, apperr.Newf(apperr.Conflict, "the list holds at most %d entries; delete one first", MaxEntries)
	case err != nil:
		return Entry{}, err
	}
	s.audit(ctx, a, "ip_allowlist_added", e.ID, e.Address)
	return e, nil
}

// Delete takes an entry off the list. Another organisation's entry is "not found".
func (s *Service) Delete(ctx context.Context, a Actor, id string) error {
	if !manages(a) {
		return errNoRight
	}
	notFound := apperr.New(apperr.NotFound, "entry not found")
	if _, err := ulid.ParseStrict(id); err != nil {
		return notFound
	}
	e, err := s.Store.Delete(ctx, a.OrgID, id)
	if errors.Is(err, ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	s.audit(ctx, a, "ip_allowlist_deleted", e.ID, e.Address)
	return nil
}

// MyIP tells the caller its address and whether its organisation's list admits it.
func (s *Service) MyIP(ctx context.Context, a Actor) (ip string, allowed bool, err error) {
	all, err := s.Store.Entries(ctx, a.OrgID)
	if err != nil {
		return "", false, err
	}
	addrs := make([]string, len(all))
	for i, e := range all {
		addrs[i] = e.Address
	}
	return a.IP, ipcheck.Admits(addrs, a.IP), nil
}

func (s *Service) audit(ctx context.Context, a Actor, action, target, detail string) {
	e := identity.AuditEntry{ID: ulid.Make().String(), OrgID: a.OrgID, At: s.now(), Action: action, Actor: a.UserID, Target: target, IP: a.IP, Detail: detail}
	if err := s.Store.Audit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit entry lost", "action", action, "error", err.Error())
	}
}
