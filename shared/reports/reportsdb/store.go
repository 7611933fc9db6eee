// Package reportsdb holds the reports domain's adapters (A9): report requests in the
// applications table (APPLICATIONS_TABLE; keys pk/sk; no Scan), report files in the documents
// bucket (DOCUMENTS_BUCKET) and jobs on the report queue (REPORT_QUEUE_URL).
//
// Items:
//   - USERREPORTS#<userId> / REPORT#<reportId>   one report request of a user: status, format,
//     delivery, columns, period, rows, file key, failure, attempts, enqueuedAt, startedAt,
//     createdAt, readyAt, updatedAt (times UTC, fixed width, "" when unset). The requester's id
//     is part of the key, so nobody else's read can reach it.
//
// Access patterns:
//   - one report of the caller: GetItem USERREPORTS#<caller> / REPORT#<id>
//   - the caller's reports, newest first: Query pk = USERREPORTS#<caller> AND
//     begins_with(sk, "REPORT#"), ScanIndexForward=false (report ids are ULIDs, which sort by
//     time); pages are sealed LastEvaluatedKeys (dynamo.PageTokens) bound to the caller
//   - create: PutItem with attribute_not_exists(pk)
//   - status changes are conditional UpdateItems, so a redelivered or doubled job cannot move
//     a report back: requeue (queued|building, enqueuedAt still the one read), start
//     (queued|building → building, attempts + 1), finish (building → ready), fail
//     (queued|building → failed)
//
// Files: reports/<orgId>/<reportId>.<xlsx|csv>, written by the builder (PutObject) and read
// only through presigned GET links (shared/platform/blob).
package reportsdb

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/reports"
)

// Store implements reports.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Pages *dynamo.PageTokens
}

var _ reports.Store = (*Store)(nil)

func pk(userID string) string { return "USERREPORTS#" + userID }

// Key is the key of a report item.
func Key(userID, id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S(pk(userID)), "sk": dynamo.S("REPORT#" + id)}
}

type item struct {
	PK         string   `dynamodbav:"pk"`
	SK         string   `dynamodbav:"sk"`
	Type       string   `dynamodbav:"type"`
	ID         string   `dynamodbav:"id"`
	OrgID      string   `dynamodbav:"orgId"`
	UserID     string   `dynamodbav:"userId"`
	Status     string   `dynamodbav:"status"`
	Format     string   `dynamodbav:"format"`
	Delivery   string   `dynamodbav:"delivery"`
	Columns    []string `dynamodbav:"columns"`
	From       string   `dynamodbav:"from"`
	To         string   `dynamodbav:"to"`
	Rows       int      `dynamodbav:"rows"`
	FileKey    string   `dynamodbav:"fileKey"`
	Failure    string   `dynamodbav:"failure"`
	Attempts   int      `dynamodbav:"attempts"`
	EnqueuedAt string   `dynamodbav:"enqueuedAt"`
	StartedAt  string   `dynamodbav:"startedAt"`
	CreatedAt  string   `dynamodbav:"createdAt"`
	ReadyAt    string   `dynamodbav:"readyAt"`
	UpdatedAt  string   `dynamodbav:"updatedAt"`
}

func fromItem(raw dynamo.Item) (reports.Report, error) {
	var it item
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return reports.Report{}, err
	}
	return reports.Report{ID: it.ID, OrgID: it.OrgID, UserID: it.UserID, Status: it.Status, Format: it.Format,
		Delivery: it.Delivery, Columns: it.Columns, From: it.From, To: it.To, Rows: it.Rows, Key: it.FileKey,
		Failure: it.Failure, Attempts: it.Attempts, EnqueuedAt: dynamo.Unstamp(it.EnqueuedAt), StartedAt: dynamo.Unstamp(it.StartedAt),
		CreatedAt: dynamo.Unstamp(it.CreatedAt), ReadyAt: dynamo.Unstamp(it.ReadyAt)}, nil
}

func (s *Store) Create(ctx context.Context, r reports.Report) error {
	raw, err := attributevalue.MarshalMap(item{PK: pk(r.UserID), SK: "REPORT#" + r.ID, Type: "report", ID: r.ID, OrgID: r.OrgID,
		UserID: r.UserID, Status: r.Status, Format: r.Format, Delivery: r.Delivery, Columns: r.Columns, From: r.From, To: r.To,
		EnqueuedAt: dynamo.Stamp(r.EnqueuedAt), CreatedAt: dynamo.Stamp(r.CreatedAt), UpdatedAt: dynamo.Stamp(r.CreatedAt)})
	if err != nil {
		return err
	}
	return dynamo.Wrap("create report", dynamo.PutNew(ctx, s.DB, s.Table, raw))
}

