// Package wire builds the clients domain's handlers from the environment and lists its
// routes (seed 004 «Клиент»: clientReports, clientReportCount, getClients, getClient; E10).
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/clients"
	"github.com/kabinet/kabinet/shared/clients/clientsdb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// reportExample is a filter object of seed 004's clientReports / clientReportCount.
const reportExample = `{"inn":"7707083893","inputPhone":"2026-11-26","size":20,"page":0,"clientWithoutApp":false}`

// Routes of the clients domain: back-office API, reads for every bank role (the POSTs carry
// a filter and change nothing; boauth still wants User-LKB with the API key on a POST).
func Routes() []httpapi.Route {
	r := func(method, path, fn, example string, pick func(*clients.HTTP) httpapi.Handler) httpapi.Route {
		rt := httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "clients/" + fn, Auth: httpapi.BackofficeID,
			Example: example, Build: handler(pick)}
		if method == "POST" {
			rt.MaxBody = 4 << 10
		}
		return rt
	}
	return []httpapi.Route{
		r("POST", "/api/client/report", "client-report", reportExample, func(h *clients.HTTP) httpapi.Handler { return h.Report }),
		r("POST", "/api/client/report/count", "client-report-count", reportExample, func(h *clients.HTTP) httpapi.Handler { return h.ReportCount }),
		r("GET", "/api/clients", "client-list", "", func(h *clients.HTTP) httpapi.Handler { return h.List }),
		r("GET", "/api/client/{clientId}", "client-get", "", func(h *clients.HTTP) httpapi.Handler { return h.Get }),
	}
}

// Config is what the clients functions read from their environment (boauth reads
// BACKOFFICE_API_KEY itself).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
}

// Service wires the clients service from the environment.
func Service(ctx context.Context) (*clients.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &clients.Service{Store: &clientsdb.Store{DB: dynamodb.NewFromConfig(aws), IdentityTable: cfg.IdentityTable,
		ApplicationsTable: cfg.ApplicationsTable}}, nil
}

func handler(pick func(*clients.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&clients.HTTP{Service: svc}), nil
	}
}
