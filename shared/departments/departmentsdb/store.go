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
//     "#version = :previous" after that; a failed condition is a 409 (dynamo.Document)
package departmentsdb

import (
	"context"
	"errors"

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

func (s *Store) doc() dynamo.Document {
	return dynamo.Document{DB: s.DB, Table: s.Table, Key: Key(), What: "departments directory"}
}

// Get reads the directory item.
func (s *Store) Get(ctx context.Context) (departments.Directory, bool, error) {
	var d departments.Directory
	m, ok, err := s.doc().Get(ctx, &d.Regions)
	if !ok || err != nil {
		return departments.Directory{}, false, err
	}
	d.Version, d.UpdatedAt, d.UpdatedBy = m.Version, m.UpdatedAt, m.UpdatedBy
	return d, true, nil
}

// Put saves d when the stored version is d.Version-1.
func (s *Store) Put(ctx context.Context, d departments.Directory) error {
	err := s.doc().Put(ctx, dynamo.DocumentMeta{Version: d.Version, UpdatedAt: d.UpdatedAt, UpdatedBy: d.UpdatedBy}, d.Regions)
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return apperr.New(apperr.Conflict, "the directory was changed since it was read: read it again")
	}
	return err
}
