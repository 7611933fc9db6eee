// Package applicationsdb stores account-opening applications and their history in the
// applications table (APPLICATIONS_TABLE; keys pk/sk, indexes gsi1, gsi2, gsi3; no Scan).
//
// Items:
//   - APP#<id> / APP                      the application (version for optimistic locking)
//   - APP#<id> / HIST#<at>#<ulid>         one status transition (A6), written in the same
//     transaction as the application it changes
//   - SEQ#<org> / APPNUM                   the organisation's last application number (ADD 1)
//   - APPNUM#<org>#<n> / APPNUM            number n of the organisation → application id, put
//     with the application in one transaction (attribute_not_exists: numbers stay unique)
//   - STATS#<org> / <YYYY-MM-DD>           an organisation's statistics of one Moscow day (A10):
//     numbers created, submitted, opened, rejected, each added to (UpdateItem ADD, so the item
//     appears with its first count) in the same transaction as the application change it counts
//   - the agent's reward when the account is opened (A11): APP#<id> / REWARD (put with
//     attribute_not_exists: accrued once), REWARDS#<org>#<month> / <at>#<id> and REWARDSUM#<org> /
//     <month> (ADD), in the transaction that opens it; their layout and reads are
//     shared/rewards/rewardsdb's (AccrualWrites)
//
// Access patterns:
//   - one application: GetItem APP#<id> / APP
//   - the next number of an organisation: UpdateItem SEQ#<org> / APPNUM ADD seq 1, UPDATED_NEW
//   - one application by its number (the seed agent API's documentId, A12): GetItem
//     APPNUM#<org>#<n> / APPNUM, then GetItem of the application
//   - its history, oldest first: Query pk = APP#<id> AND begins_with(sk, "HIST#")
//   - an organisation's applications, newest first (A6, A8): Query gsi1, gsi1pk
//     "ORGAPPS#<org>", gsi1sk "<createdAt>#<id>" (createdAt UTC, fixed-width nanoseconds, so it
//     sorts as time), ScanIndexForward=false; the creation-date range is a key condition on
//     gsi1sk (BETWEEN / >= / <)
//   - search by INN prefix (A8): Query gsi2, gsi2pk "ORGINN#<org>", begins_with(gsi2sk,
//     "<inn>") with gsi2sk "<inn>#<id>"; sparse: a draft without an INN has no gsi2 keys
//   - search by company-name prefix, case-insensitive (A8): Query gsi3, gsi3pk
//     "ORGNAME#<org>", begins_with(gsi3sk, "<lower short name>") with gsi3sk
//     "<lower short name>#<id>"; sparse like gsi2
//   - statistics of a period (A10): Query pk = STATS#<org> AND sk BETWEEN :from AND :to (Moscow
//     dates, inclusive), summing the counters: at most 366 items, never a read of the applications
//   - on every list: status, the role scope (createdBy for a user, groupId for an
//     administrator: A17) and, on gsi2/gsi3, the creation dates are filter expressions;
//     pages are sealed LastEvaluatedKeys (dynamo.PageTokens) bound to the query
//
// Three indexes rather than one overloaded: each list keeps its own order (time, INN, name)
// and a key condition, and the two search indexes stay sparse.
//
// The bank's lists over every organisation (issue 5, seed 004 applicationList): gsi4–gsi7,
// the filter attributes bk* written with every application item, and the bank-wide counters
// BANKCOUNT / STATUS#… and MONTH#… kept in Create's and Save's transactions; their items and
// access patterns are documented in bankindex.go, bankcounts.go and banklist.go.
//
// The bank's clients (E10): after Create's and Save's writes commit, CLIENT#<inn> / CLIENT
// and CLIORG#<org> / CLIORG are upserted when the application names an INN (clients.go; items
// and access patterns: shared/clients/clientsdb).
package applicationsdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
)

// Store implements applications.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Pages *dynamo.PageTokens
}

var _ applications.Store = (*Store)(nil)

