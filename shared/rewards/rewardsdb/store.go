// Package rewardsdb stores the product catalogue and the agents' rewards (A11) in the
// applications table (APPLICATIONS_TABLE; keys pk/sk; no index, no Scan).
//
// Items:
//   - REWARDRULES / CATALOGUE            the product catalogue: version (N, optimistic locking),
//     doc (S, the products as JSON), updatedAt, updatedBy. Absent until the bank first saves
//     one (the service then serves rewards.Default)
//   - APP#<appId> / REWARD                the reward of one application: orgId, month, number,
//     inn, shortName, nameKey (lower-case short name, for search), product, productName,
//     amountKopecks, accruedAt, createdBy, groupId (the role scope, A17); on gsi1 while the
//     bank's declaration of it is open (declindex.go)
//   - REWARDS#<org>#<month> / <accruedAt>#<appId>   the same attributes, the month's list
//     (accruedAt UTC, fixed-width nanoseconds, so the sort key sorts as time)
//   - REWARDSUM#<org> / <month>           the organisation's running total of a Moscow month
//     (2006-01): totalKopecks and count, each added to (UpdateItem ADD, so the item appears
//     with the first reward)
//
// Writes (AccrualWrites): the three reward items ride in the transaction of
// applicationsdb.Store.Save that opens the account; APP#<appId> / REWARD is put with
// attribute_not_exists(pk), so a second accrual for one application cancels the whole
// transaction (applications.ErrAccrued) and nothing is counted twice.
//
// Access patterns:
//   - catalogue read: GetItem REWARDRULES / CATALOGUE (one small item: the body of an edit is
//     capped at 64 KiB)
//   - catalogue save: PutItem with "attribute_not_exists(pk)" for the first save (version 1) or
//     "#version = :previous" after that; a failed condition is a 409
//   - one reward (the detail): GetItem APP#<appId> / REWARD
//   - a month's rewards, newest first: Query pk = REWARDS#<org>#<month>, ScanIndexForward=false;
//     the search (begins_with on inn or nameKey) and the role scope (createdBy, groupId) are
//     filter expressions; pages are sealed LastEvaluatedKeys (dynamo.PageTokens) bound to the
//     query
//   - a month's total for the whole organisation (head, superuser, no search): GetItem
//     REWARDSUM#<org> / <month>, O(1)
//   - a month's total of a scoped caller or of a search: the same Query as the list, every
//     page, projecting amountKopecks and summing. It reads at most one organisation-month of
//     reward items (one per account opened in the month, ~300 bytes each: a few thousand
//     accounts a month is a few 1 MB pages)
package rewardsdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/rewards"
)

// CatalogueStore implements rewards.CatalogueStore.
type CatalogueStore struct {
	DB    *dynamodb.Client
	Table string
}

var _ rewards.CatalogueStore = (*CatalogueStore)(nil)

// CatalogueKey is the key of the catalogue item.
func CatalogueKey() dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("REWARDRULES"), "sk": dynamo.S("CATALOGUE")}
}

func (s *CatalogueStore) doc() dynamo.Document {
	return dynamo.Document{DB: s.DB, Table: s.Table, Key: CatalogueKey(), Type: "catalogue", What: "product catalogue"}
}

// Get reads the catalogue item.
func (s *CatalogueStore) Get(ctx context.Context) (rewards.Catalogue, bool, error) {
	var c rewards.Catalogue
	m, ok, err := s.doc().Get(ctx, &c.Products)
	if !ok || err != nil {
		return rewards.Catalogue{}, false, err
	}
	c.Version, c.UpdatedAt, c.UpdatedBy = m.Version, m.UpdatedAt, m.UpdatedBy
	return c, true, nil
}

// Put saves c when the stored version is c.Version-1.
func (s *CatalogueStore) Put(ctx context.Context, c rewards.Catalogue) error {
	err := s.doc().Put(ctx, dynamo.DocumentMeta{Version: c.Version, UpdatedAt: c.UpdatedAt, UpdatedBy: c.UpdatedBy}, c.Products)
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return apperr.New(apperr.Conflict, "the product catalogue was changed since it was read: read it again")
	}
	return err
}

type rewardItem struct {
	PK            string `dynamodbav:"pk"`
	SK            string `dynamodbav:"sk"`
	Type          string `dynamodbav:"type"`
	ApplicationID string `dynamodbav:"applicationId"`
	OrgID         string `dynamodbav:"orgId"`
	Month         string `dynamodbav:"month"`
	Number        int64  `dynamodbav:"number,omitempty"`
	INN           string `dynamodbav:"inn"`
	ShortName     string `dynamodbav:"shortName"`
	NameKey       string `dynamodbav:"nameKey"`
	Product       string `dynamodbav:"product"`
	ProductName   string `dynamodbav:"productName"`
	AmountKopecks int64  `dynamodbav:"amountKopecks"`
	AccruedAt     string `dynamodbav:"accruedAt"`
	CreatedBy     string `dynamodbav:"createdBy"`
	GroupID       string `dynamodbav:"groupId"`
}

func rewardKey(applicationID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("APP#" + applicationID), "sk": dynamo.S("REWARD")}
}

func listPK(orgID, month string) string { return "REWARDS#" + orgID + "#" + month }

