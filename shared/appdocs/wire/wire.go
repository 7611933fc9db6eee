// Package wire builds the appdocs domain's handlers from the environment and lists its routes:
// the documents of account-opening applications on the client API (A5) and the document types
// on the client API (agents read) and the back-office API (the bank edits; E6).
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/appdocs/appdocsdb"
	"github.com/kabinet/kabinet/shared/appdocs/appdocss3"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/bankdocs"
	"github.com/kabinet/kabinet/shared/bankdocs/bankdocsdb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/idempotency"
)

// Routes of the appdocs domain.
func Routes() []httpapi.Route {
	doc := func(method, path, fn string, pick func(*appdocs.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: method, Path: path, Function: "appdocs/" + fn, Auth: httpapi.Session,
			Roles: everyone, Build: handler(Service, pick)}
	}
	typ := func(api httpapi.API, method, fn string, auth httpapi.AuthScheme, pick func(*appdocs.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: api, Method: method, Path: "/v1/document-types", Function: "appdocs/" + fn, Auth: auth,
			Build: handler(TypesService, pick)}
	}
	const docs = "/v1/applications/{applicationId}/documents"

	agentTypes := typ(httpapi.Client, "GET", "type-list", httpapi.Session, func(h *appdocs.HTTP) httpapi.Handler { return h.AgentTypes })
	agentTypes.Roles = everyone
	update := typ(httpapi.Backoffice, "PUT", "type-directory-update", httpapi.BackofficeID, func(h *appdocs.HTTP) httpapi.Handler { return h.BankReplaceTypes })
	update.Example = `{"version":0,"items":[{"id":1,"legalentitytype":"LEGAL_ENTITY","name":"Устав","description":"Действующая редакция устава","showable":true,"required":true,"lka":true,"lkv":true,"deleted":false,"fileCount":3,"allowFileTypeLkk":"pdf,jpg,png","allowFileTypeLkb":"pdf","maxFileSize":20,"orderNum":10,"subType":"LKK_APP_CLIENT"}]}`

	create := doc("POST", docs, "document-create", func(h *appdocs.HTTP) httpapi.Handler { return h.Create })
	create.Example = `{"typeId":1,"fileName":"Устав ООО Ромашка.pdf","size":245760,"contentType":"application/pdf"}`
	// A retried announcement gets the same document and upload (Idempotency-Key).
	create.Idempotent, create.Idempotency, create.MaxBody = true, idempotencyStore, appdocs.MaxCreateBody

	// Seed 004's multipart upload; the guard and the handler both hold the body to the limit.
	direct := doc("POST", "/v1/applications/{applicationId}/binary/{doctype}/{docle}", "binary-upload", func(h *appdocs.HTTP) httpapi.Handler { return h.UploadDirect })
	direct.MaxBody = appdocs.MaxDirectUpload

	return []httpapi.Route{
		agentTypes,
		typ(httpapi.Backoffice, "GET", "type-directory-get", httpapi.BackofficeID, func(h *appdocs.HTTP) httpapi.Handler { return h.BankTypes }),
		update,
		create,
		doc("GET", docs, "document-list", func(h *appdocs.HTTP) httpapi.Handler { return h.List }),
		doc("POST", docs+"/{documentId}/confirm", "document-confirm", func(h *appdocs.HTTP) httpapi.Handler { return h.Confirm }),
		doc("GET", docs+"/{documentId}/download", "document-download", func(h *appdocs.HTTP) httpapi.Handler { return h.Download }),
		doc("DELETE", docs+"/{documentId}", "document-delete", func(h *appdocs.HTTP) httpapi.Handler { return h.Delete }),
		direct,
	}
}

// Every role of an agent organisation works with the documents of the applications it sees;
// the applications service scopes which (A17).
var everyone = []string{string(identity.Superuser), string(identity.Head), string(identity.Administrator), string(identity.Member)}

// TypesConfig is what the document-type functions read from their environment (the
// authenticators read theirs themselves).
type TypesConfig struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
}

// Config is what the document functions read from their environment.
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
	DocumentsBucket   string `env:"DOCUMENTS_BUCKET"`
}

// TypesService wires a service that serves only the document types.
func TypesService(ctx context.Context) (*appdocs.Service, error) {
	var cfg TypesConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &appdocs.Service{Types: &appdocsdb.Types{DB: dynamodb.NewFromConfig(aws), Table: cfg.ApplicationsTable}}, nil
}

// Service wires the whole documents service from the environment.
func Service(ctx context.Context) (*appdocs.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	apps := &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable}
	return &appdocs.Service{
		Types:   &appdocsdb.Types{DB: db, Table: cfg.ApplicationsTable},
		Docs:    &appdocsdb.Docs{DB: db, Table: cfg.ApplicationsTable},
		Files:   appdocss3.New(blob.NewClient(aws), cfg.DocumentsBucket),
		Apps:    &applications.Service{Store: apps, Users: &identitydb.Store{DB: db, Table: cfg.IdentityTable}},
		AllApps: apps,
		// An agent's upload fulfils the bank's open request for its type (E6).
		Uploaded: (&bankdocs.Service{Store: &bankdocsdb.Store{DB: db, Table: cfg.ApplicationsTable}}).Uploaded,
	}, nil
}

// IdempotencyConfig is what the idempotency store reads.
type IdempotencyConfig struct {
	IdempotencyTable string `env:"IDEMPOTENCY_TABLE"`
}

// idempotencyStore keeps the Idempotency-Key claims of document-create.
func idempotencyStore(ctx context.Context) (httpapi.IdempotencyStore, error) {
	var cfg IdempotencyConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &idempotency.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.IdempotencyTable}, nil
}

func handler(build func(context.Context) (*appdocs.Service, error), pick func(*appdocs.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := build(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&appdocs.HTTP{Service: svc}), nil
	}
}
