// Package bankdocsdb stores the bank's extra-document requests and its verifications of
// documents in the applications table (APPLICATIONS_TABLE; keys pk/sk; no Scan), in the
// application's partition next to its documents (shared/appdocs/appdocsdb).
//
// Items:
//   - APP#<app> / DOCREQ#<req>   an extra-document request (req a ULID, so requests sort by
//     creation): type "doc-request", id, applicationId, typeId, typeName, comment, status
//     (requested | fulfilled | recalled), requestedBy, requestedAt; documentId and fulfilledAt
//     once fulfilled; recalledBy and recalledAt once recalled
//   - APP#<app> / DOCCHECK#<doc> the verifications of one document: type "doc-check",
//     applicationId, documentId, version (N, optimistic locking), history (S, JSON list of
//     {result, comment, by, at}, oldest first, at most bankdocs.MaxChecks)
//
// Access patterns:
//   - an application's requests, oldest first: Query pk = APP#<app> AND begins_with(sk,
//     "DOCREQ#"), consistent (at most bankdocs.MaxRequests)
//   - a new request: PutItem with attribute_not_exists(pk)
//   - fulfil (an agent's upload of the type): UpdateItem conditioned on status = requested
//   - recall of a set: TransactWriteItems of one UpdateItem per request, each conditioned on
//     attribute_exists(pk) AND status <> fulfilled; when the transaction is cancelled the
//     requests are read (the Query above) to tell 409 (one fulfilled) from 404 (one missing)
//   - an application's verifications: Query pk = APP#<app> AND begins_with(sk, "DOCCHECK#"),
//     consistent (one per document, at most appdocs.MaxDocuments)
//   - a verification: PutItem conditioned on attribute_not_exists(pk) for version 1, else
//     version = the one read; DeleteItem with its document
//
// "DOCREQ#" and "DOCCHECK#" do not begin with "DOC#", so appdocsdb's document Query never
// reads these items, nor these Queries its.
package bankdocsdb

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/bankdocs"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements bankdocs.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ bankdocs.Store = (*Store)(nil)

const (
	reqPrefix   = "DOCREQ#"
	checkPrefix = "DOCCHECK#"
)

func appPK(applicationID string) string { return "APP#" + applicationID }

// RequestKey is the key of a request item.
func RequestKey(applicationID, id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S(appPK(applicationID)), "sk": dynamo.S(reqPrefix + id)}
}

// CheckKey is the key of a verification item.
func CheckKey(applicationID, documentID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S(appPK(applicationID)), "sk": dynamo.S(checkPrefix + documentID)}
}

type reqItem struct {
	PK            string `dynamodbav:"pk"`
	SK            string `dynamodbav:"sk"`
	Type          string `dynamodbav:"type"`
	ID            string `dynamodbav:"id"`
	ApplicationID string `dynamodbav:"applicationId"`
	TypeID        int64  `dynamodbav:"typeId"`
	TypeName      string `dynamodbav:"typeName"`
	Comment       string `dynamodbav:"comment"`
	Status        string `dynamodbav:"status"`
	RequestedBy   string `dynamodbav:"requestedBy"`
	RequestedAt   string `dynamodbav:"requestedAt"`
	DocumentID    string `dynamodbav:"documentId,omitempty"`
	FulfilledAt   string `dynamodbav:"fulfilledAt,omitempty"`
	RecalledBy    string `dynamodbav:"recalledBy,omitempty"`
	RecalledAt    string `dynamodbav:"recalledAt,omitempty"`
}

// query calls each with every item of the application's partition whose sk begins with prefix.
func query[T any](ctx context.Context, s *Store, applicationID, prefix string, each func(T) error) error {
	return dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(appPK(applicationID)), ":prefix": dynamo.S(prefix)},
	}, "query "+prefix, each)
}

func toRequest(it reqItem) bankdocs.Request {
	return bankdocs.Request{ID: it.ID, ApplicationID: it.ApplicationID, TypeID: it.TypeID, TypeName: it.TypeName, Comment: it.Comment,
		Status: it.Status, RequestedBy: it.RequestedBy, RequestedAt: dynamo.Unstamp(it.RequestedAt), DocumentID: it.DocumentID,
		FulfilledAt: dynamo.Unstamp(it.FulfilledAt), RecalledBy: it.RecalledBy, RecalledAt: dynamo.Unstamp(it.RecalledAt)}
}

