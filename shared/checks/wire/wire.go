// Package wire builds the checks' handlers from the environment and lists their routes: the
// ABS's checks of applications on the back-office API (seed 004 E9).
package wire

import (
	"context"
	"errors"

	"github.com/kabinet/kabinet/shared/checks"
	"github.com/kabinet/kabinet/shared/checks/checksdb"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
	reviewwire "github.com/kabinet/kabinet/shared/review/wire"
)

// Routes of the checks. {applicationid}/{executetime}/{checktype} stand for the seed's
// {abstractid} and {checkobjecttype} too: API Gateway takes one name per path position.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, pick func(*checks.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "checks/" + fn, Auth: httpapi.BackofficeID, Build: handler(pick)}
	}
	// State changes: Administrator, Operator, Executor (backoffice roles 1, 2, 4), not Signer.
	workers := []string{"1", "2", "4"}
	result := r("POST", "/api/check/{applicationid}/{executetime}/{checktype}/result", "check-result", func(h *checks.HTTP) httpapi.Handler { return h.SetResult })
	result.Roles, result.MaxBody, result.Example = workers, checks.MaxBody, `{"result":"passed","id":"1"}`
	comment := r("POST", "/api/check/{applicationid}/{executetime}/{checktype}/comment", "check-comment", func(h *checks.HTTP) httpapi.Handler { return h.AddComment })
	comment.Roles, comment.MaxBody, comment.Example = workers, checks.MaxBody, `{"content":"Задолженность погашена, справка приложена"}`
	recheck := r("POST", "/api/application/{applicationid}/recheck/", "recheck", func(h *checks.HTTP) httpapi.Handler { return h.Recheck })
	recheck.Roles, recheck.MaxBody, recheck.Example = workers, checks.MaxBody, `{"id":"","type":"InitialCheck"}`
	return []httpapi.Route{
		r("GET", "/api/check/{applicationid}", "check-list", func(h *checks.HTTP) httpapi.Handler { return h.List }),
		result, comment,
		r("GET", "/api/check/{applicationid}/{executetime}/{checktype}/report", "check-report", func(h *checks.HTTP) httpapi.Handler { return h.Report }),
		recheck,
	}
}

// Service wires the checks from the environment: the review flow's (APPLICATIONS_TABLE,
// IDENTITY_TABLE, ABS_QUEUE_URL for re-check).
func Service(ctx context.Context) (*checks.Service, error) {
	rv, err := reviewwire.Service(ctx)
	if err != nil {
		return nil, err
	}
	runs, ok := rv.Checks.(*reviewdb.Store)
	if !ok {
		return nil, errors.New("checks: the review flow's checks are not kept by reviewdb")
	}
	return &checks.Service{Review: rv, Runs: runs, Store: &checksdb.Store{DB: runs.DB, Table: runs.Table}}, nil
}

func handler(pick func(*checks.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&checks.HTTP{Service: svc}), nil
	}
}
