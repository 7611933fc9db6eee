// Package abssettingsdb stores the ABS integration's settings (shared/abs/abssettings) in the
// applications table (APPLICATIONS_TABLE; keys pk/sk), next to the bank's other documents.
//
// Items:
//   - ABSSETTINGS / SETTINGS   the whole settings (E13): version (N, optimistic locking), doc
//     (S, abs.Settings as JSON: the four calls' dynamic fields and autoReject), updatedAt,
//     updatedBy (the administrator's user id). Absent until first saved (the service then
//     serves abssettings.Defaults)
//
// Access patterns:
//   - read: GetItem ABSSETTINGS / SETTINGS (one small item; readers cache it per container,
//     abssettings.Source)
//   - save: PutItem with "attribute_not_exists(pk)" for the first save (version 1) or
//     "#version = :previous" after that; a failed condition is a 409 (dynamo.Document)
package abssettingsdb

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/abssettings"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements abssettings.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ abssettings.Store = (*Store)(nil)

// Key is the key of the settings item.
func Key() dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("ABSSETTINGS"), "sk": dynamo.S("SETTINGS")}
}

func (s *Store) doc() dynamo.Document {
	return dynamo.Document{DB: s.DB, Table: s.Table, Key: Key(), Type: "abs-settings", What: "ABS settings"}
}

// Get reads the settings item.
func (s *Store) Get(ctx context.Context) (abssettings.Stored, bool, error) {
	var st abs.Settings
	m, ok, err := s.doc().Get(ctx, &st)
	if !ok || err != nil {
		return abssettings.Stored{}, false, err
	}
	return abssettings.Stored{Version: m.Version, Settings: st, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy}, true, nil
}

// Put saves st when the stored version is st.Version-1.
func (s *Store) Put(ctx context.Context, st abssettings.Stored) error {
	err := s.doc().Put(ctx, dynamo.DocumentMeta{Version: st.Version, UpdatedAt: st.UpdatedAt, UpdatedBy: st.UpdatedBy}, st.Settings)
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return apperr.New(apperr.Conflict, "the ABS settings were changed since they were read: read them again")
	}
	return err
}
