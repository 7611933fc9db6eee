// Package seal encrypts the secrets of partner keys at rest. HMAC verification needs the
// secret itself, so unlike passwords and agent keys it cannot be stored as a hash: it is
// sealed with AES-256-GCM under a key derived (SHA-256) from PARTNER_KEY_SECRET, and bound to
// its key id, so a sealed secret moved to another item does not open.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// version prefixes every sealed value, so the scheme or the key can change later.
const version = "v1."

// ErrOpen means a sealed value was altered, belongs to another key id, or was sealed under
// another PARTNER_KEY_SECRET.
var ErrOpen = errors.New("sealed secret cannot be opened")

// Sealer seals and opens secrets.
type Sealer struct{ aead cipher.AEAD }

// New derives the AES-256 key from a secret of at least 32 bytes.
func New(secret string) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("partner key secret must be at least 32 bytes")
	}
	key := sha256.Sum256([]byte("kabinet/partner-key/v1\x00" + secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain for owner (the key id): "v1." + base64url(nonce ‖ ciphertext ‖ tag).
func (s *Sealer) Seal(plain, owner string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return version + base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), []byte(owner))), nil
}

// Open decrypts what Seal returned for the same owner.
func (s *Sealer) Open(sealed, owner string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, version)
	if !ok {
		return "", ErrOpen
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	n := s.aead.NonceSize()
	if err != nil || len(b) < n+s.aead.Overhead() {
		return "", ErrOpen
	}
	plain, err := s.aead.Open(nil, b[:n], b[n:], []byte(owner))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
