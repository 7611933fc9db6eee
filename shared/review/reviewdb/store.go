// Package reviewdb stores the bank's status model and the ABS's check results in the
// applications table (APPLICATIONS_TABLE; keys pk/sk). The applications themselves, their
// bank side (applications.Bank) and history are applicationsdb's.
//
// Items:
//   - STATUSMODEL / MODEL   the whole status model (shared/review): version (N, optimistic
//     locking), doc (S, {"statuses","actions"} as JSON), updatedAt, updatedBy. Absent until an
//     administrator first saves one (the service then serves review.Default)
//   - APP#<id> / CHECK#<kind>#<at>   one check call's result (E13: InitialCheck's _notes4staff):
//     kind, jobId, ok, comment, notes (S, JSON list of {check, passed, message}), failure; <at>
//     is when the call was asked for (UTC, fixed width), so a replayed outcome rewrites the
//     same item. Read by the checks part of the back office: Query pk = APP#<id> AND
//     begins_with(sk, "CHECK#")
//
// Access patterns:
//   - read the model: GetItem STATUSMODEL / MODEL (one small item; the edit's body is capped)
//   - save the model: PutItem with "attribute_not_exists(pk)" for version 1 or "#version =
//     :previous" after that; a failed condition is a 409
//   - record a check: PutItem APP#<id> / CHECK#<kind>#<at> (idempotent)
//   - an application's checks: Query pk = APP#<id> AND begins_with(sk, "CHECK#") (Checks)
package reviewdb

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/review"
)

// Store implements review.ModelStore and review.CheckStore.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var (
	_ review.ModelStore = (*Store)(nil)
	_ review.CheckStore = (*Store)(nil)
)

// ModelKey is the key of the status model item.
func ModelKey() dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("STATUSMODEL"), "sk": dynamo.S("MODEL")}
}

type doc struct {
	Statuses []review.Status `json:"statuses"`
	Actions  []review.Action `json:"actions"`
}

func (s *Store) doc() dynamo.Document {
	return dynamo.Document{DB: s.DB, Table: s.Table, Key: ModelKey(), What: "status model"}
}

// Get reads the model item.
func (s *Store) Get(ctx context.Context) (review.Model, bool, error) {
	var d doc
	meta, ok, err := s.doc().Get(ctx, &d)
	if !ok || err != nil {
		return review.Model{}, false, err
	}
	return review.Model{Version: meta.Version, UpdatedAt: meta.UpdatedAt, UpdatedBy: meta.UpdatedBy, Statuses: d.Statuses, Actions: d.Actions}, true, nil
}

// Put saves m when the stored version is m.Version-1.
func (s *Store) Put(ctx context.Context, m review.Model) error {
	err := s.doc().Put(ctx, dynamo.DocumentMeta{Version: m.Version, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy}, doc{Statuses: m.Statuses, Actions: m.Actions})
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return apperr.New(apperr.Conflict, "the status model was changed since it was read: read it again")
	}
	return err
}

// PutCheck writes the check item of one call.
func (s *Store) PutCheck(ctx context.Context, applicationID string, c review.Check) error {
	notes := c.Notes
	if notes == nil {
		notes = []abs.Note{}
	}
	raw, err := json.Marshal(notes)
	if err != nil {
		return err
	}
	it := dynamo.Item{
		"pk": dynamo.S("APP#" + applicationID), "sk": dynamo.S("CHECK#" + string(c.Kind) + "#" + c.At.UTC().Format(dynamo.StampLayout)),
		"type": dynamo.S("check"), "kind": dynamo.S(string(c.Kind)), "jobId": dynamo.S(c.JobID), "ok": dynamo.Bool(c.OK),
		"comment": dynamo.S(c.Comment), "notes": dynamo.S(string(raw)), "failure": dynamo.S(c.Failure),
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it})
	return dynamo.Wrap("record a check", err)
}

// Checks reads an application's check items, oldest first.
func (s *Store) Checks(ctx context.Context, applicationID string) ([]review.Check, error) {
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :check)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("APP#" + applicationID), ":check": dynamo.S("CHECK#")}})
	if err != nil {
		return nil, dynamo.Wrap("read checks", err)
	}
	var cs []review.Check
	for _, raw := range out.Items {
		it := dynamo.Item(raw)
		c := review.Check{Kind: abs.Kind(dynamo.GetS(it, "kind")), JobID: dynamo.GetS(it, "jobId"), Comment: dynamo.GetS(it, "comment"), Failure: dynamo.GetS(it, "failure")}
		c.OK = dynamo.GetBool(it, "ok")
		sk := dynamo.GetS(it, "sk")
		c.At, _ = time.Parse(dynamo.StampLayout, sk[len(sk)-len(dynamo.StampLayout):])
		if err := json.Unmarshal([]byte(dynamo.GetS(it, "notes")), &c.Notes); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}
