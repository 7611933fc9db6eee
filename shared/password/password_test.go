package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("Secret-123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	h2, _ := Hash("Secret-123")
	if h == h2 {
		t.Fatal("salt not random")
	}
	tests := []struct {
		pw, hash string
		ok       bool
		err      bool
	}{
		{"Secret-123", h, true, false},
		{"secret-123", h, false, false},
		{"", h, false, false},
		{"x", "$bcrypt$whatever", false, true},
		{"x", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", false, true},
	}
	for _, tc := range tests {
		ok, err := Verify(tc.pw, tc.hash)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("Verify(%q) = %v, %v", tc.pw, ok, err)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("Secret-123"); err != nil {
			b.Fatal(err)
		}
	}
}
