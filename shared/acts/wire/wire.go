// Package wire builds the acts domain's handlers from the environment and lists its routes on
// the back-office API (seed 004 createAgentAct and actList, E11).
package wire

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/acts"
	"github.com/kabinet/kabinet/shared/acts/actsdb"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/binaries"
	objects "github.com/kabinet/kabinet/shared/binaries/wire"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/idempotency"
	rewards "github.com/kabinet/kabinet/shared/rewards/wire"
)

// Routes of the acts domain. Every bank role reads the acts; the administrator and the
// operator make them (the bank's payment side), with a current user.
func Routes() []httpapi.Route {
	create := httpapi.Route{API: httpapi.Backoffice, Method: "POST", Path: "/api/act/{agent}/{product}/{paymentSum}/{period}/{paymentdate}",
		Function: "acts/act-create", Auth: httpapi.BackofficeID, Roles: payers, Build: handler(func(h *acts.HTTP) httpapi.Handler { return h.Create })}
	// A retried create makes one act (Idempotency-Key); the body is the optional file.
	create.Idempotent, create.Idempotency, create.MaxBody = true, idempotency.FromEnv, binaries.MaxSize
	return []httpapi.Route{
		create,
		{API: httpapi.Backoffice, Method: "GET", Path: "/api/acts", Function: "acts/act-list", Auth: httpapi.BackofficeID,
			Build: handler(func(h *acts.HTTP) httpapi.Handler { return h.List })},
	}
}

var payers = []string{role(backoffice.Administrator), role(backoffice.Operator)}

func role(r backoffice.RoleID) string { return strconv.Itoa(int(r)) }

// Config is what the functions read from their environment (the authenticator reads its own;
// the files read APPLICATIONS_TABLE and DOCUMENTS_BUCKET: shared/binaries/wire).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
}

// Service wires the acts from the environment.
func Service(ctx context.Context) (*acts.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	cat, err := rewards.Products(ctx)
	if err != nil {
		return nil, err
	}
	files, err := objects.Service(ctx)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	return &acts.Service{
		Store:     &actsdb.Store{DB: db, Table: cfg.ApplicationsTable},
		Orgs:      &identitydb.Store{DB: db, Table: cfg.IdentityTable},
		Catalogue: cat,
		Files:     files,
	}, nil
}

func handler(pick func(*acts.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&acts.HTTP{Service: svc}), nil
	}
}
