// Package wire builds the reports domain's handlers and its report builder from the
// environment and lists its routes and worker (A9).
package wire

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/idempotency"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/reports"
	"github.com/kabinet/kabinet/shared/reports/reportsdb"
)

// Example is a valid report request (documentation, the access walk).
const Example = `{"columns":["createdAt","status","inn","shortName","contactPhone"],"from":"2026-11-01","to":"2026-11-30","format":"xlsx","delivery":"download"}`

// Routes of the reports domain (A9). They live under /v1/reports, not under /v1/applications:
// /v1/applications/reports/{reportId} would overlap /v1/applications/{applicationId}/history
// with neither more specific, which one net/http mux (and one API) cannot serve.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, build func(context.Context) (httpapi.Handler, error)) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: method, Path: path, Function: "reports/" + fn, Auth: httpapi.Session,
			Roles: everyone, Build: build}
	}
	create := r("POST", "/v1/reports", "report-create", handler(func(h *reports.HTTP) httpapi.Handler { return h.Create }))
	create.Example = Example
	// A retried request makes one report (Idempotency-Key).
	create.Idempotent, create.Idempotency, create.MaxBody = true, idempotency.FromEnv, reports.MaxBody
	return []httpapi.Route{
		create,
		r("GET", "/v1/reports", "report-list", handler(func(h *reports.HTTP) httpapi.Handler { return h.List })),
		r("GET", "/v1/reports/columns", "report-columns", func(context.Context) (httpapi.Handler, error) { return reports.ColumnList, nil }),
		r("GET", "/v1/reports/{reportId}", "report-get", handler(func(h *reports.HTTP) httpapi.Handler { return h.Get })),
	}
}

// Workers of the reports domain: the report builder.
func Workers() []sqsworker.Worker {
	return []sqsworker.Worker{{Function: "reports/report-builder", Build: Builder}}
}

// Every role of an agent organisation may report on the applications it sees (A17 scopes
// which); a report is its requester's alone.
var everyone = []string{string(identity.Superuser), string(identity.Head), string(identity.Administrator), string(identity.Member)}

// Config is what the report functions on the client API read from their environment.
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
	PageTokenSecret   string `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"`
	DocumentsBucket   string `env:"DOCUMENTS_BUCKET"`
	ReportQueueURL    string `env:"REPORT_QUEUE_URL"`
}

// BuilderConfig is what the report builder reads from its environment.
type BuilderConfig struct {
	ApplicationsTable      string        `env:"APPLICATIONS_TABLE"`
	IdentityTable          string        `env:"IDENTITY_TABLE"`
	PageTokenSecret        string        `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"` // the applications list's pages
	DocumentsBucket        string        `env:"DOCUMENTS_BUCKET"`
	EmailQueueURL          string        `env:"EMAIL_QUEUE_URL"`
	CabinetURL             string        `env:"CABINET_URL" default:"https://cabinet.kabinet.example"`
	ProcessedMessagesTable string        `env:"PROCESSED_MESSAGES_TABLE"`
	DeadLetterQueueURL     string        `env:"REPORT_DEAD_LETTER_QUEUE_URL"`
	Lease                  time.Duration `env:"REPORT_CLAIM_LEASE" default:"720s"` // ReportQueue's visibility timeout
}

// Service wires the reports service of the client API.
func Service(ctx context.Context) (*reports.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	pages, err := dynamo.NewPageTokens(cfg.PageTokenSecret)
	if err != nil {
		return nil, err
	}
	db, s3c := dynamodb.NewFromConfig(aws), blob.NewClient(aws)
	return &reports.Service{
		Store: &reportsdb.Store{DB: db, Table: cfg.ApplicationsTable, Pages: pages},
		Queue: &reportsdb.Queue{SQS: sqs.NewFromConfig(aws), QueueURL: cfg.ReportQueueURL},
		Users: &identitydb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages},
		Files: &reportsdb.Files{S3: s3c, Bucket: cfg.DocumentsBucket, Links: blob.New(s3c, cfg.DocumentsBucket)},
	}, nil
}

// BuilderService wires the reports service of the report builder.
func BuilderService(ctx context.Context) (*reports.Service, BuilderConfig, error) {
	var cfg BuilderConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, cfg, err
	}
	pages, err := dynamo.NewPageTokens(cfg.PageTokenSecret)
	if err != nil {
		return nil, cfg, err
	}
	db, s3c := dynamodb.NewFromConfig(aws), blob.NewClient(aws)
	users := &identitydb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages}
	return &reports.Service{
		Store:        &reportsdb.Store{DB: db, Table: cfg.ApplicationsTable, Pages: pages},
		Users:        users,
		Files:        &reportsdb.Files{S3: s3c, Bucket: cfg.DocumentsBucket, Links: blob.New(s3c, cfg.DocumentsBucket)},
		Applications: &applications.Service{Store: &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable, Pages: pages}, Users: users},
		Mail:         &email.Outbox{SQS: sqs.NewFromConfig(aws), QueueURL: cfg.EmailQueueURL},
		CabinetURL:   cfg.CabinetURL,
	}, cfg, nil
}

// Builder wires the report queue's consumer: claims in DynamoDB, failed jobs to the DLQ.
func Builder(ctx context.Context) (*sqsworker.Consumer, error) {
	svc, cfg, err := BuilderService(ctx)
	if err != nil {
		return nil, err
	}
	aws, err := awsclient.Config(ctx)
	if err != nil {
		return nil, err
	}
	return reports.NewConsumer(svc,
		&sqsworker.DynamoClaims{DB: dynamodb.NewFromConfig(aws), Table: cfg.ProcessedMessagesTable},
		&sqsworker.QueueDeadLetter{SQS: sqs.NewFromConfig(aws), URL: cfg.DeadLetterQueueURL},
		cfg.Lease), nil
}

func handler(pick func(*reports.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&reports.HTTP{Service: svc}), nil
	}
}