type appItem struct {
	PK            string                 `dynamodbav:"pk"`
	SK            string                 `dynamodbav:"sk"`
	GSI1PK        string                 `dynamodbav:"gsi1pk"`
	GSI1SK        string                 `dynamodbav:"gsi1sk"`
	GSI2PK        string                 `dynamodbav:"gsi2pk,omitempty"`
	GSI2SK        string                 `dynamodbav:"gsi2sk,omitempty"`
	GSI3PK        string                 `dynamodbav:"gsi3pk,omitempty"`
	GSI3SK        string                 `dynamodbav:"gsi3sk,omitempty"`
	Type          string                 `dynamodbav:"type"`
	ID            string                 `dynamodbav:"id"`
	Number        int64                  `dynamodbav:"number"`
	OrgID         string                 `dynamodbav:"orgId"`
	CreatedBy     string                 `dynamodbav:"createdBy"`
	GroupID       string                 `dynamodbav:"groupId"`
	Status        string                 `dynamodbav:"status"`
	Company       applications.Company   `dynamodbav:"company"`
	Contact       applications.Contact   `dynamodbav:"contact"`
	Office        applications.Office    `dynamodbav:"office"`
	Product       string                 `dynamodbav:"product,omitempty"`
	Founders      []applications.Founder `dynamodbav:"founders"`
	Questionnaire map[string]string      `dynamodbav:"questionnaire"`
	Comment       string                 `dynamodbav:"comment,omitempty"`
	Bank          applications.Bank      `dynamodbav:"bank"`
	CreatedAt     string                 `dynamodbav:"createdAt"`
	UpdatedAt     string                 `dynamodbav:"updatedAt"`
	SubmittedAt   string                 `dynamodbav:"submittedAt,omitempty"`
	Version       int64                  `dynamodbav:"version"`
}

type histItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	Type    string `dynamodbav:"type"`
	At      string `dynamodbav:"at"`
	By      string `dynamodbav:"by"`
	ByBank  bool   `dynamodbav:"byBank"`
	From    string `dynamodbav:"from"`
	To      string `dynamodbav:"to"`
	Comment string `dynamodbav:"comment"`
}

func appKey(id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("APP#" + id), "sk": dynamo.S("APP")}
}

// nameKey is the lower-case short name with spaces collapsed, the form the service searches.
func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

func marshalApp(a applications.Application) (dynamo.Item, error) {
	it := appItem{PK: "APP#" + a.ID, SK: "APP", Type: "application",
		GSI1PK: "ORGAPPS#" + a.OrgID, GSI1SK: dynamo.Stamp(a.CreatedAt) + "#" + a.ID,
		ID: a.ID, Number: a.Number, OrgID: a.OrgID, CreatedBy: a.CreatedBy, GroupID: a.GroupID, Status: a.Status,
		Company: a.Company, Contact: a.Contact, Office: a.Office, Founders: a.Founders, Questionnaire: a.Questionnaire, Comment: a.Comment, Bank: a.Bank,
		CreatedAt: dynamo.Stamp(a.CreatedAt), UpdatedAt: dynamo.Stamp(a.UpdatedAt), SubmittedAt: dynamo.Stamp(a.SubmittedAt), Version: a.Version}
	it.Product = a.Product
	if a.Company.INN != "" {
		it.GSI2PK, it.GSI2SK = "ORGINN#"+a.OrgID, a.Company.INN+"#"+a.ID
	}
	if n := nameKey(a.Company.ShortName); n != "" {
		it.GSI3PK, it.GSI3SK = "ORGNAME#"+a.OrgID, n+"#"+a.ID
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, err
	}
	for k, v := range bankIndexKeys(a) {
		item[k] = v
	}
	return item, nil
}

func unmarshalApp(raw dynamo.Item) (applications.Application, error) {
	var it appItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return applications.Application{}, err
	}
	return applications.Application{ID: it.ID, Number: it.Number, OrgID: it.OrgID, CreatedBy: it.CreatedBy, GroupID: it.GroupID, Status: it.Status,
		Company: it.Company, Contact: it.Contact, Office: it.Office, Founders: it.Founders, Questionnaire: it.Questionnaire, Comment: it.Comment, Bank: it.Bank,
		CreatedAt: dynamo.Unstamp(it.CreatedAt), UpdatedAt: dynamo.Unstamp(it.UpdatedAt), SubmittedAt: dynamo.Unstamp(it.SubmittedAt), Version: it.Version, Product: it.Product}, nil
}

func marshalHist(id string, h applications.HistoryEntry) (dynamo.Item, error) {
	return attributevalue.MarshalMap(histItem{PK: "APP#" + id, SK: "HIST#" + dynamo.Stamp(h.At) + "#" + ulid.Make().String(), Type: "history",
		At: dynamo.Stamp(h.At), By: h.By, ByBank: h.ByBank, From: h.From, To: h.To, Comment: h.Comment})
}

// tally adds one to the counter t.Field of orgID's day t.Day (A10).
func (s *Store) tally(orgID string, t applications.Tally) *types.Update {
	return &types.Update{TableName: aws.String(s.Table),
		Key:                       dynamo.Item{"pk": dynamo.S("STATS#" + orgID), "sk": dynamo.S(t.Day)},
		UpdateExpression:          aws.String("SET #type = :type ADD #f :one"),
		ExpressionAttributeNames:  map[string]string{"#type": "type", "#f": t.Field},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("stats"), ":one": dynamo.N(1)},
	}
}

