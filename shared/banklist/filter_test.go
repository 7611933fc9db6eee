package banklist

import (
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// The filter object of seed 004 as the store's filter: substring kinds, Moscow dates with
// inclusive to-dates, annulPeriod, status ids, and the values refused.
func TestRequestFilter(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	msk := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, moscow.Zone) }
	cases := []struct {
		name string
		q    Request
		want func(applications.BankFilter) bool
		bad  string // the field refused, "" when valid
	}{
		{"empty", Request{}, applications.BankFilter.Empty, ""},
		{"id", Request{Substring: " 01kaxq7zj3m1p2q3r4s5t6v7w8 "}, func(f applications.BankFilter) bool { return f.ID == "01KAXQ7ZJ3M1P2Q3R4S5T6V7W8" }, ""},
		{"inn", Request{Substring: "7707"}, func(f applications.BankFilter) bool { return f.INNPrefix == "7707" && f.ID == "" }, ""},
		{"name", Request{Substring: "ООО Ромашка"}, func(f applications.BankFilter) bool { return f.NamePrefix == "ООО Ромашка" }, ""},
		{"dates", Request{DateFrom: "2026-11-01", DateTo: "30.11.2026"}, func(f applications.BankFilter) bool {
			return f.CreatedFrom.Equal(msk(2026, 11, 1)) && f.CreatedTo.Equal(msk(2026, 12, 1))
		}, ""},
		{"rfc3339 date", Request{CloseDateFrom: "2026-11-01T22:30:00Z"}, func(f applications.BankFilter) bool { return f.ClosedFrom.Equal(msk(2026, 11, 2)) }, ""},
		{"annul period", Request{AnnulPeriod: 3}, func(f applications.BankFilter) bool { return f.LifeTo.Equal(now.Add(72 * time.Hour)) }, ""},
		{"statuses", Request{StatusID: []int{2, 3, 2}}, func(f applications.BankFilter) bool {
			return len(f.Statuses) == 2 && f.Statuses[0] == applications.StatusSubmitted && f.Statuses[1] == applications.StatusInReview && f.OnlyStatuses()
		}, ""},
		{"lists", Request{Takers: []string{"a", " a "}, Offices: []string{"o"}, Work: 2}, func(f applications.BankFilter) bool {
			return len(f.Takers) == 1 && len(f.Offices) == 1 && f.Work == 2 && !f.OnlyStatuses()
		}, ""},
		{"unknown status", Request{StatusID: []int{9}}, nil, "statusid"},
		{"bad date", Request{DateTo: "2026-13-01"}, nil, "dateto"},
		{"reversed", Request{DateFrom: "2026-11-02", DateTo: "2026-11-01"}, nil, "dateto"},
		{"empty taker", Request{Takers: []string{" "}}, nil, "takers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.q.Filter(now)
			if c.bad != "" {
				if err == nil || !containsField(err, c.bad) {
					t.Fatalf("want %s refused, got %v", c.bad, err)
				}
				return
			}
			if err != nil || !c.want(f) {
				t.Fatalf("filter %+v, %v", f, err)
			}
		})
	}
}

func containsField(err error, field string) bool {
	e, ok := apperr.As(err)
	if !ok {
		return false
	}
	_, has := e.Fields[field]
	return has
}

// Shape checks of Validate: limit, offset, work, annulPeriod bounds.
func TestRequestValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, q := range []Request{{Limit: n(0)}, {Limit: n(101)}, {Offset: n(-1)}, {Offset: n(MaxOffset + 1)}, {Work: 3}, {AnnulPeriod: -1}} {
		if q.Validate() == nil {
			t.Fatalf("%+v accepted", q)
		}
	}
	if q := (Request{Limit: n(100), Offset: n(MaxOffset), Work: 1, AnnulPeriod: 30}); q.Validate() != nil {
		t.Fatalf("%+v refused", q)
	}
}
