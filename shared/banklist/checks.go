package banklist

import "context"

// Checks gives the ABS's check runs of an application (shared/checks, seed 004 E9) for the
// one-application view, GET /api/application/{applicationid}/ ("checks"; the list leaves them
// out: one more Query per item). An interface, so banklist does not depend on the checks'
// store.
type Checks interface {
	CheckRuns(ctx context.Context, applicationID string) (any, error)
}
