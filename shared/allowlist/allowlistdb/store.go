// Package allowlistdb keeps organisations' IP allowlists (D6) in the identity table
// (IDENTITY_TABLE, keys pk/sk).
//
// Items and access patterns:
//   - ALLOW#<org> / <entryId>               entry (address, comment, createdAt, createdBy): Query
//     the organisation's partition, newest first (ULIDs sort by time), strongly consistent;
//     the list is at most allowlist.MaxEntries items, so search filters in code. The login
//     functions and the API-key authenticators read the same partition (shared/allowlist/ipcheck)
//   - ALLOWADDR#<org>#<address> / ADDR      uniqueness claim of a canonical address (entryId)
//   - ALLOWCOUNT#<org> / COUNT              entry count (attribute entries)
//
// An entry is added in one transaction with its claim (put if absent: the address is not on
// the list yet) and ADD 1 to the count conditioned on count < max, and deleted in one with its
// claim and ADD -1, so uniqueness and the limit hold under concurrent calls.
package allowlistdb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/allowlist"
	"github.com/kabinet/kabinet/shared/allowlist/ipcheck"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements allowlist.Store.
type Store struct {
	DB       *dynamodb.Client
	Table    string
	Identity *identitydb.Store // audit entries
}

var _ allowlist.Store = (*Store)(nil)

type entryItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ID        string `dynamodbav:"id"`
	OrgID     string `dynamodbav:"orgId"`
	Address   string `dynamodbav:"address"`
	Comment   string `dynamodbav:"comment"`
	CreatedAt int64  `dynamodbav:"createdAt"`
	CreatedBy string `dynamodbav:"createdBy"`
}

func entryKey(orgID, id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S(ipcheck.PartitionKey(orgID)), "sk": dynamo.S(id)}
}

func claimKey(orgID, address string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("ALLOWADDR#" + orgID + "#" + address), "sk": dynamo.S("ADDR")}
}

func countKey(orgID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("ALLOWCOUNT#" + orgID), "sk": dynamo.S("COUNT")}
}

func (s *Store) Add(ctx context.Context, e allowlist.Entry, max int) error {
	item, err := attributevalue.MarshalMap(entryItem{PK: ipcheck.PartitionKey(e.OrgID), SK: e.ID, Type: "ip-allow", ID: e.ID, OrgID: e.OrgID,
		Address: e.Address, Comment: e.Comment, CreatedAt: e.CreatedAt.Unix(), CreatedBy: e.CreatedBy})
	if err != nil {
		return err
	}
	claim := claimKey(e.OrgID, e.Address)
	claim["type"], claim["entryId"] = dynamo.S("ip-allow-claim"), dynamo.S(e.ID)
	absent := aws.String("attribute_not_exists(pk)")
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: claim, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: absent}},
		{Update: &types.Update{TableName: aws.String(s.Table), Key: countKey(e.OrgID),
			UpdateExpression:          aws.String("SET #t = :type ADD #n :one"),
			ConditionExpression:       aws.String("attribute_not_exists(#n) OR #n < :max"),
			ExpressionAttributeNames:  map[string]string{"#n": "entries", "#t": "type"},
			ExpressionAttributeValues: dynamo.Item{":one": dynamo.N(1), ":max": dynamo.N(int64(max)), ":type": dynamo.S("ip-allow-count")},
		}},
	}})
	if r := dynamo.CancellationReasons(err); len(r) == 3 {
		switch {
		case r[0] == "ConditionalCheckFailed":
			return allowlist.ErrAddressTaken
		case r[2] == "ConditionalCheckFailed":
			return allowlist.ErrFull
		}
	}
	return dynamo.Wrap("add allowlist entry", err)
}

func (s *Store) Entries(ctx context.Context, orgID string) ([]allowlist.Entry, error) {
	var out []allowlist.Entry
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(ipcheck.PartitionKey(orgID))},
		ScanIndexForward:          aws.Bool(false),
		ConsistentRead:            aws.Bool(true),
	}, "query allowlist", func(it entryItem) error {
		out = append(out, toEntry(it))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func toEntry(it entryItem) allowlist.Entry {
	return allowlist.Entry{ID: it.ID, OrgID: it.OrgID, Address: it.Address, Comment: it.Comment,
		CreatedAt: time.Unix(it.CreatedAt, 0).UTC(), CreatedBy: it.CreatedBy}
}

func (s *Store) Delete(ctx context.Context, orgID, id string) (allowlist.Entry, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: entryKey(orgID, id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return allowlist.Entry{}, dynamo.Wrap("get allowlist entry", err)
	}
	if res.Item == nil {
		return allowlist.Entry{}, allowlist.ErrNotFound
	}
	var it entryItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return allowlist.Entry{}, fmt.Errorf("decode allowlist entry: %w", err)
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Delete: &types.Delete{TableName: aws.String(s.Table), Key: entryKey(orgID, id), ConditionExpression: aws.String("attribute_exists(pk)")}},
		{Delete: &types.Delete{TableName: aws.String(s.Table), Key: claimKey(orgID, it.Address)}},
		{Update: &types.Update{TableName: aws.String(s.Table), Key: countKey(orgID),
			UpdateExpression:          aws.String("ADD #n :minus"),
			ExpressionAttributeNames:  map[string]string{"#n": "entries"},
			ExpressionAttributeValues: dynamo.Item{":minus": dynamo.N(-1)},
		}},
	}})
	if r := dynamo.CancellationReasons(err); len(r) > 0 && r[0] == "ConditionalCheckFailed" {
		return allowlist.Entry{}, allowlist.ErrNotFound // deleted meanwhile
	}
	if err != nil {
		return allowlist.Entry{}, dynamo.Wrap("delete allowlist entry", err)
	}
	return toEntry(it), nil
}

func (s *Store) Audit(ctx context.Context, e identity.AuditEntry) error {
	return s.Identity.Audit(ctx, e)
}
