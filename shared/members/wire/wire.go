// Package wire builds the members domain's handlers from the environment and lists its routes.
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/members"
	"github.com/kabinet/kabinet/shared/members/membersdb"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/sms"
)

// Routes of the members domain (A2, A13–A17).
func Routes() []httpapi.Route {
	r := func(api httpapi.API, method, path, fn string, auth httpapi.AuthScheme, roles []string, pick func(*members.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: api, Method: method, Path: path, Function: "members/" + fn, Auth: auth, Roles: roles, Build: handler(pick)}
	}
	c, s := httpapi.Client, httpapi.Session
	// Who may call at all; the service narrows by object (an administrator's own group).
	owners := []string{string(identity.Superuser), string(identity.Head)}
	managers := []string{string(identity.Superuser), string(identity.Head), string(identity.Administrator)}
	var anyone []string
	routes := []httpapi.Route{
		r(c, "POST", "/v1/groups", "group-create", s, owners, func(h *members.HTTP) httpapi.Handler { return h.CreateGroup }),
		r(c, "GET", "/v1/groups", "group-list", s, anyone, func(h *members.HTTP) httpapi.Handler { return h.Groups }),
		r(c, "POST", "/v1/users", "user-invite", s, managers, func(h *members.HTTP) httpapi.Handler { return h.Invite }),
		r(c, "GET", "/v1/users", "user-list", s, managers, func(h *members.HTTP) httpapi.Handler { return h.Users }),
		r(c, "GET", "/v1/users/{userId}", "user-get", s, anyone, func(h *members.HTTP) httpapi.Handler { return h.User }),
		r(c, "PATCH", "/v1/users/{userId}", "user-update", s, managers, func(h *members.HTTP) httpapi.Handler { return h.Update }),
		r(c, "POST", "/v1/users/{userId}/block", "user-block", s, managers, func(h *members.HTTP) httpapi.Handler { return h.StatusChange(h.Service.Block) }),
		r(c, "POST", "/v1/users/{userId}/unblock", "user-unblock", s, managers, func(h *members.HTTP) httpapi.Handler { return h.StatusChange(h.Service.Unblock) }),
		r(c, "POST", "/v1/users/{userId}/refuse", "user-refuse", s, managers, func(h *members.HTTP) httpapi.Handler { return h.StatusChange(h.Service.Refuse) }),
		r(c, "POST", "/v1/users/{userId}/resend-invitation", "user-resend-invitation", s, managers, func(h *members.HTTP) httpapi.Handler { return h.StatusChange(h.Service.ResendInvitation) }),
		r(httpapi.Backoffice, "POST", "/v1/agents/{orgId}/activate", "agent-activate", httpapi.BackofficeID, nil, func(h *members.HTTP) httpapi.Handler { return h.Activate }),
	}
	examples := map[string]string{
		"members/group-create": `{"name":"Отдел продаж"}`,
		"members/user-invite":  `{"fullName":"Кузнецов Олег","email":"oleg@example.ru","phone":"+79165550500","role":"user","groupId":""}`,
		"members/user-update":  `{"role":"administrator"}`,
	}
	for i := range routes {
		routes[i].Example = examples[routes[i].Function]
	}
	return routes
}

// Config is what the members functions read from their environment.
type Config struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	SmsQueueURL     string `env:"SMS_QUEUE_URL"`
	EmailQueueURL   string `env:"EMAIL_QUEUE_URL"`
	PageTokenSecret string `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"`
	CabinetURL      string `env:"CABINET_URL" default:"https://cabinet.kabinet.example"`
}

// Service wires the members service from the environment.
func Service(ctx context.Context) (*members.Service, error) {
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
	q := sqs.NewFromConfig(aws)
	return &members.Service{
		Store:        &membersdb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages, Identity: &identitydb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages}},
		SMS:          &sms.Outbox{SQS: q, QueueURL: cfg.SmsQueueURL},
		Mail:         &email.Outbox{SQS: q, QueueURL: cfg.EmailQueueURL},
		HashPassword: password.Hash,
		CabinetURL:   cfg.CabinetURL,
	}, nil
}

func handler(pick func(*members.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&members.HTTP{Service: svc}), nil
	}
}
