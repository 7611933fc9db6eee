// Package idempotency keeps the Idempotency-Key claims of httpapi's Idempotent routes in
// DynamoDB, so a retry sees the first request's outcome on every Lambda instance.
//
// Access pattern (IDEMPOTENCY_TABLE, key pk only):
//   - pk = the opaque id httpapi derives from API, route, caller and key: a conditional
//     PutItem claims it (absent or expired), GetItem (consistent) reads a lost claim, PutItem
//     completes it and DeleteItem releases it, both only while the request hash still matches.
//     Items expire by TTL (expiresAt) 24 hours after the claim.
package idempotency

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

const (
	inProgress = "in_progress"
	completed  = "completed"
	ttlAttr    = "expiresAt"
)

// Store is an httpapi.IdempotencyStore on a DynamoDB table.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time
}

var _ httpapi.IdempotencyStore = (*Store)(nil)

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Claim implements httpapi.IdempotencyStore.
func (s *Store) Claim(ctx context.Context, id, hash string, expires time.Time) (httpapi.IdempotencyRecord, bool, error) {
	for range 3 { // a claim released or expired between the put and the get is tried again
		now := s.now()
		_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(s.Table),
			Item: dynamo.Item{"pk": dynamo.S(id), "state": dynamo.S(inProgress), "requestHash": dynamo.S(hash),
				ttlAttr: dynamo.Unix(expires)},
			ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt <= :now"),
			ExpressionAttributeValues: dynamo.Item{":now": dynamo.Unix(now)},
		})
		if err == nil {
			return httpapi.IdempotencyRecord{}, true, nil
		}
		if !dynamo.IsConditionFailed(err) {
			return httpapi.IdempotencyRecord{}, false, dynamo.Wrap("put idempotency claim", err)
		}
		out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String(s.Table), Key: dynamo.Item{"pk": dynamo.S(id)}, ConsistentRead: aws.Bool(true),
		})
		if err != nil {
			return httpapi.IdempotencyRecord{}, false, dynamo.Wrap("get idempotency claim", err)
		}
		if out.Item == nil || dynamo.Expired(out.Item, ttlAttr, now) {
			continue
		}
		return record(out.Item), false, nil
	}
	return httpapi.IdempotencyRecord{}, false, errors.New("idempotency claim: contended")
}

func record(it dynamo.Item) httpapi.IdempotencyRecord {
	rec := httpapi.IdempotencyRecord{Hash: dynamo.GetS(it, "requestHash"), Completed: dynamo.GetS(it, "state") == completed}
	if rec.Completed {
		rec.Response = httpapi.StoredResponse{Status: int(dynamo.GetN(it, "status")),
			ContentType: dynamo.GetS(it, "contentType"), Location: dynamo.GetS(it, "location")}
		if b, ok := it["body"].(*types.AttributeValueMemberB); ok {
			rec.Response.Body = b.Value
		}
	}
	return rec
}

// Complete implements httpapi.IdempotencyStore.
func (s *Store) Complete(ctx context.Context, id, hash string, resp httpapi.StoredResponse, expires time.Time) error {
	item := dynamo.Item{"pk": dynamo.S(id), "state": dynamo.S(completed), "requestHash": dynamo.S(hash),
		ttlAttr: dynamo.Unix(expires), "status": dynamo.N(int64(resp.Status))}
	if resp.ContentType != "" {
		item["contentType"] = dynamo.S(resp.ContentType)
	}
	if resp.Location != "" {
		item["location"] = dynamo.S(resp.Location)
	}
	if len(resp.Body) > 0 {
		item["body"] = &types.AttributeValueMemberB{Value: resp.Body}
	}
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Table), Item: item,
		ConditionExpression:       aws.String("requestHash = :h AND #s = :p"),
		ExpressionAttributeNames:  map[string]string{"#s": "state"},
		ExpressionAttributeValues: dynamo.Item{":h": dynamo.S(hash), ":p": dynamo.S(inProgress)},
	})
	return dynamo.Wrap("complete idempotency claim "+strconv.Quote(id), err)
}

// Release implements httpapi.IdempotencyStore.
func (s *Store) Release(ctx context.Context, id, hash string) error {
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(s.Table), Key: dynamo.Item{"pk": dynamo.S(id)},
		ConditionExpression:       aws.String("requestHash = :h AND #s = :p"),
		ExpressionAttributeNames:  map[string]string{"#s": "state"},
		ExpressionAttributeValues: dynamo.Item{":h": dynamo.S(hash), ":p": dynamo.S(inProgress)},
	})
	if dynamo.IsConditionFailed(err) {
		return nil // already gone or taken over after expiry
	}
	return dynamo.Wrap("release idempotency claim", err)
}

// FromEnv is the store of IDEMPOTENCY_TABLE with the process's AWS configuration: a route's
// Idempotency builder (httpapi.Route.Idempotency).
func FromEnv(ctx context.Context) (httpapi.IdempotencyStore, error) {
	var cfg struct {
		IdempotencyTable string `env:"IDEMPOTENCY_TABLE"`
	}
	conf, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &Store{DB: dynamodb.NewFromConfig(conf), Table: cfg.IdempotencyTable}, nil
}
