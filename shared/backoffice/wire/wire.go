// Package wire builds the back office's handlers from the environment and lists its routes.
package wire

import (
	"context"
	"crypto/rand"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/backofficedb"
	"github.com/kabinet/kabinet/shared/banklist/banklistdb"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/access"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
)

// Routes of the back office's authentication and staff endpoints (E1), seed 004's paths
// under its base path /api.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, auth httpapi.AuthScheme, limited bool, pick func(*backoffice.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "backoffice/" + fn, Auth: auth, AllowLimited: limited, Build: handler(pick)}
	}
	pub, bo := httpapi.Public, httpapi.BackofficeID
	return []httpapi.Route{
		r("POST", "/api/login", "login", pub, false, func(h *backoffice.HTTP) httpapi.Handler { return h.Login }),
		r("GET", "/api/logout", "logout", bo, true, func(h *backoffice.HTTP) httpapi.Handler { return h.Logout }),
		r("GET", "/api/user/info/", "user-info", bo, true, func(h *backoffice.HTTP) httpapi.Handler { return h.Info }),
		r("GET", "/api/user/list", "user-list", bo, false, func(h *backoffice.HTTP) httpapi.Handler { return h.Users }),
		r("GET", "/api/user/signer", "user-signer", bo, false, func(h *backoffice.HTTP) httpapi.Handler { return h.Signers }),
		r("GET", "/api/user/takers", "user-takers", bo, false, func(h *backoffice.HTTP) httpapi.Handler { return h.Takers }),
		r("POST", "/api/user/role/{roleid}", "user-role", bo, false, func(h *backoffice.HTTP) httpapi.Handler { return h.SetActiveRole }),
		r("POST", "/api/lkbuser/firstlogin", "lkbuser-firstlogin", bo, true, func(h *backoffice.HTTP) httpapi.Handler { return h.FirstLogin }),
	}
}

// Config is what the back-office functions read from their environment (the authenticator
// reads BACKOFFICE_API_KEY itself: shared/backoffice/boauth).
type Config struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	RateLimitsTable string `env:"RATE_LIMITS_TABLE"`
}

// Store builds the back office's store from the environment.
func Store(ctx context.Context) (*backofficedb.Store, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &backofficedb.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.IdentityTable}, nil
}

// Service wires the back-office service from the environment.
func Service(ctx context.Context) (*backoffice.Service, error) {
	var cfg Config
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	st, err := Store(ctx)
	if err != nil {
		return nil, err
	}
	// identity.Service.Login also signs an access token for the client API; the back office
	// discards it (its callers hold the cookie), so it is signed with a key of this process
	// that nobody knows, and the back office needs no TOKEN_SECRET.
	tokens, err := access.NewTokens(rand.Text()+rand.Text(), nil)
	if err != nil {
		return nil, err
	}
	return &backoffice.Service{
		Identity: &identity.Service{
			Store:     &identitydb.Store{DB: st.DB, Table: cfg.IdentityTable},
			Tokens:    tokens,
			Passwords: identity.Passwords{Hash: password.Hash, Verify: password.Verify},
			Limits:    &ratelimit.Limiter{DB: st.DB, Table: cfg.RateLimitsTable},
			Policy:    identity.DefaultPolicy,
			DummyHash: dummyHash,
		},
		Store: st,
		// The saved list filter (shared/banklist) is an item of the same table.
		SavedFilter: (&banklistdb.Store{DB: st.DB, Table: cfg.IdentityTable}).Filter,
	}, nil
}

// Bootstrap makes sure the bank and its administrator exist (backoffice.Bootstrap), with the
// store from the environment; for local runs and first deployments.
func Bootstrap(ctx context.Context, login, pw string) (bool, error) {
	st, err := Store(ctx)
	if err != nil {
		return false, err
	}
	return backoffice.Bootstrap(ctx, st, login, pw)
}

// dummyHash is an argon2id hash with the production parameters (as identity's): verifying
// against it costs what a real check costs, so an unknown login does not show in timing.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Qm9ndXNCb2d1c0JvZ3VzQm9ndXNCb2d1c0JvZ3VzQm8"

func handler(pick func(*backoffice.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&backoffice.HTTP{Service: svc}), nil
	}
}
