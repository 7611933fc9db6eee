// Package departmentsdb stores the directory of regions, cities and bank offices in the
// applications table (APPLICATIONS_TABLE; keys pk/sk).
//
// Items:
//   - DEPARTMENTS / DIRECTORY   the whole directory: version (N, optimistic locking), doc (S,
//     the regions as JSON), updatedAt, updatedBy. Absent until the bank first saves one (the
//     service then serves departments.Default)
//
// Access patterns:
//   - read: GetItem DEPARTMENTS / DIRECTORY (one small item, within DynamoDB's 400 KB item limit:
//     the edit's body is capped below it)
//   - save: PutItem with "attribute_not_exists(pk)" for the first save (version 1) or
//     "#version = :previous" after that; a failed condition is a 409
package departmentsdb

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/departments"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements departments.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ departments.Store = (*Store)(nil)

// Key is the key of the directory item.
func Key() dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("DEPARTMENTS"), "sk": dynamo.S("DIRECTORY")}
}

// Get reads the directory item.
func (s *Store) Get(ctx context.Context) (departments.Directory, bool, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: Key(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return departments.Directory{}, false, err
	}
	if out.Item == nil {
		return departments.Directory{}, false, nil
	}
	it := dynamo.Item(out.Item)
	d := departments.Directory{Version: dynamo.GetN(it, "version"), UpdatedBy: dynamo.GetS(it, "updatedBy")}
	d.UpdatedAt, _ = time.Parse(time.RFC3339Nano, dynamo.GetS(it, "updatedAt"))
	if err := json.Unmarshal([]byte(dynamo.GetS(it, "doc")), &d.Regions); err != nil {
		return departments.Directory{}, false, err
	}
	return d, true, nil
}

// Put saves d when the stored version is d.Version-1.
func (s *Store) Put(ctx context.Context, d departments.Directory) error {
	doc, err := json.Marshal(d.Regions)
	if err != nil {
		return err
	}
	it := Key()
	it["version"] = dynamo.N(d.Version)
	it["doc"] = dynamo.S(string(doc))
	it["updatedAt"] = dynamo.S(d.UpdatedAt.UTC().Format(time.RFC3339Nano))
	it["updatedBy"] = dynamo.S(d.UpdatedBy)
	in := &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}
	if d.Version <= 1 {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		in.ConditionExpression = aws.String("#version = :previous")
		in.ExpressionAttributeNames = map[string]string{"#version": "version"}
		in.ExpressionAttributeValues = dynamo.Item{":previous": dynamo.N(d.Version - 1)}
	}
	if _, err := s.DB.PutItem(ctx, in); err != nil {
		if dynamo.IsConditionFailed(err) {
			return apperr.New(apperr.Conflict, "the directory was changed since it was read: read it again")
		}
		return err
	}
	return nil
}