func (s *Store) Get(ctx context.Context, userID, id string) (reports.Report, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: Key(userID, id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return reports.Report{}, dynamo.Wrap("get report", err)
	}
	if out.Item == nil {
		return reports.Report{}, reports.ErrNotFound
	}
	return fromItem(out.Item)
}

func (s *Store) List(ctx context.Context, userID, pageToken string, limit int) ([]reports.Report, string, error) {
	scope := "reports:" + userID
	start, err := s.Pages.Decode(scope, pageToken)
	if err != nil {
		return nil, "", apperr.InvalidField("pageToken", "not a page token of this list; start from the first page")
	}
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), Limit: aws.Int32(int32(limit)), ExclusiveStartKey: start,
		ScanIndexForward:          aws.Bool(false), // newest first
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :report)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(pk(userID)), ":report": dynamo.S("REPORT#")},
	})
	if err != nil {
		return nil, "", dynamo.Wrap("query reports", err)
	}
	rs := make([]reports.Report, 0, len(out.Items))
	for _, raw := range out.Items {
		r, err := fromItem(raw)
		if err != nil {
			return nil, "", err
		}
		rs = append(rs, r)
	}
	next, err := s.Pages.Encode(scope, out.LastEvaluatedKey)
	return rs, next, err
}

// update runs a conditional UpdateItem on a report; a failed condition is reports.ErrStale.
func (s *Store) update(ctx context.Context, op, userID, id, expr, cond string, values dynamo.Item, returnNew bool) (dynamo.Item, error) {
	values[":building"] = dynamo.S(reports.StatusBuilding)
	names := map[string]string{"#status": "status"}
	if strings.Contains(cond, ":queued") {
		values[":queued"] = dynamo.S(reports.StatusQueued)
	}
	if strings.Contains(expr, "#rows") {
		names["#rows"] = "rows" // a reserved word
	}
	in := &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: Key(userID, id),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}
	if returnNew {
		in.ReturnValues = types.ReturnValueAllNew
	}
	out, err := s.DB.UpdateItem(ctx, in)
	if dynamo.IsConditionFailed(err) {
		return nil, reports.ErrStale
	}
	if err != nil {
		return nil, dynamo.Wrap(op, err)
	}
	return out.Attributes, nil
}

// waiting is the condition of a report that still waits for its file.
const waiting = "#status IN (:queued, :building)"

func (s *Store) Requeued(ctx context.Context, userID, id string, prev, at time.Time) error {
	_, err := s.update(ctx, "requeue report", userID, id, "SET enqueuedAt = :at", waiting+" AND enqueuedAt = :prev",
		dynamo.Item{":at": dynamo.S(dynamo.Stamp(at)), ":prev": dynamo.S(dynamo.Stamp(prev))}, false)
	return err
}

func (s *Store) Start(ctx context.Context, userID, id string, at time.Time) (reports.Report, error) {
	raw, err := s.update(ctx, "start report", userID, id, "SET #status = :building, startedAt = :at, updatedAt = :at ADD attempts :one", waiting,
		dynamo.Item{":at": dynamo.S(dynamo.Stamp(at)), ":one": dynamo.N(1)}, true)
	if err != nil {
		return reports.Report{}, err
	}
	return fromItem(raw)
}

func (s *Store) Finish(ctx context.Context, userID, id string, rows int, key string, at time.Time) error {
	_, err := s.update(ctx, "finish report", userID, id, "SET #status = :ready, #rows = :rows, fileKey = :key, readyAt = :at, updatedAt = :at",
		"#status = :building", dynamo.Item{":ready": dynamo.S(reports.StatusReady), ":rows": dynamo.N(int64(rows)), ":key": dynamo.S(key), ":at": dynamo.S(dynamo.Stamp(at))}, false)
	return err
}

func (s *Store) Fail(ctx context.Context, userID, id, reason string, at time.Time) error {
	_, err := s.update(ctx, "fail report", userID, id, "SET #status = :failed, failure = :reason, updatedAt = :at", waiting,
		dynamo.Item{":failed": dynamo.S(reports.StatusFailed), ":reason": dynamo.S(reason), ":at": dynamo.S(dynamo.Stamp(at))}, false)
	return err
}
