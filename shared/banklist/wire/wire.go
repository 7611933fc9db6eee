// Package wire builds the bank's list handlers from the environment and lists their routes
// (seed 004 applications: get, list, count, statuscount, saved filter; E2).
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/banklist"
	"github.com/kabinet/kabinet/shared/banklist/banklistdb"
	"github.com/kabinet/kabinet/shared/checks"
	"github.com/kabinet/kabinet/shared/checks/checksdb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
)

// filterExample is a filter object of seed 004 (applicationList, applicationCount, saveFilter).
const filterExample = `{"limit":20,"offset":0,"substring":"77","datefrom":"2026-01-01","dateto":"2026-12-31","statusid":[2,3],"work":0}`

// Routes of the bank's lists: back-office API, any bank role; reads need no User-LKB, the
// saved filter is the current user's.
func Routes() []httpapi.Route {
	r := func(method, path, fn, example string, pick func(*banklist.HTTP) httpapi.Handler) httpapi.Route {
		rt := httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "banklist/" + fn, Auth: httpapi.BackofficeID,
			Example: example, Build: handler(pick)}
		if method == "POST" {
			rt.MaxBody = 16 << 10
		}
		return rt
	}
	return []httpapi.Route{
		r("GET", "/api/application/{applicationid}/", "application-get", "", func(h *banklist.HTTP) httpapi.Handler { return h.Get }),
		r("POST", "/api/application/", "application-list", filterExample, func(h *banklist.HTTP) httpapi.Handler { return h.List }),
		r("POST", "/api/application/count/", "application-count", filterExample, func(h *banklist.HTTP) httpapi.Handler { return h.Count }),
		r("GET", "/api/application/statuscount/", "status-count", "", func(h *banklist.HTTP) httpapi.Handler { return h.StatusCount }),
		r("POST", "/api/application/filter", "filter-save", filterExample, func(h *banklist.HTTP) httpapi.Handler { return h.SaveFilter }),
		r("GET", "/api/application/filter", "filter-get", "", func(h *banklist.HTTP) httpapi.Handler { return h.Filter }),
	}
}

// Config is what the list functions read from their environment (boauth reads
// BACKOFFICE_API_KEY itself).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
}

// Service wires the list service from the environment. The status model's actions plug in
// as Actions (nil: every item's actions are []).
func Service(ctx context.Context) (*banklist.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	idb := &banklistdb.Store{DB: db, Table: cfg.IdentityTable}
	return &banklist.Service{
		Apps:      &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable},
		Directory: idb,
		Filters:   idb,
		Actions:   &modelActions{models: &reviewdb.Store{DB: db, Table: cfg.ApplicationsTable}},
		// The check runs of the one-application view (E9): reads only, so no review flow.
		Checks: &checks.Service{Runs: &reviewdb.Store{DB: db, Table: cfg.ApplicationsTable}, Store: &checksdb.Store{DB: db, Table: cfg.ApplicationsTable}},
	}, nil
}

func handler(pick func(*banklist.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&banklist.HTTP{Service: svc}), nil
	}
}
