// Package binariesdb stores the back office's binary objects (shared/binaries) in the
// applications table (APPLICATIONS_TABLE; keys pk/sk; no Scan), each in a partition of its own.
//
// Items:
//   - BINARY#<id> / BINARY   one object (id a ULID): type "binary", id, name, mimetype, size
//     (N, bytes), sha256 (hex), version (N, optimistic locking; its bytes are
//     binaries/<id>/<version> in DocumentsBucket), attachedTo ("act:<id>", absent for a free
//     object), createdBy, createdAt, updatedBy, updatedAt
//
// Access patterns:
//   - one object (GET, PATCH, DELETE /api/binary/{id}): GetItem, consistent
//   - a new object: PutItem with attribute_not_exists(pk)
//   - a new version: PutItem conditioned on version = the one read (dynamo.PutVersioned; a
//     missing item fails it too, told apart from one that moved on by a GetItem)
//   - delete: DeleteItem conditioned on version = the one read AND attribute_not_exists
//     (attachedTo)
package binariesdb

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/binaries"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements binaries.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ binaries.Store = (*Store)(nil)

// Key is the key of an object's item.
func Key(id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("BINARY#" + id), "sk": dynamo.S("BINARY")}
}

type item struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Type       string `dynamodbav:"type"`
	ID         string `dynamodbav:"id"`
	Name       string `dynamodbav:"name"`
	MimeType   string `dynamodbav:"mimetype"`
	Size       int64  `dynamodbav:"size"`
	SHA256     string `dynamodbav:"sha256"`
	Version    int64  `dynamodbav:"version"`
	AttachedTo string `dynamodbav:"attachedTo,omitempty"`
	CreatedBy  string `dynamodbav:"createdBy"`
	CreatedAt  string `dynamodbav:"createdAt"`
	UpdatedBy  string `dynamodbav:"updatedBy"`
	UpdatedAt  string `dynamodbav:"updatedAt"`
}

func marshal(o binaries.Object) (dynamo.Item, error) {
	return attributevalue.MarshalMap(item{PK: "BINARY#" + o.ID, SK: "BINARY", Type: "binary", ID: o.ID, Name: o.Name, MimeType: o.MimeType,
		Size: o.Size, SHA256: o.SHA256, Version: o.Version, AttachedTo: o.AttachedTo, CreatedBy: o.CreatedBy,
		CreatedAt: dynamo.Stamp(o.CreatedAt), UpdatedBy: o.UpdatedBy, UpdatedAt: dynamo.Stamp(o.UpdatedAt)})
}

// Get reads an object.
func (s *Store) Get(ctx context.Context, id string) (binaries.Object, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: Key(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return binaries.Object{}, dynamo.Wrap("get binary object", err)
	}
	if out.Item == nil {
		return binaries.Object{}, binaries.ErrNotFound
	}
	var it item
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return binaries.Object{}, err
	}
	return binaries.Object{ID: it.ID, Name: it.Name, MimeType: it.MimeType, Size: it.Size, SHA256: it.SHA256, Version: it.Version,
		AttachedTo: it.AttachedTo, CreatedBy: it.CreatedBy, CreatedAt: dynamo.Unstamp(it.CreatedAt), UpdatedBy: it.UpdatedBy,
		UpdatedAt: dynamo.Unstamp(it.UpdatedAt)}, nil
}

// Create puts a new object.
func (s *Store) Create(ctx context.Context, o binaries.Object) error {
	it, err := marshal(o)
	if err != nil {
		return err
	}
	return dynamo.Wrap("create binary object", dynamo.PutNew(ctx, s.DB, s.Table, it))
}

// Replace puts the next version.
func (s *Store) Replace(ctx context.Context, o binaries.Object) error {
	it, err := marshal(o)
	if err != nil {
		return err
	}
	err = dynamo.PutVersioned(ctx, s.DB, s.Table, it, o.Version-1)
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return s.why(ctx, o.ID)
	}
	return dynamo.Wrap("replace binary object", err)
}

// Delete removes an object of the version read that is attached to nothing.
func (s *Store) Delete(ctx context.Context, id string, version int64) error {
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: Key(id),
		ConditionExpression:       aws.String("#version = :version AND attribute_not_exists(attachedTo)"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: dynamo.Item{":version": dynamo.N(version)}})
	if dynamo.IsConditionFailed(err) {
		return s.why(ctx, id)
	}
	return dynamo.Wrap("delete binary object", err)
}

// why tells a failed condition's cause: the object is gone, or it moved on.
func (s *Store) why(ctx context.Context, id string) error {
	if _, err := s.Get(ctx, id); err != nil {
		return err // ErrNotFound, or the read's own failure
	}
	return binaries.ErrStale
}
