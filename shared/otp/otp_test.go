package otp

import (
	"strings"
	"testing"
)

func TestGenerateAndVerify(t *testing.T) {
	h, err := NewHasher(strings.Repeat("p", 32))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for range 200 {
		c, err := Generate()
		if err != nil || len(c) != Digits || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("bad code %q %v", c, err)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Fatalf("codes repeat too often: %d distinct of 200", len(seen))
	}
	stored := h.Hash("reg1", "123456")
	if strings.Contains(stored, "123456") {
		t.Fatal("hash shows the code")
	}
	tests := []struct {
		subject, code string
		ok            bool
	}{{"reg1", "123456", true}, {"reg1", "123457", false}, {"reg2", "123456", false}, {"reg1", "", false}}
	for _, tc := range tests {
		if got := h.Verify(tc.subject, tc.code, stored); got != tc.ok {
			t.Errorf("Verify(%s,%s)=%v", tc.subject, tc.code, got)
		}
	}
	if h.Verify("reg1", "123456", "zz") {
		t.Error("garbage hash verified")
	}
	if _, err := NewHasher("short"); err == nil {
		t.Error("short pepper accepted")
	}
}
