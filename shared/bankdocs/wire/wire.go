// Package wire builds the bankdocs domain's handlers from the environment and lists its
// routes: the bank's document work on applications on the back-office API (seed 004: extra-
// document requests, documents, verification, questionnaire, print forms; E6–E8), the generic
// binary objects on the same /api/binary paths (shared/binaries, binaries.go) and the agent's
// view of the requests on the client API.
package wire

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/appdocs/appdocsdb"
	"github.com/kabinet/kabinet/shared/appdocs/appdocss3"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/bankdocs"
	"github.com/kabinet/kabinet/shared/bankdocs/bankdocsdb"
	objects "github.com/kabinet/kabinet/shared/binaries/wire"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Routes of the bankdocs domain.
func Routes() []httpapi.Route {
	bo := func(method, path, fn string, roles []string, pick func(*bankdocs.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "bankdocs/" + fn, Auth: httpapi.BackofficeID,
			Roles: roles, Build: handler(pick)}
	}
	const app = "/api/application/{applicationid}"

	create := bo("POST", app+"/docrequirement/", "docrequirement-create", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.CreateRequest })
	create.Example = `{"req":{"typeId":7,"comment":"Приложите лицензию на осуществление деятельности"}}`
	recall := bo("POST", app+"/doc/recalled", "docrequirement-recall", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.Recall })
	recall.Example = `{"ids":["01KAXQ7ZJ3M1P2Q3R4S5T6V7W8"]}`
	verify := bo("POST", app+"/doc/{docid}/verify", "doc-verify", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.Verify })
	verify.Example = `{"result":true,"comment":"Копия заверена нотариально"}`
	upload := bo("POST", "/api/binary/{applicationid}/{doctype}/{docle}", "binary-upload", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.Upload })
	upload.MaxBody = appdocs.MaxDirectUpload
	questionnaire := bo("POST", app+"/questionnaire/", "questionnaire-update", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.UpdateQuestionnaire })
	questionnaire.Example = `{"version":3,"questionnaire":{"Планируемый оборот в месяц":"до 1 млн руб.","Выгодоприобретатели":"нет"}}`
	questionnaire.MaxBody = bankdocs.MaxQuestionnaireBody

	agent := httpapi.Route{API: httpapi.Client, Method: "GET", Path: "/v1/applications/{applicationId}/document-requests",
		Function: "bankdocs/document-requests", Auth: httpapi.Session, Roles: everyone, Build: handler(func(h *bankdocs.HTTP) httpapi.Handler { return h.AgentRequests })}

	return append([]httpapi.Route{
		create,
		recall,
		bo("GET", app+"/clientdocs", "clientdocs", nil, func(h *bankdocs.HTTP) httpapi.Handler { return h.ClientDocs }),
		bo("GET", app+"/fielddocs", "fielddocs", nil, func(h *bankdocs.HTTP) httpapi.Handler { return h.FieldDocs }),
		bo("GET", "/api/info/fielddocumenttypes/{applicationid}", "fielddocumenttypes", nil, func(h *bankdocs.HTTP) httpapi.Handler { return h.UploadTypes }),
		upload,
		// The seed's GET /binary/{documentid}: the position is named as the upload's, which
		// API Gateway requires of siblings; the value is a document id.
		bo("GET", "/api/binary/{applicationid}", "binary-download", nil, func(h *bankdocs.HTTP) httpapi.Handler { return h.Download }),
		verify,
		bo("DELETE", app+"/doc/{docid}", "doc-delete", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.Delete }),
		bo("GET", app+"/questionnaire/", "questionnaire-get", nil, func(h *bankdocs.HTTP) httpapi.Handler { return h.Questionnaire }),
		questionnaire,
		bo("POST", app+"/generatebankform", "bankform-generate", workers, func(h *bankdocs.HTTP) httpapi.Handler { return h.GenerateForms }),
		agent,
	}, binaryRoutes()...)
}

// workers are the back-office roles that change an application's documents: the
// administrator, the operator (reviews documents) and the executor (works the application);
// the signer only reads.
var workers = []string{role(backoffice.Administrator), role(backoffice.Operator), role(backoffice.Executor)}

func role(r backoffice.RoleID) string { return strconv.Itoa(int(r)) }

// Every role of an agent organisation sees the requests of the applications it sees (A17).
var everyone = []string{string(identity.Superuser), string(identity.Head), string(identity.Administrator), string(identity.Member)}

// Config is what the functions read from their environment (the authenticators read theirs
// themselves).
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	IdentityTable     string `env:"IDENTITY_TABLE"`
	DocumentsBucket   string `env:"DOCUMENTS_BUCKET"`
}

// Service wires the service from the environment.
func Service(ctx context.Context) (*bankdocs.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	apps := &applicationsdb.Store{DB: db, Table: cfg.ApplicationsTable}
	appsSvc := &applications.Service{Store: apps, Users: &identitydb.Store{DB: db, Table: cfg.IdentityTable}}
	docs := &appdocsdb.Docs{DB: db, Table: cfg.ApplicationsTable}
	objs, err := objects.Service(ctx) // GET /api/binary/{id} serves generic objects too
	if err != nil {
		return nil, err
	}
	return &bankdocs.Service{
		Docs: &appdocs.Service{
			Types:   &appdocsdb.Types{DB: db, Table: cfg.ApplicationsTable},
			Docs:    docs,
			Files:   appdocss3.New(blob.NewClient(aws), cfg.DocumentsBucket),
			Apps:    appsSvc,
			AllApps: apps,
		},
		Finder:    docs,
		Store:     &bankdocsdb.Store{DB: db, Table: cfg.ApplicationsTable},
		Apps:      appsSvc,
		AgentApps: appsSvc,
		Objects:   objs,
	}, nil
}

func handler(pick func(*bankdocs.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&bankdocs.HTTP{Service: svc}), nil
	}
}
