// Package wire builds the allowlist domain's handlers from the environment and lists its routes.
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/allowlist"
	"github.com/kabinet/kabinet/shared/allowlist/allowlistdb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Routes of the allowlist domain (D6).
func Routes() []httpapi.Route {
	r := func(method, path, fn string, roles []string, pick func(*allowlist.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: method, Path: path, Function: "allowlist/" + fn, Auth: httpapi.Session, Roles: roles,
			Example: examples["allowlist/"+fn], Build: handler(pick)}
	}
	owners := []string{string(identity.Superuser), string(identity.Head)}
	var anyone []string
	return []httpapi.Route{
		r("GET", "/v1/ip-allowlist", "entry-list", owners, func(h *allowlist.HTTP) httpapi.Handler { return h.List }),
		r("POST", "/v1/ip-allowlist", "entry-add", owners, func(h *allowlist.HTTP) httpapi.Handler { return h.Add }),
		r("DELETE", "/v1/ip-allowlist/{entryId}", "entry-delete", owners, func(h *allowlist.HTTP) httpapi.Handler { return h.Delete }),
		r("GET", "/v1/ip-allowlist/my-ip", "my-ip", anyone, func(h *allowlist.HTTP) httpapi.Handler { return h.MyIP }),
	}
}

// examples of request bodies, by function.
var examples = map[string]string{
	"allowlist/entry-add": `{"address":"203.0.0.0/8","comment":"Сеть офиса на Тверской"}`, // covers the test addresses (access walk)
}

// Config is what the allowlist functions read from their environment.
type Config struct {
	IdentityTable string `env:"IDENTITY_TABLE"`
}

// Service wires the allowlist service from the environment.
func Service(ctx context.Context) (*allowlist.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	return &allowlist.Service{
		Store: &allowlistdb.Store{DB: db, Table: cfg.IdentityTable, Identity: &identitydb.Store{DB: db, Table: cfg.IdentityTable}},
	}, nil
}

func handler(pick func(*allowlist.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&allowlist.HTTP{Service: svc}), nil
	}
}
