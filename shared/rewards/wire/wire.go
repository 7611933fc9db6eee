// Package wire builds the rewards domain's handlers from the environment and lists its routes
// (A11): the products and the agent's rewards on the client API, the product catalogue with
// its rewards edited by the bank on the back-office API.
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/rewards"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
)

// Routes of the rewards domain.
func Routes() []httpapi.Route {
	client := func(path, fn string, build func(context.Context) (httpapi.Handler, error)) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: "GET", Path: path, Function: "rewards/" + fn, Auth: httpapi.Session,
			Roles: everyone, Build: build}
	}
	bank := func(method, fn string, pick func(*rewards.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: "/v1/reward-rules", Function: "rewards/" + fn,
			Auth: httpapi.BackofficeID, Build: catalogueHandler(pick)}
	}
	update := bank("PUT", "rules-update", func(h *rewards.HTTP) httpapi.Handler { return h.RulesUpdate })
	update.Example = `{"version":0,"products":[{"id":"rko-start","name":"Расчётный счёт «Старт»","rewardKopecks":150000,"active":true,"default":true}]}`
	return []httpapi.Route{
		client("/v1/products", "product-list", catalogueHandler(func(h *rewards.HTTP) httpapi.Handler { return h.ProductList })),
		client("/v1/rewards", "reward-list", handler(func(h *rewards.HTTP) httpapi.Handler { return h.List })),
		client("/v1/rewards/{applicationId}", "reward-get", handler(func(h *rewards.HTTP) httpapi.Handler { return h.Get })),
		bank("GET", "rules-get", func(h *rewards.HTTP) httpapi.Handler { return h.RulesGet }),
		update,
	}
}

// Every role of an agent organisation sees rewards; the service scopes whose (A17).
var everyone = []string{string(identity.Superuser), string(identity.Head), string(identity.Administrator), string(identity.Member)}

// CatalogueConfig is what the catalogue's functions read from their environment (the
// authenticators read theirs themselves: shared/identity/authn, shared/backoffice/boauth).
type CatalogueConfig struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
}

// Config is what the rewards' functions read from their environment.
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
	PageTokenSecret   string `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"`
}

// Products wires the product catalogue from the environment.
func Products(ctx context.Context) (*rewards.Products, error) {
	var cfg CatalogueConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &rewards.Products{Store: &rewardsdb.CatalogueStore{DB: dynamodb.NewFromConfig(aws), Table: cfg.ApplicationsTable}}, nil
}

// Service wires the rewards' reading from the environment.
func Service(ctx context.Context) (*rewards.Service, error) {
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
	return &rewards.Service{
		Store:        &rewardsdb.Store{DB: db, Table: cfg.ApplicationsTable, Pages: pages},
		Applications: &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable, Pages: pages},
		Users:        &identitydb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages},
	}, nil
}

func catalogueHandler(pick func(*rewards.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		p, err := Products(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&rewards.HTTP{Products: p}), nil
	}
}

func handler(pick func(*rewards.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&rewards.HTTP{Service: svc}), nil
	}
}
