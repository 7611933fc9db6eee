package declarations

import (
	"errors"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

func TestParseKopecks(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1234.56", 123456, true},
		{"1234,56", 123456, true},
		{" 1500 ", 150000, true},
		{"1500.5", 150050, true},
		{"0", 0, true},
		{"0,07", 7, true},
		{"100000000000", 10_000_000_000_000, true},
		{"100000000000.01", 0, false},
		{"", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1 234,56", 0, false},
		{"1,234.56", 0, false},
		{"12.345", 0, false},
		{"1e3", 0, false},
		{".5", 0, false},
		{"5.", 0, false},
		{"руб", 0, false},
		{"99999999999999999999", 0, false},
	} {
		got, ok := ParseKopecks(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseKopecks(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFormatKopecks(t *testing.T) {
	for in, want := range map[int64]string{0: "0.00", 7: "0.07", 150000: "1500.00", 123456: "1234.56", -5: "-0.05"} {
		if got := FormatKopecks(in); got != want {
			t.Errorf("FormatKopecks(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDay(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2026-11-30", "2026-11-30", true},
		{"30.11.2026", "2026-11-30", true},
		{"2026-11-30T22:30:00Z", "2026-12-01", true}, // 01:30 in Moscow
		{"2026-02-30", "", false},
		{"1999-12-31", "", false},
		{"soon", "", false},
		{"", "", false},
	} {
		got, ok := ParseDay(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseDay(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestModificationValidate(t *testing.T) {
	s := func(v string) *string { return &v }
	i := func(v int) *int { return &v }
	v := func(n int64) *int64 { return &n }
	for name, c := range map[string]struct {
		m     Modification
		field string // "" = valid
	}{
		"empty":            {Modification{}, ""},
		"all valid":        {Modification{AppCreate: s("2026-01-02"), AppOpenDate: s("03.01.2026"), PaymentSum: s("10,5"), PaymentDate: s("2026-01-04"), SelectedStatus: i(6), Version: v(0)}, ""},
		"clears":           {Modification{AppCreate: s(""), PaymentSum: s(" "), PaymentDate: s("")}, ""},
		"bad sum":          {Modification{PaymentSum: s("1.234")}, "paymentsum"},
		"bad payment date": {Modification{PaymentDate: s("31.02.2026")}, "paymentdate"},
		"bad appcreate":    {Modification{AppCreate: s("вчера")}, "appcreate"},
		"bad appopendate":  {Modification{AppOpenDate: s("2026/01/01")}, "appopendate"},
		"status zero":      {Modification{SelectedStatus: i(0)}, "selectedStatus"},
		"negative version": {Modification{Version: v(-1)}, "version"},
	} {
		err := c.m.Validate()
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.field != "" && (err == nil || !containsField(err, c.field)):
			t.Errorf("%s: want an error on %s, got %v", name, c.field, err)
		}
	}
}

func containsField(err error, field string) bool {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return false
	}
	_, ok := e.Fields[field]
	return ok
}
