package catalogue_test

import (
	"context"
	"errors"

	"github.com/kabinet/kabinet/shared/abs"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Until the review flow registers its abs.Outcomes (shared/abs/wire), the ABS caller's
// fixtures run against one that knows no application. Package inits run before this one, so a
// real registration wins.
func init() {
	if !abswire.Registered() {
		abswire.RegisterOutcomes(func(context.Context) (abs.Outcomes, error) { return noApplications{}, nil })
	}
}

type noApplications struct{}

func (noApplications) Request(context.Context, abs.Job) (abs.Request, error) {
	return abs.Request{}, sqsworker.Permanent(errors.New("no such application"))
}

func (noApplications) Apply(context.Context, abs.Job, abs.Result, error) error { return nil }
