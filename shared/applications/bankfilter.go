package applications

import "time"

// BankFilter selects applications of every organisation for the bank's lists (seed 004
// applicationList / applicationCount, E2). Zero values do not filter.
type BankFilter struct {
	ID          string    // one application by its id (the bank's "номер заявки")
	INNPrefix   string    // digits
	NamePrefix  string    // the short name's prefix, case-insensitive
	Statuses    []string  // any of them
	CreatedFrom time.Time // inclusive
	CreatedTo   time.Time // exclusive
	ClosedFrom  time.Time // Bank.ClosedAt, inclusive
	ClosedTo    time.Time // exclusive
	LifeTo      time.Time // Bank.LifeDate before this (annulPeriod: lapsing soon)
	Signers     []string  // any of these bank users signs it
	Takers      []string  // taken to work by any of them
	Offices     []string  // Office.OfficeID in these
	Work        int       // 0 any, 1 taken to work, 2 not taken
}

// OnlyStatuses reports whether the filter selects by status alone (or not at all), so its
// count comes from the bank-wide counters.
func (f BankFilter) OnlyStatuses() bool {
	g := f
	g.Statuses = nil
	return g.empty()
}

func (f BankFilter) empty() bool {
	return f.ID == "" && f.INNPrefix == "" && f.NamePrefix == "" && len(f.Statuses) == 0 && f.CreatedFrom.IsZero() && f.CreatedTo.IsZero() &&
		f.ClosedFrom.IsZero() && f.ClosedTo.IsZero() && f.LifeTo.IsZero() && len(f.Signers) == 0 && len(f.Takers) == 0 && len(f.Offices) == 0 && f.Work == 0
}

// Empty reports whether the filter selects every application.
func (f BankFilter) Empty() bool { return f.empty() }
