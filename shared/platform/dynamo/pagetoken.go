package dynamo

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ErrBadPageToken means a pagination token was not issued by this service for this query,
// or was altered.
var ErrBadPageToken = errors.New("invalid page token")

// PageTokens seals DynamoDB's LastEvaluatedKey into an opaque token (AES-GCM): clients cannot
// read the keys, and a token altered, forged, or issued for another query scope is refused.
type PageTokens struct{ aead cipher.AEAD }

// NewPageTokens derives the sealing key from a secret of at least 32 bytes.
func NewPageTokens(secret string) (*PageTokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("page token secret must be at least 32 bytes")
	}
	key := sha256.Sum256([]byte("kabinet/page-token/v1\x00" + secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &PageTokens{aead: aead}, nil
}

// Encode seals key for scope (e.g. "apps:org42:status=new"). An empty key gives "".
func (p *PageTokens) Encode(scope string, key Item) (string, error) {
	if len(key) == 0 {
		return "", nil
	}
	plain := map[string][2]string{}
	for k, v := range key {
		switch a := v.(type) {
		case *types.AttributeValueMemberS:
			plain[k] = [2]string{"S", a.Value}
		case *types.AttributeValueMemberN:
			plain[k] = [2]string{"N", a.Value}
		default:
			return "", fmt.Errorf("page token: unsupported key attribute %q", k)
		}
	}
	raw, err := json.Marshal(plain)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, p.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := p.aead.Seal(nonce, nonce, raw, []byte(scope))
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Decode opens a token for scope. "" gives a nil key (first page).
func (p *PageTokens) Decode(scope, token string) (Item, error) {
	if token == "" {
		return nil, nil
	}
	sealed, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(sealed) < p.aead.NonceSize() {
		return nil, ErrBadPageToken
	}
	n := p.aead.NonceSize()
	raw, err := p.aead.Open(nil, sealed[:n], sealed[n:], []byte(scope))
	if err != nil {
		return nil, ErrBadPageToken
	}
	var plain map[string][2]string
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, ErrBadPageToken
	}
	key := Item{}
	for k, v := range plain {
		switch v[0] {
		case "S":
			key[k] = S(v[1])
		case "N":
			key[k] = &types.AttributeValueMemberN{Value: v[1]}
		default:
			return nil, ErrBadPageToken
		}
	}
	return key, nil
}
