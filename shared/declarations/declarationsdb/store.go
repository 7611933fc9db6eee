// Package declarationsdb stores the bank's data of the agents' declarations (issue 5, seed 004
// E11; shared/declarations) in the applications table (APPLICATIONS_TABLE; keys pk/sk; index
// gsi1; no Scan), next to the application and its reward.
//
// Items:
//   - APP#<app> / DECLARATION           the bank's data of the declaration: version (N,
//     optimistic locking), paymentKopecks (N, absent until paid), paymentDate, closed (BOOL),
//     closedAt, closedBy, appCreateDate, appOpenDate (the bank's corrections of the days the
//     declaration shows), updatedAt, updatedBy. Absent until the bank first modifies it
//   - APP#<app> / DECLHIST#<at>#<ulid>  one modification: at, by (the bank user), changes (a
//     list of {field, from, to}), written in the same transaction (the history and audit)
//   - APP#<app> / REWARD                the reward (shared/rewards/rewardsdb): what makes a
//     declaration; on gsi1 "BANKDECL#OPEN" / "<accruedAt>#<app>" while the declaration is open
//     (rewardsdb/declindex.go)
//
// Access patterns:
//   - the open declarations, newest first (activeDeclarations): Query gsi1, gsi1pk =
//     "BANKDECL#OPEN", ScanIndexForward=false, pages until the limit; the search is a filter
//     expression on the reward's attributes (begins_with(inn) OR number =, or
//     contains(nameKey)) and the product one (product =). The index holds only open
//     declarations (closing takes the reward off it), so a search reads at most those (~400
//     bytes each: 1 MB, 128 RCU eventually consistent, per ~2 500)
//   - one reward and whether it is open: GetItem APP#<app> / REWARD (consistent)
//   - the bank's data of a page: BatchGetItem APP#<app> / DECLARATION, 100 keys a call
//   - the history: Query pk = APP#<app> AND begins_with(sk, "DECLHIST#")
//   - a modification: TransactWriteItems of the Put of DECLARATION conditioned on the version
//     read ("attribute_not_exists(pk)" for the first), the Put of its DECLHIST# entry, and an
//     Update of the REWARD item (attribute_exists(pk)) that SETs the gsi1 keys (open) or
//     REMOVEs them (closed); a failed version is ErrStale (409)
//
// The application's own queries (applicationsdb) never read these sort keys, nor these theirs.
package declarationsdb

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/declarations"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/rewards"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
)

// Store implements declarations.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ declarations.Store = (*Store)(nil)

type recordItem struct {
	PK             string `dynamodbav:"pk"`
	SK             string `dynamodbav:"sk"`
	Type           string `dynamodbav:"type"`
	ApplicationID  string `dynamodbav:"applicationId"`
	Version        int64  `dynamodbav:"version"`
	PaymentKopecks *int64 `dynamodbav:"paymentKopecks,omitempty"`
	PaymentDate    string `dynamodbav:"paymentDate,omitempty"`
	Closed         bool   `dynamodbav:"closed"`
	ClosedAt       string `dynamodbav:"closedAt,omitempty"`
	ClosedBy       string `dynamodbav:"closedBy,omitempty"`
	AppCreateDate  string `dynamodbav:"appCreateDate,omitempty"`
	AppOpenDate    string `dynamodbav:"appOpenDate,omitempty"`
	UpdatedAt      string `dynamodbav:"updatedAt"`
	UpdatedBy      string `dynamodbav:"updatedBy"`
}

type histItem struct {
	PK      string                     `dynamodbav:"pk"`
	SK      string                     `dynamodbav:"sk"`
	Type    string                     `dynamodbav:"type"`
	At      string                     `dynamodbav:"at"`
	By      string                     `dynamodbav:"by"`
	Changes []declarations.FieldChange `dynamodbav:"changes"`
}

func recordKey(id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("APP#" + id), "sk": dynamo.S("DECLARATION")}
}

