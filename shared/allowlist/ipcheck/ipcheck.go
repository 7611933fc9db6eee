// Package ipcheck answers whether an organisation's IP allowlist (D6) admits an address. It
// is small on purpose (DynamoDB and net/netip only): the login functions (shared/identity)
// and the API-key authenticators (shared/apikeys/keyauth), which every function links, use it.
//
// It reads the entries shared/allowlist/allowlistdb writes in the identity table:
//   - ALLOW#<org> / <entryId>   attribute address (normalised by Parse): Query the
//     organisation's partition, strongly consistent, so an added or deleted entry applies at
//     once; at most allowlist.MaxEntries items, one page
package ipcheck

import (
	"context"
	"errors"
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Denied is the message of a call refused for its address (the seed's wording).
const Denied = "Доступ запрещен"

// PartitionKey is the partition of an organisation's entries.
func PartitionKey(orgID string) string { return "ALLOW#" + orgID }

// ErrInvalid means an entry is neither an IP address nor a network in CIDR notation.
var ErrInvalid = errors.New("not an IP address or CIDR network")

// Parse reads an IPv4 or IPv6 address ("203.0.113.7", "2001:db8::1") or network in CIDR
// notation ("203.0.113.0/24") and returns it as a prefix with its canonical text: host bits
// cleared ("10.1.2.3/8" → "10.0.0.0/8"), IPv4-mapped IPv6 as IPv4, a full-length prefix as
// the plain address ("203.0.113.7/32" → "203.0.113.7"). Zones ("fe80::1%eth0") are refused.
func Parse(s string) (netip.Prefix, string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 || strings.Contains(s, "%") {
		return netip.Prefix{}, "", ErrInvalid
	}
	var p netip.Prefix
	if strings.Contains(s, "/") {
		raw, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, "", ErrInvalid
		}
		addr, bits := raw.Addr(), raw.Bits()
		if addr.Is4In6() {
			if bits < 96 {
				return netip.Prefix{}, "", ErrInvalid
			}
			addr, bits = addr.Unmap(), bits-96
		}
		p = netip.PrefixFrom(addr, bits).Masked()
	} else {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, "", ErrInvalid
		}
		addr = addr.Unmap()
		p = netip.PrefixFrom(addr, addr.BitLen())
	}
	if p.IsSingleIP() {
		return p, p.Addr().String(), nil
	}
	return p, p.String(), nil
}

// Addr reads a caller's address; ok is false when it is not an IP address.
func Addr(ip string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// Admits reports whether entries (as stored: Parse's canonical text) admit ip: an empty list
// admits every address; otherwise ip must lie in one entry. An unreadable ip is admitted
// only by an empty list.
func Admits(entries []string, ip string) bool {
	if len(entries) == 0 {
		return true
	}
	a, ok := Addr(ip)
	if !ok {
		return false
	}
	for _, e := range entries {
		if p, _, err := Parse(e); err == nil && p.Contains(a) {
			return true
		}
	}
	return false
}

// Checker reads allowlists from the identity table.
type Checker struct {
	DB    *dynamodb.Client
	Table string
}

// Allowed reports whether the organisation's allowlist admits ip (an empty list admits all).
func (c *Checker) Allowed(ctx context.Context, orgID, ip string) (bool, error) {
	entries, err := c.Entries(ctx, orgID)
	if err != nil {
		return false, err
	}
	return Admits(entries, ip), nil
}

// Entries returns the addresses of an organisation's allowlist.
func (c *Checker) Entries(ctx context.Context, orgID string) ([]string, error) {
	var out []string
	err := dynamo.QueryAll(ctx, c.DB, &dynamodb.QueryInput{
		TableName: aws.String(c.Table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(PartitionKey(orgID))},
		ProjectionExpression:      aws.String("address"),
		ConsistentRead:            aws.Bool(true),
	}, "query ip allowlist", func(it dynamo.Item) error {
		out = append(out, dynamo.GetS(it, "address"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
