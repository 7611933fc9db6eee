// Package wire builds the review flow's handlers from the environment and lists its routes:
// the bank's work on applications on the back-office API (issue 5, seed 004).
package wire

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/abs"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/review/reviewdb"
	"github.com/kabinet/kabinet/shared/rewards"
	"github.com/kabinet/kabinet/shared/rewards/rewardsdb"
)

// Routes of the review flow.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, pick func(*review.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "review/" + fn, Auth: httpapi.BackofficeID, Build: handler(pick)}
	}
	admin := []string{"1"} // backoffice.Administrator
	getModel := r("GET", "/v1/status-model", "status-model-get", func(h *review.HTTP) httpapi.Handler { return h.GetModel })
	getModel.Roles = admin
	putModel := r("PUT", "/v1/status-model", "status-model-update", func(h *review.HTTP) httpapi.Handler { return h.PutModel })
	putModel.Roles = admin
	putModel.Example = `{"version":0,"statuses":[{"id":1,"code":"draft","name":"Черновик","final":false}],"actions":[]}`
	step := r("POST", "/api/application/{applicationid}/step/{action}", "application-step", func(h *review.HTTP) httpapi.Handler { return h.Step })
	step.Example = `{"comment":"Проверено","signers":[]}`
	reserve := r("POST", "/api/application/{applicationid}/reserveaccount/", "reserve-account", func(h *review.HTTP) httpapi.Handler { return h.ReserveAccount })
	reserve.Example = `{"type":"Расчётный","accountnumber":"40702810900000000001","openingdate":"2026-03-01","prkoproduct":1}`
	return []httpapi.Route{
		getModel, putModel, step, reserve,
		r("GET", "/api/status", "status-list", func(h *review.HTTP) httpapi.Handler { return h.StatusList }),
		r("GET", "/api/application/{applicationid}/status/", "application-statuses", func(h *review.HTTP) httpapi.Handler { return h.Statuses }),
		r("GET", "/api/application/{applicationid}/work", "work-take", func(h *review.HTTP) httpapi.Handler { return h.Take }),
		r("DELETE", "/api/application/{applicationid}/work", "work-release", func(h *review.HTTP) httpapi.Handler { return h.Release }),
		r("POST", "/api/application/{applicationid}/lifedate/{date}", "lifedate", func(h *review.HTTP) httpapi.Handler { return h.LifeDate }),
		r("GET", "/api/application/{applicationid}/signature/", "application-signatures", func(h *review.HTTP) httpapi.Handler { return h.Signatures }),
	}
}

// The ABS queue's consumer (functions/abs/abs-caller) applies the answers through the review
// flow (abs.Outcomes); its main imports this package for the registration.
func init() {
	abswire.RegisterOutcomes(func(ctx context.Context) (abs.Outcomes, error) { return Outcomes(ctx) })
}

// Queue returns the queue of core-banking calls (E13: AbsQueue, ABS_QUEUE_URL) for the review
// flow and for the agents' submissions (shared/applications/wire), or nil for a function
// without ABS_QUEUE_URL: submissions then call nothing, and NewClient / OpenAccount steps
// answer 503.
func Queue(ctx context.Context) (abs.Queue, error) {
	if os.Getenv("ABS_QUEUE_URL") == "" {
		return nil, nil
	}
	return abswire.Queue(ctx)
}

// Config is what the review functions read from their environment (the authenticator reads
// BACKOFFICE_API_KEY itself: shared/backoffice/boauth).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
}

// OutcomesConfig is what the ABS consumer needs of the environment for the review flow's
// outcomes: the applications table (DynamoDBCrudPolicy on it), where the ABS settings live too;
// ABS_QUEUE_URL (Queue: an auto-reject queues DeleteClient) and ABS_URL (the settings'
// defaults: abswire.Settings) are read by those parts.
type OutcomesConfig struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
}

// Outcomes wires the review flow's side of the ABS calls (abs.Outcomes) for the consumer.
func Outcomes(ctx context.Context) (*review.Service, error) {
	var cfg OutcomesConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return build(ctx, dynamodb.NewFromConfig(aws), cfg.ApplicationsTable, nil)
}

// Service wires the review flow from the environment.
func Service(ctx context.Context) (*review.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	members := &backoffice.Service{Identity: &identity.Service{Store: &identitydb.Store{DB: db, Table: cfg.IdentityTable}},
		Store: &backofficedb.Store{DB: db, Table: cfg.IdentityTable}}
	return build(ctx, db, cfg.ApplicationsTable, members)
}

func build(ctx context.Context, db *dynamodb.Client, table string, members review.Members) (*review.Service, error) {
	q, err := Queue(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := abswire.Settings(ctx) // which calls are on, auto-reject (E13)
	if err != nil {
		return nil, err
	}
	st := &reviewdb.Store{DB: db, Table: table}
	svc := &review.Service{Models: st, Checks: st, Members: members, Queue: q, Settings: settings}
	svc.Apps = &applications.Service{
		Store:    &applicationsdb.Store{DB: db, Table: table},
		Products: &rewards.Products{Store: &rewardsdb.CatalogueStore{DB: db, Table: table}}, // the reward of an opened account (A11)
		ABS:      q,
		Moves:    svc,
	}
	return svc, nil
}

func handler(pick func(*review.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&review.HTTP{Service: svc}), nil
	}
}
