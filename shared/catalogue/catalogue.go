// Package catalogue is the composition root and the one route truth of Kabinet: every HTTP
// route (API, method, path, function, auth scheme, how to build its handler) and every SQS
// consumer. template.yaml must declare exactly these (see route_truth_test.go); Lambda
// functions (shared/launch) and the local server (infra/cmd/kabinet-local) mount them as
// they are.
package catalogue

import (
	"context"
	"slices"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/system"
)

// Consumer is an SQS-triggered function.
type Consumer struct {
	Function string // folder under functions/
	Build    func(ctx context.Context) (*sqsworker.Consumer, error)
}

// Routes returns every HTTP route. IDs from ../shared/spec/REQUIREMENTS.md in comments.
func Routes() []httpapi.Route {
	return []httpapi.Route{
		// E12: version on every API.
		{API: httpapi.Client, Method: "GET", Path: "/v1/version", Function: "system/version", Auth: httpapi.Public, Build: static(system.Version)},
		{API: httpapi.Partner, Method: "GET", Path: "/v1/version", Function: "system/version", Auth: httpapi.Public, Build: static(system.Version)},
		{API: httpapi.Backoffice, Method: "GET", Path: "/api/info/version", Function: "system/version", Auth: httpapi.Public, Build: static(system.Version)},

		// A1: registration confirmed by an SMS code.
		{API: httpapi.Client, Method: "POST", Path: "/v1/registrations", Function: "onboarding/registration-start", Auth: httpapi.Public,
			Build: onboardingRoute(func(h *onboardingHTTP) httpapi.Handler { return h.Start })},
		{API: httpapi.Client, Method: "POST", Path: "/v1/registrations/{id}/confirm", Function: "onboarding/registration-confirm", Auth: httpapi.Public,
			Build: onboardingRoute(func(h *onboardingHTTP) httpapi.Handler { return h.Confirm })},
		{API: httpapi.Client, Method: "POST", Path: "/v1/registrations/{id}/resend", Function: "onboarding/registration-resend", Auth: httpapi.Public,
			Build: onboardingRoute(func(h *onboardingHTTP) httpapi.Handler { return h.Resend })},
	}
}

// Consumers returns every SQS consumer.
func Consumers() []Consumer {
	return []Consumer{
		{Function: "notifications/sms-sender", Build: smsConsumer},
	}
}

// RoutesOf returns the routes a function serves.
func RoutesOf(function string) []httpapi.Route {
	var out []httpapi.Route
	for _, r := range Routes() {
		if r.Function == function {
			out = append(out, r)
		}
	}
	return out
}

// ConsumerOf returns the consumer a function runs.
func ConsumerOf(function string) (Consumer, bool) {
	i := slices.IndexFunc(Consumers(), func(c Consumer) bool { return c.Function == function })
	if i < 0 {
		return Consumer{}, false
	}
	return Consumers()[i], true
}

// Authenticators returns the authenticator of each scheme that is available. Schemes not
// listed refuse every call with 401 (see httpapi.NewServer).
func Authenticators(ctx context.Context) (map[httpapi.AuthScheme]httpapi.Authenticator, error) {
	return map[httpapi.AuthScheme]httpapi.Authenticator{}, nil
}

func static(h httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(context.Context) (httpapi.Handler, error) { return h, nil }
}
