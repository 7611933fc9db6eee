package ipcheck

import "testing"

func TestParse(t *testing.T) {
	good := map[string]string{
		"203.0.113.7":             "203.0.113.7",
		" 203.0.113.7 ":           "203.0.113.7",
		"203.0.113.7/32":          "203.0.113.7",
		"203.0.113.0/24":          "203.0.113.0/24",
		"203.0.113.99/24":         "203.0.113.0/24",
		"10.1.2.3/8":              "10.0.0.0/8",
		"2001:DB8::1":             "2001:db8::1",
		"2001:db8:0:0::/32":       "2001:db8::/32",
		"2001:db8::1/128":         "2001:db8::1",
		"::ffff:198.51.100.7":     "198.51.100.7",
		"::ffff:198.51.100.0/120": "198.51.100.0/24",
	}
	for in, want := range good {
		_, got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "256.1.1.1", "1.2.3", "203.0.113.0/33", "2001:db8::/129", "fe80::1%eth0", "1.2.3.4/", "1.2.3.4/-1", "::ffff:1.2.3.4/64", "01.2.3.4"} {
		if _, got, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", bad, got)
		}
	}
}

func TestAdmits(t *testing.T) {
	list := []string{"203.0.113.0/24", "198.51.100.7", "2001:db8::/32"}
	cases := map[string]bool{
		"203.0.113.1":         true,
		"203.0.114.1":         false,
		"198.51.100.7":        true,
		"198.51.100.8":        false,
		"::ffff:198.51.100.7": true,
		"2001:db8::42":        true,
		"2001:db9::1":         false,
		"":                    false,
		"not-an-ip":           false,
	}
	for ip, want := range cases {
		if got := Admits(list, ip); got != want {
			t.Errorf("Admits(%q) = %v, want %v", ip, got, want)
		}
	}
	if !Admits(nil, "203.0.114.1") || !Admits(nil, "") {
		t.Error("an empty list must admit every address")
	}
}
