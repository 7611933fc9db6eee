// Package wire builds the agents' and declarations' handlers from the environment and lists
// their routes on the back-office API (issue 5, seed 004 E11: agents, activeDeclarations,
// getDeclaration, modifyDeclaration).
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/appdocs/appdocsdb"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/declarations"
	"github.com/kabinet/kabinet/shared/declarations/declarationsdb"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
	"github.com/kabinet/kabinet/shared/rewards"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
)

// Routes of agents and declarations: reads for every bank role (and the API key alone);
// modifications by a bank user whose active role is Администратор or Операционист.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, pick func(*declarations.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "declarations/" + fn, Auth: httpapi.BackofficeID, Build: handler(pick)}
	}
	modify := r("PATCH", "/api/declaration/modify/{applicationid}", "declaration-modify", func(h *declarations.HTTP) httpapi.Handler { return h.Modify })
	modify.Roles = []string{"1", "2"} // backoffice.Administrator, backoffice.Operator
	modify.MaxBody = 4 << 10
	modify.Example = `{"paymentsum":"1500,00","paymentdate":"2026-11-30","declaration_is_closed":true}`
	return []httpapi.Route{
		r("GET", "/api/agent", "agent-list", func(h *declarations.HTTP) httpapi.Handler { return h.Agents }),
		r("GET", "/api/declaration/active", "declaration-active", func(h *declarations.HTTP) httpapi.Handler { return h.Active }),
		r("GET", "/api/declaration/info/{applicationid}", "declaration-get", func(h *declarations.HTTP) httpapi.Handler { return h.Get }),
		modify,
	}
}

// Config is what the functions read from their environment (boauth reads BACKOFFICE_API_KEY
// itself).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
}

// Service wires agents and declarations from the environment.
func Service(ctx context.Context) (*declarations.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	return &declarations.Service{
		Store:     &declarationsdb.Store{DB: db, Table: cfg.ApplicationsTable},
		Apps:      &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable},
		Agents:    &identitydb.Store{DB: db, Table: cfg.IdentityTable},
		Docs:      &appdocsdb.Docs{DB: db, Table: cfg.ApplicationsTable},
		Statuses:  &review.Service{Models: &reviewdb.Store{DB: db, Table: cfg.ApplicationsTable}},
		Catalogue: &rewards.Products{Store: &rewardsdb.CatalogueStore{DB: db, Table: cfg.ApplicationsTable}},
	}, nil
}

func handler(pick func(*declarations.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&declarations.HTTP{Service: svc}), nil
	}
}
