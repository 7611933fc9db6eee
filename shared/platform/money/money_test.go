package money

import "testing"

func TestParseKopecks(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1234.56", 123456, true},
		{"1234,56", 123456, true},
		{"1234", 123400, true},
		{" 1500 ", 150000, true},
		{"1500.5", 150050, true},
		{"0", 0, true},
		{"0,07", 7, true},
		{"100000000000", MaxKopecks, true},
		{"100000000000.01", 0, false}, // above MaxKopecks
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
	for in, want := range map[int64]string{0: "0.00", 1: "0.01", 7: "0.07", 100: "1.00", 150000: "1500.00", 123456: "1234.56", -5: "-0.05", -250: "-2.50"} {
		if got := FormatKopecks(in); got != want {
			t.Errorf("FormatKopecks(%d) = %q, want %q", in, got, want)
		}
	}
}
