package seal_test

import (
	"strings"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/seal"
)

func TestSealOpens(t *testing.T) {
	s, err := seal.New(strings.Repeat("k", 32), "partner-key")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("the secret", "key-1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "the secret") || !strings.HasPrefix(sealed, "v1.") {
		t.Fatalf("sealed %q", sealed)
	}
	if got, err := s.Open(sealed, "key-1"); err != nil || got != "the secret" {
		t.Fatalf("open: %q, %v", got, err)
	}
	again, _ := s.Seal("the secret", "key-1")
	if again == sealed {
		t.Fatal("same ciphertext twice: nonce reused")
	}
	other, _ := seal.New(strings.Repeat("x", 32), "partner-key")
	tampered := []byte(sealed)
	tampered[len(tampered)-3] ^= 1
	for name, try := range map[string]func() (string, error){
		"another key id":    func() (string, error) { return s.Open(sealed, "key-2") },
		"another secret":    func() (string, error) { return other.Open(sealed, "key-1") },
		"altered":           func() (string, error) { return s.Open(string(tampered), "key-1") },
		"not sealed at all": func() (string, error) { return s.Open("plain", "key-1") },
		"truncated":         func() (string, error) { return s.Open("v1.AAAA", "key-1") },
	} {
		if _, err := try(); err != seal.ErrOpen {
			t.Errorf("%s: %v, want ErrOpen", name, err)
		}
	}
	if _, err := seal.New("short", "partner-key"); err == nil {
		t.Fatal("short secret accepted")
	}
}
