// Package wire builds the departments domain's handlers from the environment and lists its
// routes: the directory of regions, cities and bank offices, read by agent systems on the
// partner API and edited by the bank on the back-office API (A12).
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/departments"
	"github.com/kabinet/kabinet/shared/departments/departmentsdb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Routes of the departments domain.
func Routes() []httpapi.Route {
	r := func(api httpapi.API, method, path, fn string, auth httpapi.AuthScheme, pick func(*departments.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: api, Method: method, Path: path, Function: "departments/" + fn, Auth: auth, Build: handler(pick)}
	}
	put := r(httpapi.Backoffice, "PUT", "/v1/departments", "directory-update", httpapi.BackofficeID, func(h *departments.HTTP) httpapi.Handler { return h.Replace })
	put.Example = `{"version":0,"regions":[{"idRegion":"77","name":"Москва","cities":[{"idCity":"77-001","name":"Москва","offices":[{"idOffice":"77-001-01","name":"Центральный офис","address":"г. Москва, ул. Тверская, д. 7","workingHours":"пн–пт 9:00–19:00"}]}]}]}`
	return []httpapi.Route{
		r(httpapi.Partner, "GET", "/api/voz/departments/get", "departments-get", httpapi.AgentKey, func(h *departments.HTTP) httpapi.Handler { return h.Get }), // A12, seed 000
		r(httpapi.Backoffice, "GET", "/v1/departments", "directory-get", httpapi.BackofficeID, func(h *departments.HTTP) httpapi.Handler { return h.BankGet }),
		put,
	}
}

// Config is what the departments functions read from their environment (the authenticators
// read theirs themselves: shared/apikeys/keyauth, shared/backoffice/boauth).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
}

// Service wires the directory service from the environment.
func Service(ctx context.Context) (*departments.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &departments.Service{Store: &departmentsdb.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.ApplicationsTable}}, nil
}

func handler(pick func(*departments.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&departments.HTTP{Service: svc}), nil
	}
}