func (s *Store) Open(ctx context.Context, f declarations.Filter, limit int) ([]rewards.Reward, error) {
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.Table), IndexName: aws.String("gsi1"), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(rewardsdb.OpenDeclarationsPK)},
	}
	var filters []string
	switch {
	case f.INNPrefix != "" && f.Number > 0:
		filters = append(filters, "(begins_with(inn, :inn) OR #number = :number)")
		in.ExpressionAttributeValues[":inn"] = dynamo.S(f.INNPrefix)
		in.ExpressionAttributeValues[":number"] = dynamo.N(f.Number)
		in.ExpressionAttributeNames = map[string]string{"#number": "number"}
	case f.INNPrefix != "":
		filters = append(filters, "begins_with(inn, :inn)")
		in.ExpressionAttributeValues[":inn"] = dynamo.S(f.INNPrefix)
	case f.NamePart != "":
		filters = append(filters, "contains(nameKey, :name)")
		in.ExpressionAttributeValues[":name"] = dynamo.S(f.NamePart)
	}
	if f.Product != "" {
		filters = append(filters, "product = :product")
		in.ExpressionAttributeValues[":product"] = dynamo.S(f.Product)
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	var out []rewards.Reward
	p := dynamodb.NewQueryPaginator(s.DB, in)
	for p.HasMorePages() && len(out) < limit {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dynamo.Wrap("query open declarations", err)
		}
		for _, raw := range page.Items {
			if len(out) == limit {
				break
			}
			r, err := rewardsdb.UnmarshalReward(raw)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Store) Reward(ctx context.Context, applicationID string) (rewards.Reward, bool, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: rewardsdb.RewardKey(applicationID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return rewards.Reward{}, false, dynamo.Wrap("get reward", err)
	}
	if res.Item == nil {
		return rewards.Reward{}, false, declarations.ErrNotFound
	}
	r, err := rewardsdb.UnmarshalReward(res.Item)
	return r, dynamo.GetS(res.Item, "gsi1pk") == rewardsdb.OpenDeclarationsPK, err
}

func (s *Store) Records(ctx context.Context, ids []string) (map[string]declarations.Record, error) {
	out := map[string]declarations.Record{}
	for i := 0; i < len(ids); i += 100 {
		var keys []dynamo.Item
		seen := map[string]bool{}
		for _, id := range ids[i:min(i+100, len(ids))] {
			if !seen[id] {
				seen[id] = true
				keys = append(keys, recordKey(id))
			}
		}
		req := map[string]types.KeysAndAttributes{s.Table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		for len(req) > 0 {
			res, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, dynamo.Wrap("get declarations", err)
			}
			for _, raw := range res.Responses[s.Table] {
				var it recordItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return nil, err
				}
				out[it.ApplicationID] = declarations.Record{ApplicationID: it.ApplicationID, Version: it.Version,
					PaymentKopecks: it.PaymentKopecks, PaymentDate: it.PaymentDate, Closed: it.Closed,
					ClosedAt: dynamo.Unstamp(it.ClosedAt), ClosedBy: it.ClosedBy, AppCreateDate: it.AppCreateDate, AppOpenDate: it.AppOpenDate,
					UpdatedAt: dynamo.Unstamp(it.UpdatedAt), UpdatedBy: it.UpdatedBy}
			}
			req = res.UnprocessedKeys
		}
	}
	return out, nil
}

func (s *Store) History(ctx context.Context, applicationID string) ([]declarations.Change, error) {
	var out []declarations.Change
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :hist)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("APP#" + applicationID), ":hist": dynamo.S("DECLHIST#")},
	}, "query declaration history", func(it histItem) error {
		out = append(out, declarations.Change{At: dynamo.Unstamp(it.At), By: it.By, Fields: it.Changes})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) Save(ctx context.Context, rec declarations.Record, c declarations.Change, r rewards.Reward) error {
	item, err := attributevalue.MarshalMap(recordItem{PK: "APP#" + rec.ApplicationID, SK: "DECLARATION", Type: "declaration",
		ApplicationID: rec.ApplicationID, Version: rec.Version, PaymentKopecks: rec.PaymentKopecks, PaymentDate: rec.PaymentDate,
		Closed: rec.Closed, ClosedAt: dynamo.Stamp(rec.ClosedAt), ClosedBy: rec.ClosedBy, AppCreateDate: rec.AppCreateDate,
		AppOpenDate: rec.AppOpenDate, UpdatedAt: dynamo.Stamp(rec.UpdatedAt), UpdatedBy: rec.UpdatedBy})
	if err != nil {
		return err
	}
	hist, err := attributevalue.MarshalMap(histItem{PK: "APP#" + rec.ApplicationID, SK: "DECLHIST#" + dynamo.Stamp(c.At) + "#" + ulid.Make().String(),
		Type: "declhist", At: dynamo.Stamp(c.At), By: c.By, Changes: c.Fields})
	if err != nil {
		return err
	}
	put := dynamo.VersionedPut(s.Table, item, rec.Version-1)
	if rec.Version == 1 {
		put = &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}
	}
	index := &types.Update{TableName: aws.String(s.Table), Key: rewardsdb.RewardKey(rec.ApplicationID),
		ConditionExpression: aws.String("attribute_exists(pk)"), UpdateExpression: aws.String("REMOVE gsi1pk, gsi1sk")}
	if !rec.Closed {
		keys := rewardsdb.OpenDeclarationKeys(rec.ApplicationID, dynamo.Stamp(r.AccruedAt))
		index.UpdateExpression = aws.String("SET gsi1pk = :pk, gsi1sk = :sk")
		index.ExpressionAttributeValues = dynamo.Item{":pk": keys["gsi1pk"], ":sk": keys["gsi1sk"]}
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: put},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: hist, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Update: index},
	}})
	// A failed version, or another transaction on the same items at that moment: the caller
	// reads again (409).
	if reasons := dynamo.CancellationReasons(err); slices.Contains(reasons, "TransactionConflict") ||
		(len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed") {
		return declarations.ErrStale
	}
	return dynamo.Wrap("save declaration "+strconv.Quote(rec.ApplicationID), err)
}
