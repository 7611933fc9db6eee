package dynamo

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/platform/seal"
)

// ErrBadPageToken means a pagination token was not issued by this service for this query,
// or was altered.
var ErrBadPageToken = errors.New("invalid page token")

// PageTokens seals DynamoDB's LastEvaluatedKey into an opaque token: clients cannot read the
// keys, and a token altered, forged, or issued for another query scope is refused.
type PageTokens struct{ sealer *seal.Sealer }

// NewPageTokens derives the sealing key from a secret of at least 32 bytes.
func NewPageTokens(secret string) (*PageTokens, error) {
	s, err := seal.New(secret, "page-token")
	if err != nil {
		return nil, err
	}
	return &PageTokens{sealer: s}, nil
}

// Encode seals key for scope (e.g. "users:org42:status=active"). An empty key gives "".
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
	return p.sealer.Seal(string(raw), scope)
}

// Decode opens a token for scope. "" gives a nil key (first page).
func (p *PageTokens) Decode(scope, token string) (Item, error) {
	if token == "" {
		return nil, nil
	}
	raw, err := p.sealer.Open(token, scope)
	if err != nil {
		return nil, ErrBadPageToken
	}
	var plain map[string][2]string
	if err := json.Unmarshal([]byte(raw), &plain); err != nil {
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
