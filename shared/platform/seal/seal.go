// Package seal encrypts values that must be read back but must not be read or altered by
// whoever holds them: partner key secrets at rest (HMAC verification needs the secret itself,
// so it cannot be a hash) and pagination tokens in clients' hands. AES-256-GCM under a key
// derived (SHA-256) from a configured secret and a purpose, each value bound to an owner (a
// key id, a query scope), so a sealed value moved elsewhere does not open.
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

// ErrOpen means a sealed value was altered, belongs to another owner, or was sealed under
// another secret or purpose.
var ErrOpen = errors.New("sealed secret cannot be opened")

// Sealer seals and opens secrets.
type Sealer struct{ aead cipher.AEAD }

// New derives the AES-256 key of purpose (e.g. "partner-key", "page-token") from a secret of
// at least 32 bytes.
func New(secret, purpose string) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New(purpose + " secret must be at least 32 bytes")
	}
	key := sha256.Sum256([]byte("kabinet/" + purpose + "/v1\x00" + secret))
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

// Seal encrypts plain for owner: "v1." + base64url(nonce ‖ ciphertext ‖ tag).
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
