package acts

import "testing"

func TestParseKopecks(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1234.56", 123456, true},
		{"1234,56", 123456, true},
		{"1234", 123400, true},
		{"1234.5", 123450, true},
		{" 0,01 ", 1, true},
		{"10000000000", MaxKopecks, true},
		{"10000000000.01", 0, false}, // above MaxKopecks
		{"0", 0, false},
		{"0.00", 0, false},
		{"-5", 0, false},
		{"12.345", 0, false},
		{"1 234,56", 0, false},
		{"1e3", 0, false},
		{"", 0, false},
		{".5", 0, false},
		{"12.", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseKopecks(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("ParseKopecks(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatKopecks(t *testing.T) {
	for in, want := range map[int64]string{123456: "1234.56", 1: "0.01", 100: "1.00", 0: "0.00", -250: "-2.50"} {
		if got := FormatKopecks(in); got != want {
			t.Errorf("FormatKopecks(%d) = %q, want %q", in, got, want)
		}
	}
}

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

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-11-05", "2026-11-05"},
		{"05.11.2026", "2026-11-05"},
		{"29.02.2028", "2028-02-29"},
		{"29.02.2026", ""},
		{"2026-11-5", ""},
		{"5.11.2026", ""},
		{"2026-02-30", ""},
		{"1999-12-31", ""},
		{"2026/11/05", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
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
