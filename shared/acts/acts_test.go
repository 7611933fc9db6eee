package acts

import "testing"

func TestParsePeriod(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-10", "2026-10"},
		{"10.2026", "2026-10"},
		{"01.2000", "2000-01"},
		{"2026-13", ""},
		{"2026-00", ""},
		{"1999-12", ""},
		{"2026-1", ""},
		{"1.2026", ""},
		{"2026-10-01", ""},
		{"октябрь 2026", ""},
	}
	for _, tc := range tests {
		got, ok := ParsePeriod(tc.in)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestLabel(t *testing.T) {
	for n, want := range map[int64]string{1: "A-000001", 123: "A-000123", 1234567: "A-1234567"} {
		if got := Label(n); got != want {
			t.Errorf("Label(%d) = %q, want %q", n, got, want)
		}
	}
}
