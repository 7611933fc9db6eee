package applicationsdb

import (
	"context"

	"github.com/kabinet/kabinet/shared/applications"
)

// ByIDs reads applications of any organisation by id (BatchGetItem of APP#<id> / APP, 100 keys
// a call), in the order given; ids without an application are left out. The bank's views over
// other indexes (shared/declarations: the open declarations) read their page this way.
func (s *Store) ByIDs(ctx context.Context, ids []string) ([]applications.Application, error) {
	return s.batchGet(ctx, ids)
}
