// Package otp makes one-time confirmation codes: six digits from crypto/rand, stored only as
// a keyed hash bound to what they confirm, compared in constant time.
package otp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
)

// Digits is the length of a code.
const Digits = 6

// Generate returns a uniformly random numeric code.
func Generate() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("generate code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// Hasher hashes codes with a secret pepper, so a leaked table does not give the codes away
// (a million candidates would otherwise be trivial to try).
type Hasher struct{ pepper []byte }

// NewHasher needs a pepper of at least 32 bytes.
func NewHasher(pepper string) (*Hasher, error) {
	if len(pepper) < 32 {
		return nil, errors.New("code pepper must be at least 32 bytes")
	}
	return &Hasher{pepper: []byte(pepper)}, nil
}

// Hash returns the hash of code for subject (e.g. a registration id): the same code for
// another subject hashes differently.
func (h *Hasher) Hash(subject, code string) string {
	m := hmac.New(sha256.New, h.pepper)
	m.Write([]byte(subject))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify compares code with a stored hash in constant time.
func (h *Hasher) Verify(subject, code, stored string) bool {
	want, err := hex.DecodeString(stored)
	if err != nil {
		return false
	}
	got, _ := hex.DecodeString(h.Hash(subject, code))
	return hmac.Equal(got, want)
}
