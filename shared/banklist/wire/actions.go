package wire

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/banklist"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review"
)

// modelActions are the steps of the status model (shared/review) the caller's active role may
// take from an application's status: the list's "actions". The model is read at most every
// modelTTL per process, not once per listed application; nextStep checks the current model
// anyway, so a just-edited model shows here a few seconds late at worst.
type modelActions struct {
	models review.ModelStore

	mu   sync.Mutex
	m    review.Model
	read time.Time
}

const modelTTL = 10 * time.Second

func (a *modelActions) model(ctx context.Context) (review.Model, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.read.IsZero() && time.Since(a.read) < modelTTL {
		return a.m, nil
	}
	m, err := (&review.Service{Models: a.models}).Model(ctx)
	if err != nil {
		return review.Model{}, err
	}
	a.m, a.read = m, time.Now()
	return m, nil
}

func (a *modelActions) Actions(ctx context.Context, app applications.Application, caller httpapi.Principal) ([]banklist.ActionInfo, error) {
	if app.Bank.ABSPending != "" { // a step waits for the ABS: nothing else until it answers
		return []banklist.ActionInfo{}, nil
	}
	m, err := a.model(ctx)
	if err != nil {
		return nil, err
	}
	role := 0
	if len(caller.Roles) > 0 {
		role, _ = strconv.Atoi(caller.Roles[0])
	}
	out := []banklist.ActionInfo{}
	for _, act := range m.Actions {
		if act.From != app.Status || !slices.Contains(act.Roles, role) {
			continue
		}
		to, _ := m.Status(act.To)
		out = append(out, banklist.ActionInfo{ID: act.Code, Name: act.Name, StatusID: to.ID})
	}
	return out, nil
}
