// Package wire builds the applications domain's handlers from the environment and lists its
// routes.
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/idempotency"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
	reviewwire "github.com/kabinet/kabinet/shared/review/wire"
	"github.com/kabinet/kabinet/shared/rewards"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
)

// Routes of the applications domain (A5–A8, first slice; A10 statistics).
func Routes() []httpapi.Route {
	r := func(method, path, fn string, pick func(*applications.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: method, Path: path, Function: "applications/" + fn, Auth: httpapi.Session,
			Roles: everyone, Build: handler(pick)}
	}
	routes := []httpapi.Route{
		r("POST", "/v1/applications", "application-create", func(h *applications.HTTP) httpapi.Handler { return h.Create }),
		r("GET", "/v1/applications", "application-list", func(h *applications.HTTP) httpapi.Handler { return h.List }),
		r("GET", "/v1/applications/{applicationId}", "application-get", func(h *applications.HTTP) httpapi.Handler { return h.Get }),
		r("PATCH", "/v1/applications/{applicationId}", "application-update", func(h *applications.HTTP) httpapi.Handler { return h.Update }),
		r("POST", "/v1/applications/{applicationId}/submit", "application-submit", func(h *applications.HTTP) httpapi.Handler { return h.Submit }),
		r("GET", "/v1/applications/{applicationId}/history", "application-history", func(h *applications.HTTP) httpapi.Handler { return h.History }),
		r("POST", "/v1/applications/{applicationId}/annul", "application-annul", func(h *applications.HTTP) httpapi.Handler { return h.Annul }),
	}
	stats := r("GET", "/v1/applications/statistics", "statistics", func(h *applications.HTTP) httpapi.Handler { return h.Statistics })
	stats.Roles = orgWide // the figures are the whole organisation's (A10)
	routes = append(routes, stats)
	routes = append(routes, companyRoutes()...)
	examples := map[string]string{
		"applications/application-create": `{"company":{"inn":"7707083893","kpp":"773601001","ogrn":"1027700132195","okpo":"","shortName":"ПАО Сбербанк","fullName":"Публичное акционерное общество «Сбербанк России»","regAddress":"г Москва, ул Вавилова, д 19","actualAddress":"","okved":["64.19"]},"contact":{"fullName":"Иванов Иван Иванович","phone":"+79161234567","email":"ivanov@example.ru"},"office":{"city":"Москва","office":"Центральный"}}`,
		"applications/application-update": `{"version":1,"office":{"city":"Москва","office":"Центральный"}}`,
		"applications/application-annul":  `{"comment":"Клиент передумал"}`,
	}
	for i := range routes {
		routes[i].Example = examples[routes[i].Function]
		switch routes[i].Function { // a retried create or submit runs once (Idempotency-Key)
		case "applications/application-create", "applications/application-submit":
			routes[i].Idempotent, routes[i].Idempotency, routes[i].MaxBody = true, idempotencyStore, maxBody
		}
	}
	return append(routes, agentAPIRoute())
}

// Every role of an agent organisation works with applications; the service scopes which (A17).
var everyone = []string{string(identity.Superuser), string(identity.Head), string(identity.Administrator), string(identity.Member)}

// orgWide are the roles that see the whole organisation's figures.
var orgWide = []string{string(identity.Superuser), string(identity.Head)}

// Config is what the applications functions read from their environment.
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdempotencyTable  string `env:"IDEMPOTENCY_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
	PageTokenSecret   string `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"`
}

// Service wires the applications service from the environment.
func Service(ctx context.Context) (*applications.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	pages, err := dynamo.NewPageTokens(cfg.PageTokenSecret)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	queue, err := reviewwire.Queue(ctx) // submitting queues InitialCheck (E13)
	if err != nil {
		return nil, err
	}
	return &applications.Service{
		Store: &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable, Pages: pages},
		Users: &identitydb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages},
		// The product catalogue (A11) lives in the applications table too.
		Products: &rewards.Products{Store: &rewardsdb.CatalogueStore{DB: db, Table: cfg.ApplicationsTable}},
		ABS:      queue,
		// The bank's status model (shared/review), in the applications table too.
		Moves: &review.Service{Models: &reviewdb.Store{DB: db, Table: cfg.ApplicationsTable}},
	}, nil
}

// maxBody is the applications handlers' request body limit (applications.HTTP).
const maxBody = 64 << 10

// idempotencyStore keeps the Idempotency-Key claims of create and submit.
func idempotencyStore(ctx context.Context) (httpapi.IdempotencyStore, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &idempotency.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.IdempotencyTable}, nil
}

func handler(pick func(*applications.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&applications.HTTP{Service: svc}), nil
	}
}
