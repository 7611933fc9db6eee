// Package wire builds the identity domain's handlers from the environment and lists its routes.
package wire

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/allowlist/ipcheck"
	"github.com/kabinet/kabinet/shared/clients/clientsdb"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/access"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/otp"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
	"github.com/kabinet/kabinet/shared/sms"
)

// Routes of the identity domain: logins, sessions, password recovery and change, audit.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, auth httpapi.AuthScheme, limited bool, pick func(*identity.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: method, Path: path, Function: "identity/" + fn, Auth: auth, AllowLimited: limited,
			Example: examples["identity/"+fn], Build: handler(pick)}
	}
	pub, ses := httpapi.Public, httpapi.Session
	return []httpapi.Route{
		r("POST", "/v1/auth/login", "login", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.Login }),
		r("POST", "/v1/auth/refresh", "refresh", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.Refresh }),
		r("POST", "/v1/auth/logout", "logout", ses, true, func(h *identity.HTTP) httpapi.Handler { return h.Logout }),
		r("POST", "/v1/auth/otp", "otp-start", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.StartPhoneLogin }),                                   // B1, C11
		r("POST", "/v1/auth/otp/{id}/confirm", "otp-confirm", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.ConfirmPhoneLogin }),                  // B1, C11
		r("POST", "/v1/auth/password-recovery", "recovery-start", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.StartRecovery }),                  // A3
		r("POST", "/v1/auth/password-recovery/{id}/confirm", "recovery-confirm", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.ConfirmRecovery }), // A3
		r("POST", "/v1/auth/challenges/{id}/resend", "challenge-resend", pub, false, func(h *identity.HTTP) httpapi.Handler { return h.Resend }),                  // A3, A4
		r("GET", "/v1/me", "me", ses, true, func(h *identity.HTTP) httpapi.Handler { return h.Me }),
		r("POST", "/v1/me/password", "password-change-start", ses, true, func(h *identity.HTTP) httpapi.Handler { return h.StartPasswordChange }),                  // A4
		r("POST", "/v1/me/password/{id}/confirm", "password-change-confirm", ses, true, func(h *identity.HTTP) httpapi.Handler { return h.ConfirmPasswordChange }), // A4
		superuserOnly(r("GET", "/v1/audit", "audit", ses, false, func(h *identity.HTTP) httpapi.Handler { return h.Audit })),
	}
}

// examples of request bodies, by function.
var examples = map[string]string{
	"identity/login":                   `{"login":"+79161234567","password":"Novyi-Parol-2026"}`,
	"identity/refresh":                 `{"refreshToken":"<session id>.<secret>"}`,
	"identity/otp-start":               `{"phone":"+79161234567"}`,
	"identity/otp-confirm":             `{"code":"123456"}`,
	"identity/recovery-start":          `{"phone":"+79161234567","newPassword":"Novyi-Parol-2026","newPasswordRepeat":"Novyi-Parol-2026"}`,
	"identity/recovery-confirm":        `{"code":"123456"}`,
	"identity/password-change-start":   `{"newPassword":"Novyi-Parol-2026","newPasswordRepeat":"Novyi-Parol-2026"}`,
	"identity/password-change-confirm": `{"code":"123456"}`,
}

func superuserOnly(r httpapi.Route) httpapi.Route {
	r.Roles = []string{string(identity.Superuser)}
	return r
}

// Config is what the identity functions read from their environment.
type Config struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	RateLimitsTable string `env:"RATE_LIMITS_TABLE"`
	SmsQueueURL     string `env:"SMS_QUEUE_URL"`
	EmailQueueURL   string `env:"EMAIL_QUEUE_URL"` // D6: alerts on logins from unknown addresses
	CodePepper      string `env:"CODE_PEPPER" secret:"true" minlen:"32"`
	TokenSecret     string `env:"TOKEN_SECRET" secret:"true" minlen:"32"`
	PageTokenSecret string `env:"PAGE_TOKEN_SECRET" secret:"true" minlen:"32"`
}

// Service wires the identity service from the environment.
func Service(ctx context.Context) (*identity.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	codes, err := otp.NewHasher(cfg.CodePepper)
	if err != nil {
		return nil, err
	}
	tokens, err := access.NewTokens(cfg.TokenSecret, nil)
	if err != nil {
		return nil, err
	}
	pages, err := dynamo.NewPageTokens(cfg.PageTokenSecret)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	q := sqs.NewFromConfig(aws)
	store := &identitydb.Store{DB: db, Table: cfg.IdentityTable, Pages: pages}
	return &identity.Service{
		Store:     store,
		Tokens:    tokens,
		Passwords: identity.Passwords{Hash: password.Hash, Verify: password.Verify},
		Codes:     codes,
		Outbox:    &sms.Outbox{SQS: q, QueueURL: cfg.SmsQueueURL},
		Limits:    &ratelimit.Limiter{DB: db, Table: cfg.RateLimitsTable},
		Policy:    identity.DefaultPolicy,
		DummyHash: dummyHash,
		// Bank staff log in to the back office (E1), not to the client API.
		DenyOrgKinds: []identity.OrgKind{identity.BankOrg},
		Allowlist:    &ipcheck.Checker{DB: db, Table: cfg.IdentityTable},
		IPAlerts:     &identity.MailIPAlerts{Superusers: store.Superusers, Mail: &email.Outbox{SQS: q, QueueURL: cfg.EmailQueueURL}},
		// the last login on the bank's client report (E10): the registrant's funnel row
		LoggedIn: func(ctx context.Context, u identity.User, at time.Time) error {
			return clientsdb.RecordLogin(ctx, db, cfg.IdentityTable, u.Phone, u.ID, at)
		},
	}, nil
}

// dummyHash is an argon2id hash of a random string with the production parameters: verifying
// against it costs what a real check costs.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Qm9ndXNCb2d1c0JvZ3VzQm9ndXNCb2d1c0JvZ3VzQm8"

func handler(pick func(*identity.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&identity.HTTP{Service: svc}), nil
	}
}