func (s *Store) Create(ctx context.Context, a applications.Application, h applications.HistoryEntry, t applications.Tally) error {
	a.Version = 1
	item, err := marshalApp(a)
	if err != nil {
		return err
	}
	hist, err := marshalHist(a.ID, h)
	if err != nil {
		return err
	}
	absent := aws.String("attribute_not_exists(pk)")
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append([]types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: hist, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: numberItem(a.OrgID, a.Number, a.ID), ConditionExpression: absent}},
		{Update: s.tally(a.OrgID, t)},
	}, s.bankCreateCounts(a)...)}) // bank-wide counters: bankcounts.go
	if err == nil {
		s.writeClients(ctx, a) // the bank's clients: clients.go
	}
	return dynamo.Wrap("create application", err)
}

func numberKey(orgID string, n int64) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S(fmt.Sprintf("APPNUM#%s#%d", orgID, n)), "sk": dynamo.S("APPNUM")}
}

func numberItem(orgID string, n int64, id string) dynamo.Item {
	it := numberKey(orgID, n)
	it["type"], it["id"] = dynamo.S("appnum"), dynamo.S(id)
	return it
}

func (s *Store) NextNumber(ctx context.Context, orgID string) (int64, error) {
	out, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(s.Table),
		Key:                       dynamo.Item{"pk": dynamo.S("SEQ#" + orgID), "sk": dynamo.S("APPNUM")},
		UpdateExpression:          aws.String("SET #type = :type ADD seq :one"),
		ExpressionAttributeNames:  map[string]string{"#type": "type"},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("sequence"), ":one": dynamo.N(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, dynamo.Wrap("next application number", err)
	}
	var n struct {
		Seq int64 `dynamodbav:"seq"`
	}
	if err := attributevalue.UnmarshalMap(out.Attributes, &n); err != nil || n.Seq < 1 {
		return 0, fmt.Errorf("next application number: bad counter %v: %w", out.Attributes, err)
	}
	return n.Seq, nil
}

func (s *Store) ByNumber(ctx context.Context, orgID string, number int64) (applications.Application, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: numberKey(orgID, number), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return applications.Application{}, dynamo.Wrap("get application number", err)
	}
	if res.Item == nil {
		return applications.Application{}, applications.ErrNotFound
	}
	return s.Get(ctx, dynamo.GetS(res.Item, "id"))
}

func (s *Store) Get(ctx context.Context, id string) (applications.Application, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: appKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return applications.Application{}, dynamo.Wrap("get application", err)
	}
	if res.Item == nil {
		return applications.Application{}, applications.ErrNotFound
	}
	return unmarshalApp(res.Item)
}

func (s *Store) Save(ctx context.Context, a applications.Application, h *applications.HistoryEntry, t *applications.Tally, r *applications.Accrual) error {
	item, err := marshalApp(a)
	if err != nil {
		return err
	}
	if h == nil {
		err := dynamo.PutVersioned(ctx, s.DB, s.Table, item, a.Version-1)
		if err == dynamo.ErrConditionFailed {
			return applications.ErrStale
		}
		if err == nil {
			s.writeClients(ctx, a) // the bank's clients: clients.go
		}
		return dynamo.Wrap("save application", err)
	}
	hist, err := marshalHist(a.ID, *h)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Put: dynamo.VersionedPut(s.Table, item, a.Version-1)},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: hist, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}
	if t != nil {
		items = append(items, types.TransactWriteItem{Update: s.tally(a.OrgID, *t)})
	}
	// bank-wide status counters: bankcounts.go
	items = append(items, s.bankMoveCounts(a, h)...)
	reward := -1 // the index of the reward item, whose condition refuses a second accrual
	if r != nil {
		writes, err := rewardsdb.AccrualWrites(s.Table, a, *r)
		if err != nil {
			return err
		}
		reward = len(items)
		items = append(items, writes...)
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		s.writeClients(ctx, a) // the bank's clients: clients.go
	}
	reasons := dynamo.CancellationReasons(err)
	switch {
	case len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed":
		return applications.ErrStale
	case reward >= 0 && len(reasons) > reward && reasons[reward] == "ConditionalCheckFailed":
		return applications.ErrAccrued
	}
	return dynamo.Wrap("save application", err)
}

type statsItem struct {
	Created   int64 `dynamodbav:"created"`
	Submitted int64 `dynamodbav:"submitted"`
	Opened    int64 `dynamodbav:"opened"`
	Rejected  int64 `dynamodbav:"rejected"`
}

func (s *Store) Statistics(ctx context.Context, orgID, from, to string) (applications.Stats, error) {
	var out applications.Stats
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("STATS#" + orgID), ":from": dynamo.S(from), ":to": dynamo.S(to)},
	}, "query statistics", func(it statsItem) error {
		out.Created += it.Created
		out.Submitted += it.Submitted
		out.Opened += it.Opened
		out.Rejected += it.Rejected
		return nil
	})
	if err != nil {
		return applications.Stats{}, err
	}
	return out, nil
}

