// Package banklistdb keeps what the bank's lists store of their own and reads of the identity
// table (IDENTITY_TABLE); the applications and their bank-wide indexes are applicationsdb's.
//
// Items:
//   - LKBUSER#<user> / FILTER   a bank user's saved filter (seed 004 saveFilter): the JSON of
//     the filter object and when it was saved; one per user, replaced by each save. It sits in
//     the partition of the user's back-office profile (LKBUSER#<user> / LKBUSER, backofficedb).
//
// Access patterns:
//   - save a filter: PutItem LKBUSER#<user> / FILTER
//   - read it: GetItem LKBUSER#<user> / FILTER
//   - names of a page's users and organisations: BatchGetItem USER#<id> / USER and ORG#<id> /
//     ORG (identitydb's items), projecting only id, fullName and name, ≤ 100 keys a call
package banklistdb

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements banklist.Directory and banklist.Filters on the identity table.
type Store struct {
	DB    *dynamodb.Client
	Table string // IDENTITY_TABLE
}

func filterKey(userID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("LKBUSER#" + userID), "sk": dynamo.S("FILTER")}
}

func (s *Store) SaveFilter(ctx context.Context, userID string, raw []byte, at time.Time) error {
	it := filterKey(userID)
	it["type"], it["filter"], it["savedAt"] = dynamo.S("lkbfilter"), dynamo.S(string(raw)), dynamo.S(at.UTC().Format(time.RFC3339))
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it})
	return dynamo.Wrap("save filter", err)
}

func (s *Store) Filter(ctx context.Context, userID string) ([]byte, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: filterKey(userID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dynamo.Wrap("get filter", err)
	}
	if out.Item == nil {
		return nil, nil
	}
	return []byte(dynamo.GetS(out.Item, "filter")), nil
}

func (s *Store) Names(ctx context.Context, userIDs, orgIDs []string) (map[string]string, map[string]string, error) {
	users, orgs := map[string]string{}, map[string]string{}
	var keys []dynamo.Item
	for _, id := range userIDs {
		if id != "" {
			keys = append(keys, identitydb.UserKey(id))
		}
	}
	for _, id := range orgIDs {
		if id != "" {
			keys = append(keys, identitydb.OrgKey(id))
		}
	}
	for i := 0; i < len(keys); i += 100 {
		req := map[string]types.KeysAndAttributes{s.Table: {Keys: keys[i:min(i+100, len(keys))],
			ProjectionExpression: aws.String("pk, fullName, #n"), ExpressionAttributeNames: map[string]string{"#n": "name"}}}
		for len(req) > 0 {
			out, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, nil, dynamo.Wrap("get names", err)
			}
			for _, it := range out.Responses[s.Table] {
				pk := dynamo.GetS(it, "pk")
				if id, ok := strings.CutPrefix(pk, "USER#"); ok {
					users[id] = dynamo.GetS(it, "fullName")
				} else if id, ok := strings.CutPrefix(pk, "ORG#"); ok {
					orgs[id] = dynamo.GetS(it, "name")
				}
			}
			req = out.UnprocessedKeys
		}
	}
	return users, orgs, nil
}
