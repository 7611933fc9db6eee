package moscow

import (
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2026-11-30", "2026-11-30", true},
		{"30.11.2026", "2026-11-30", true},
		{"29.02.2028", "2028-02-29", true},
		{"2026-11-30T22:30:00Z", "2026-12-01", true}, // 01:30 in Moscow
		{"29.02.2026", "", false},
		{"2026-02-30", "", false},
		{"2026-11-5", "", false},
		{"5.11.2026", "", false},
		{"2026/11/05", "", false},
		{"1999-12-31", "", false},
		{"soon", "", false},
		{"", "", false},
	} {
		got, ok := ParseDay(c.in)
		if ok != c.ok || Day(got) != c.want {
			t.Errorf("ParseDay(%q) = %v, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
		if ok && (got.Hour() != 0 || got.Location() != Zone) {
			t.Errorf("ParseDay(%q) = %v: not the first instant of a Moscow day", c.in, got)
		}
	}
}

func TestDay(t *testing.T) {
	if got := Day(time.Time{}); got != "" {
		t.Errorf("zero time: %q", got)
	}
	if got := Day(time.Date(2026, 11, 30, 21, 0, 0, 0, time.UTC)); got != "2026-12-01" {
		t.Errorf("midnight in Moscow: %q", got)
	}
}