func (s *Store) History(ctx context.Context, id string) ([]applications.HistoryEntry, error) {
	var out []applications.HistoryEntry
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :hist)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("APP#" + id), ":hist": dynamo.S("HIST#")},
	}, "query history", func(it histItem) error {
		out = append(out, applications.HistoryEntry{At: dynamo.Unstamp(it.At), By: it.By, ByBank: it.ByBank, From: it.From, To: it.To, Comment: it.Comment})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) List(ctx context.Context, orgID string, f applications.Filter, pageToken string, limit int) ([]applications.Application, string, error) {
	scope := fmt.Sprintf("applications:%s:%s:%s:%s:%s:%s:%s:%s", orgID, f.INNPrefix, f.NamePrefix, f.Status,
		dynamo.Stamp(f.CreatedFrom), dynamo.Stamp(f.CreatedTo), f.CreatedBy, f.GroupID)
	start, err := s.Pages.Decode(scope, pageToken)
	if err != nil {
		return nil, "", apperr.InvalidField("pageToken", "not a page token of this list; start from the first page")
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.Table), Limit: aws.Int32(int32(limit)), ExclusiveStartKey: start,
		ExpressionAttributeValues: dynamo.Item{}, ExpressionAttributeNames: map[string]string{},
	}
	var filters []string
	dates := func(attr string, key bool) string { // the creation-date range on attr
		from, to := dynamo.Stamp(f.CreatedFrom), dynamo.Stamp(f.CreatedTo)
		if from != "" {
			in.ExpressionAttributeValues[":from"] = dynamo.S(from)
		}
		if to != "" {
			in.ExpressionAttributeValues[":to"] = dynamo.S(to)
		}
		switch {
		case from != "" && to != "" && key:
			// gsi1sk is "<createdAt>#<id>", so "<to>" itself sorts before every key at to.
			return attr + " BETWEEN :from AND :to"
		case from != "" && to != "":
			return attr + " >= :from AND " + attr + " < :to"
		case from != "":
			return attr + " >= :from"
		case to != "":
			return attr + " < :to"
		}
		return ""
	}
	switch {
	case f.INNPrefix != "":
		in.IndexName = aws.String("gsi2")
		in.KeyConditionExpression = aws.String("gsi2pk = :pk AND begins_with(gsi2sk, :prefix)")
		in.ExpressionAttributeValues[":pk"] = dynamo.S("ORGINN#" + orgID)
		in.ExpressionAttributeValues[":prefix"] = dynamo.S(f.INNPrefix)
		if c := dates("createdAt", false); c != "" {
			filters = append(filters, c)
		}
	case f.NamePrefix != "":
		in.IndexName = aws.String("gsi3")
		in.KeyConditionExpression = aws.String("gsi3pk = :pk AND begins_with(gsi3sk, :prefix)")
		in.ExpressionAttributeValues[":pk"] = dynamo.S("ORGNAME#" + orgID)
		in.ExpressionAttributeValues[":prefix"] = dynamo.S(nameKey(f.NamePrefix))
		if c := dates("createdAt", false); c != "" {
			filters = append(filters, c)
		}
	default:
		in.IndexName = aws.String("gsi1")
		in.ScanIndexForward = aws.Bool(false) // newest first
		kc := "gsi1pk = :pk"
		if c := dates("gsi1sk", true); c != "" {
			kc += " AND " + c
		}
		in.KeyConditionExpression = aws.String(kc)
		in.ExpressionAttributeValues[":pk"] = dynamo.S("ORGAPPS#" + orgID)
	}
	if f.Status != "" {
		filters = append(filters, "#s = :status")
		in.ExpressionAttributeNames["#s"] = "status"
		in.ExpressionAttributeValues[":status"] = dynamo.S(f.Status)
	}
	if f.CreatedBy != "" {
		filters = append(filters, "createdBy = :by")
		in.ExpressionAttributeValues[":by"] = dynamo.S(f.CreatedBy)
	}
	if f.GroupID != "" {
		filters = append(filters, "groupId = :group")
		in.ExpressionAttributeValues[":group"] = dynamo.S(f.GroupID)
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	if len(in.ExpressionAttributeNames) == 0 {
		in.ExpressionAttributeNames = nil
	}
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", dynamo.Wrap("query applications", err)
	}
	apps := make([]applications.Application, 0, len(out.Items))
	for _, raw := range out.Items {
		a, err := unmarshalApp(raw)
		if err != nil {
			return nil, "", err
		}
		apps = append(apps, a)
	}
	next, err := s.Pages.Encode(scope, out.LastEvaluatedKey)
	return apps, next, err
}
