// Package wire builds the apikeys domain's handlers from the environment and lists its
// routes: management of agent API credentials (A12) and partner keys on the client API, and
// the identity checks partners call on the partner API.
package wire

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/apikeys"
	"github.com/kabinet/kabinet/shared/apikeys/apikeysdb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/seal"
)

// Routes of the apikeys domain.
func Routes() []httpapi.Route {
	// Who manages what is declared here and checked again by the service, with the
	// organisation's kind (agent credentials for agents, partner keys for licensees).
	agentManagers := []string{string(identity.Superuser), string(identity.Head)}
	partnerManagers := []string{string(identity.Superuser)}
	manage := func(method, path, fn string, sealing bool, pick func(*apikeys.HTTP) httpapi.Handler) httpapi.Route {
		roles := agentManagers
		if strings.HasPrefix(fn, "partner-") {
			roles = partnerManagers
		}
		return httpapi.Route{API: httpapi.Client, Method: method, Path: path, Function: "apikeys/" + fn, Auth: httpapi.Session, Roles: roles, Build: handler(sealing, pick)}
	}
	check := func(path, fn string, auth httpapi.AuthScheme, h httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Partner, Method: "GET", Path: path, Function: "apikeys/" + fn, Auth: auth,
			Build: func(context.Context) (httpapi.Handler, error) { return h, nil }}
	}
	return []httpapi.Route{
		manage("POST", "/v1/api-credentials", "credential-create", false, (*apikeys.HTTP).CreateCredential),           // A12
		manage("GET", "/v1/api-credentials", "credential-list", false, (*apikeys.HTTP).ListCredentials),               // A12
		manage("DELETE", "/v1/api-credentials/{appId}", "credential-revoke", false, (*apikeys.HTTP).RevokeCredential), // A12
		manage("POST", "/v1/partner-keys", "partner-key-create", true, (*apikeys.HTTP).CreatePartnerKey),              // P3
		manage("GET", "/v1/partner-keys", "partner-key-list", false, (*apikeys.HTTP).ListPartnerKeys),                 // P3
		manage("DELETE", "/v1/partner-keys/{keyId}", "partner-key-revoke", false, (*apikeys.HTTP).RevokePartnerKey),   // P3
		check("/v1/agent/whoami", "agent-whoami", httpapi.AgentKey, apikeys.AgentWhoami),                              // A12
		check("/v1/partner/whoami", "partner-whoami", httpapi.PartnerHMAC, apikeys.PartnerWhoami),                     // P3
	}
}

// Config is what the management functions read from their environment.
type Config struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	PageTokenSecret string `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"`
}

// SealConfig is what creating partner keys reads besides Config.
type SealConfig struct {
	PartnerKeySecret string `env:"PARTNER_KEY_SECRET" secret:"true" minlen:"32"`
}

// Service wires the credential service from the environment; sealing (creating partner
// keys) also needs PARTNER_KEY_SECRET, which only that function gets.
func Service(ctx context.Context, sealing bool) (*apikeys.Service, error) {
	var cfg Config
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	svc := &apikeys.Service{Policy: apikeys.DefaultPolicy}
	if sealing {
		var sc SealConfig
		if err := config.Load(&sc); err != nil {
			return nil, err
		}
		sealer, err := seal.New(sc.PartnerKeySecret, "partner-key")
		if err != nil {
			return nil, err
		}
		svc.Sealer = sealer
	}
	aws, err := awsclient.Config(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := dynamo.NewPageTokens(cfg.PageTokenSecret)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	svc.Store = &apikeysdb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages}
	svc.Orgs = &identitydb.Store{DB: db, Table: cfg.IdentityTable} // organisations and the audit log
	return svc, nil
}

func handler(sealing bool, pick func(*apikeys.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx, sealing)
		if err != nil {
			return nil, err
		}
		return pick(&apikeys.HTTP{Service: svc}), nil
	}
}