// nameKey is the lower-case short name with spaces collapsed, the form the service searches.
func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// AccrualWrites are the writes of r, the reward for a's opened account, to add to the
// transaction that saves a: the reward item (first: it is the one whose condition refuses a
// second accrual), the month's list item and the addition to the month's total.
func AccrualWrites(table string, a applications.Application, r applications.Accrual) ([]types.TransactWriteItem, error) {
	at := r.At.UTC().Format(dynamo.StampLayout)
	it := rewardItem{PK: "APP#" + a.ID, SK: "REWARD", Type: "reward", ApplicationID: a.ID, OrgID: a.OrgID, Month: r.Month,
		Number: a.Number, INN: a.Company.INN, ShortName: a.Company.ShortName, NameKey: nameKey(a.Company.ShortName),
		Product: r.Product, ProductName: r.ProductName, AmountKopecks: r.AmountKopecks, AccruedAt: at,
		CreatedBy: a.CreatedBy, GroupID: a.GroupID}
	detail, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, err
	}
	for k, v := range OpenDeclarationKeys(a.ID, at) { // the bank's open declarations: declindex.go
		detail[k] = v
	}
	it.PK, it.SK = listPK(a.OrgID, r.Month), at+"#"+a.ID
	list, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, err
	}
	absent := aws.String("attribute_not_exists(pk)")
	return []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(table), Item: detail, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(table), Item: list, ConditionExpression: absent}},
		{Update: &types.Update{TableName: aws.String(table),
			Key:                       dynamo.Item{"pk": dynamo.S("REWARDSUM#" + a.OrgID), "sk": dynamo.S(r.Month)},
			UpdateExpression:          aws.String("SET #type = :type ADD totalKopecks :amount, #count :one"),
			ExpressionAttributeNames:  map[string]string{"#type": "type", "#count": "count"},
			ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("rewardsum"), ":amount": dynamo.N(r.AmountKopecks), ":one": dynamo.N(1)},
		}},
	}, nil
}

// Store implements rewards.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Pages *dynamo.PageTokens
}

var _ rewards.Store = (*Store)(nil)

func unmarshalReward(raw dynamo.Item) (rewards.Reward, error) {
	var it rewardItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return rewards.Reward{}, err
	}
	at, _ := time.Parse(dynamo.StampLayout, it.AccruedAt)
	return rewards.Reward{ApplicationID: it.ApplicationID, OrgID: it.OrgID, Month: it.Month, Number: it.Number,
		INN: it.INN, ShortName: it.ShortName, Product: it.Product, ProductName: it.ProductName,
		AmountKopecks: it.AmountKopecks, AccruedAt: at, CreatedBy: it.CreatedBy, GroupID: it.GroupID}, nil
}

func (s *Store) Get(ctx context.Context, applicationID string) (rewards.Reward, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: rewardKey(applicationID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return rewards.Reward{}, dynamo.Wrap("get reward", err)
	}
	if out.Item == nil {
		return rewards.Reward{}, rewards.ErrNotFound
	}
	return unmarshalReward(out.Item)
}

func (s *Store) Total(ctx context.Context, orgID, month string) (rewards.Total, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		Key: dynamo.Item{"pk": dynamo.S("REWARDSUM#" + orgID), "sk": dynamo.S(month)}})
	if err != nil {
		return rewards.Total{}, dynamo.Wrap("get reward total", err)
	}
	return rewards.Total{AmountKopecks: dynamo.GetN(out.Item, "totalKopecks"), Count: dynamo.GetN(out.Item, "count")}, nil
}

// query is the Query of orgID's rewards of month matching f, newest first.
func (s *Store) query(orgID, month string, f rewards.Filter) *dynamodb.QueryInput {
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(listPK(orgID, month))},
	}
	var filters []string
	add := func(cond, name string, v string) {
		filters = append(filters, cond)
		in.ExpressionAttributeValues[name] = dynamo.S(v)
	}
	if f.INNPrefix != "" {
		add("begins_with(inn, :inn)", ":inn", f.INNPrefix)
	}
	if f.NamePrefix != "" {
		add("begins_with(nameKey, :name)", ":name", nameKey(f.NamePrefix))
	}
	if f.CreatedBy != "" {
		add("createdBy = :by", ":by", f.CreatedBy)
	}
	if f.GroupID != "" {
		add("groupId = :group", ":group", f.GroupID)
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	return in
}

func (s *Store) List(ctx context.Context, orgID, month string, f rewards.Filter, pageToken string, limit int) ([]rewards.Reward, string, error) {
	scope := fmt.Sprintf("rewards:%s:%s:%s:%s:%s:%s", orgID, month, f.INNPrefix, f.NamePrefix, f.CreatedBy, f.GroupID)
	start, err := s.Pages.Decode(scope, pageToken)
	if err != nil {
		return nil, "", apperr.InvalidField("pageToken", "not a page token of this list; start from the first page")
	}
	in := s.query(orgID, month, f)
	in.Limit, in.ExclusiveStartKey = aws.Int32(int32(limit)), start
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", dynamo.Wrap("query rewards", err)
	}
	items := make([]rewards.Reward, 0, len(out.Items))
	for _, raw := range out.Items {
		r, err := unmarshalReward(raw)
		if err != nil {
			return nil, "", err
		}
		items = append(items, r)
	}
	next, err := s.Pages.Encode(scope, out.LastEvaluatedKey)
	return items, next, err
}

func (s *Store) Sum(ctx context.Context, orgID, month string, f rewards.Filter) (rewards.Total, error) {
	in := s.query(orgID, month, f)
	in.ProjectionExpression = aws.String("amountKopecks")
	var t rewards.Total
	err := dynamo.QueryAll(ctx, s.DB, in, "sum rewards", func(it dynamo.Item) error {
		t.AmountKopecks += dynamo.GetN(it, "amountKopecks")
		t.Count++
		return nil
	})
	if err != nil {
		return rewards.Total{}, err
	}
	return t, nil
}