// Requests queries the application's requests.
func (s *Store) Requests(ctx context.Context, applicationID string) ([]bankdocs.Request, error) {
	out := []bankdocs.Request{}
	err := query(ctx, s, applicationID, reqPrefix, func(it reqItem) error {
		out = append(out, toRequest(it))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateRequest puts a new request.
func (s *Store) CreateRequest(ctx context.Context, q bankdocs.Request) error {
	item, err := attributevalue.MarshalMap(reqItem{PK: appPK(q.ApplicationID), SK: reqPrefix + q.ID, Type: "doc-request", ID: q.ID,
		ApplicationID: q.ApplicationID, TypeID: q.TypeID, TypeName: q.TypeName, Comment: q.Comment, Status: q.Status,
		RequestedBy: q.RequestedBy, RequestedAt: dynamo.Stamp(q.RequestedAt)})
	if err != nil {
		return err
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)")})
	return dynamo.Wrap("create document request", err)
}

// Fulfil marks an open request fulfilled.
func (s *Store) Fulfil(ctx context.Context, applicationID, id, documentID string, at time.Time) error {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(s.Table), Key: RequestKey(applicationID, id),
		UpdateExpression:         aws.String("SET #status = :fulfilled, documentId = :doc, fulfilledAt = :at"),
		ConditionExpression:      aws.String("#status = :open"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: dynamo.Item{":fulfilled": dynamo.S(bankdocs.RequestFulfilled), ":open": dynamo.S(bankdocs.RequestOpen),
			":doc": dynamo.S(documentID), ":at": dynamo.S(dynamo.Stamp(at))}})
	if dynamo.IsConditionFailed(err) {
		return bankdocs.ErrStale
	}
	return dynamo.Wrap("fulfil document request", err)
}

// Recall marks the requests recalled in one transaction.
func (s *Store) Recall(ctx context.Context, applicationID string, ids []string, by string, at time.Time) error {
	items := make([]types.TransactWriteItem, 0, len(ids))
	for _, id := range ids {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: aws.String(s.Table), Key: RequestKey(applicationID, id),
			UpdateExpression:         aws.String("SET #status = :recalled, recalledBy = if_not_exists(recalledBy, :by), recalledAt = if_not_exists(recalledAt, :at)"),
			ConditionExpression:      aws.String("attribute_exists(pk) AND #status <> :fulfilled"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: dynamo.Item{":recalled": dynamo.S(bankdocs.RequestRecalled), ":fulfilled": dynamo.S(bankdocs.RequestFulfilled),
				":by": dynamo.S(by), ":at": dynamo.S(dynamo.Stamp(at))}}})
	}
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	if !dynamo.IsConditionFailed(err) {
		return dynamo.Wrap("recall document requests", err)
	}
	// Which condition failed: a fulfilled request is the seed's 409, else one is missing.
	all, rerr := s.Requests(ctx, applicationID)
	if rerr != nil {
		return rerr
	}
	status := map[string]string{}
	for _, q := range all {
		status[q.ID] = q.Status
	}
	for _, id := range ids {
		if status[id] == bankdocs.RequestFulfilled {
			return bankdocs.ErrFulfilled
		}
	}
	for _, id := range ids {
		if _, ok := status[id]; !ok {
			return bankdocs.ErrNotFound
		}
	}
	return errors.New("recall document requests: cancelled, yet every request exists and none is fulfilled")
}

type checkJSON struct {
	Result  bool      `json:"result"`
	Comment string    `json:"comment,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Verifications queries the application's verification items.
func (s *Store) Verifications(ctx context.Context, applicationID string) (map[string]bankdocs.Verification, error) {
	out := map[string]bankdocs.Verification{}
	err := query(ctx, s, applicationID, checkPrefix, func(it dynamo.Item) error {
		v := bankdocs.Verification{ApplicationID: dynamo.GetS(it, "applicationId"), DocumentID: dynamo.GetS(it, "documentId"), Version: dynamo.GetN(it, "version")}
		var hist []checkJSON
		if err := json.Unmarshal([]byte(dynamo.GetS(it, "history")), &hist); err != nil {
			return err
		}
		for _, c := range hist {
			v.History = append(v.History, bankdocs.Check{Result: c.Result, Comment: c.Comment, By: c.By, At: c.At})
		}
		out[v.DocumentID] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveVerification puts v when the stored version is v.Version-1.
func (s *Store) SaveVerification(ctx context.Context, v bankdocs.Verification) error {
	hist := make([]checkJSON, len(v.History))
	for i, c := range v.History {
		hist[i] = checkJSON{Result: c.Result, Comment: c.Comment, By: c.By, At: c.At.UTC()}
	}
	b, err := json.Marshal(hist)
	if err != nil {
		return err
	}
	it := CheckKey(v.ApplicationID, v.DocumentID)
	it["type"] = dynamo.S("doc-check")
	it["applicationId"] = dynamo.S(v.ApplicationID)
	it["documentId"] = dynamo.S(v.DocumentID)
	it["version"] = dynamo.N(v.Version)
	it["history"] = dynamo.S(string(b))
	in := &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}
	if v.Version <= 1 {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		in.ConditionExpression = aws.String("#version = :previous")
		in.ExpressionAttributeNames = map[string]string{"#version": "version"}
		in.ExpressionAttributeValues = dynamo.Item{":previous": dynamo.N(v.Version - 1)}
	}
	_, err = s.DB.PutItem(ctx, in)
	if dynamo.IsConditionFailed(err) {
		return bankdocs.ErrStale
	}
	return dynamo.Wrap("save verification", err)
}

// DeleteVerification removes a document's verification item.
func (s *Store) DeleteVerification(ctx context.Context, applicationID, documentID string) error {
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: CheckKey(applicationID, documentID)})
	return dynamo.Wrap("delete verification", err)
}
