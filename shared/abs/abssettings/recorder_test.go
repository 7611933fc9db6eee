package abssettings_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/kabinet/kabinet/shared/abs"
)

// recorder is the review flow's side as TestConsumerUsesStoredSettings needs it: requests
// from the application id alone, every Apply kept.
type recorder struct {
	mu      sync.Mutex
	applied []applied
}

type applied struct {
	job     abs.Job
	res     abs.Result
	failure error
}

// inn is a company INN per application (the simulator keys clients by INN).
func inn(appID string) string { return fmt.Sprintf("77%08d", len(appID)*1000+int(appID[len(appID)-1])) }

func (r *recorder) Request(_ context.Context, j abs.Job) (abs.Request, error) {
	return abs.Request{Kind: j.Kind, ApplicationID: j.ApplicationID, INN: inn(j.ApplicationID), OrgNameFull: "ООО «Ромашка»"}, nil
}

func (r *recorder) Apply(_ context.Context, j abs.Job, res abs.Result, failure error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied = append(r.applied, applied{j, res, failure})
	return nil
}

func (r *recorder) of(appID string) []applied {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []applied
	for _, a := range r.applied {
		if a.job.ApplicationID == appID {
			out = append(out, a)
		}
	}
	return out
}
