// Package httpapi is the HTTP layer every Kabinet endpoint shares: the route type of the route
// catalogue, per-route authentication declared up front, request ids and access logs, JSON
// decoding with limits and field errors, and the one mapping from error codes to statuses (P5).
// The same handlers serve API Gateway (through aws-lambda-go-api-proxy) and the local server.
package httpapi

import (
	"context"
	"net/http"
)

// API names one of the three API Gateway REST APIs, by audience.
type API string

const (
	Client     API = "client"     // mobile/web cabinets
	Partner    API = "partner"    // licensee systems, agent API keys, billing callbacks
	Backoffice API = "backoffice" // bank staff; private
)

// APIs lists every API in a fixed order.
var APIs = []API{Client, Partner, Backoffice}

// AuthScheme is how a route's caller proves who it is. Each route declares one; a route
// whose scheme has no authenticator configured refuses every call (401).
type AuthScheme string

const (
	Public       AuthScheme = "public"        // anyone; rate limits apply
	Session      AuthScheme = "session"       // mobile/web user: bearer access token
	AgentKey     AuthScheme = "agent-key"     // agent API: HTTP Basic with app-id / shared key (A12)
	PartnerHMAC  AuthScheme = "partner-hmac"  // licensee: HMAC-signed request
	BackofficeID AuthScheme = "backoffice"    // bank staff: session cookie or X-Authorization + User-LKB (E1)
	BillingBasic AuthScheme = "billing-basic" // billing callbacks: HTTP Basic (B4)
)

// Handler serves one route. A returned error is written as the JSON error of its code.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Route is one entry of the route catalogue: where it is served, by which function, how the
// caller authenticates, and how to build its handler. The catalogue and template.yaml must
// agree (checked by the route-truth test).
type Route struct {
	API      API
	Method   string // upper case
	Path     string // API Gateway / net/http syntax: /v1/registrations/{id}/confirm
	Function string // folder under functions/, e.g. "onboarding/registration-start"
	Auth     AuthScheme
	// AllowLimited lets a caller whose access is limited (a temporary password not yet
	// changed) through; other routes refuse such callers with 403.
	AllowLimited bool
	// Roles, when set, are the caller roles allowed; others get 403 before the handler runs.
	// Handlers still check what depends on the object (an administrator's own group…).
	Roles []string
	// Idempotent makes a request carrying an Idempotency-Key header run once: a retry gets the
	// first response back (see idempotency.go). Such a route needs Idempotency.
	Idempotent bool
	// Idempotency builds the store of Idempotent routes' keys; it runs once per process.
	Idempotency func(ctx context.Context) (IdempotencyStore, error)
	// MaxBody, when set, is the largest request body the route reads: the guard wraps the
	// body in a reader that fails past it (the handler turns that into its 413). An Idempotent
	// route reads at most this (MaxBody when 0) to hash the request.
	MaxBody int64
	// Example is a valid request body, for documentation and the access walk test.
	Example string
	// Build wires the handler (config, clients, service). It runs once per process.
	Build func(ctx context.Context) (Handler, error)
}

// Principal is the authenticated caller.
type Principal struct {
	Scheme  AuthScheme
	Subject string // user id, app id, partner id
	Org     string // organisation the caller acts for
	Session string // session id, for schemes that have sessions
	Roles   []string
	// Limited, when set, says why the caller may only reach AllowLimited routes.
	Limited string
}

// HasRole reports whether the caller has one of roles.
func (p Principal) HasRole(roles ...string) bool {
	for _, have := range p.Roles {
		for _, want := range roles {
			if have == want {
				return true
			}
		}
	}
	return false
}

// Authenticator checks a request's credentials for one scheme. It returns an
// apperr.Unauthorized (or Forbidden) error when they do not hold.
type Authenticator func(r *http.Request) (Principal, error)

type principalKey struct{}

// CallerOf returns the authenticated caller of a request (false on public routes).
func CallerOf(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// WithCaller returns ctx carrying p (used by the auth middleware and by tests).
func WithCaller(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}
