// Package catalogue is the one route truth of Kabinet: every HTTP route (API, method, path,
// function, auth scheme, how to build its handler) and every SQS worker, gathered from the
// domains' route lists. template.yaml must declare exactly these (route_truth_test.go); the
// local server (infra/cmd/kabinet-local) and the HTTP-level tests mount them as they are.
// Lambda functions import only their own domain's list (see shared/launch).
package catalogue

import (
	"context"
	"slices"

	abs "github.com/kabinet/kabinet/shared/abs/wire"
	acts "github.com/kabinet/kabinet/shared/acts/wire"
	allowlist "github.com/kabinet/kabinet/shared/allowlist/wire"
	apidocs "github.com/kabinet/kabinet/shared/apidocs/wire"
	apikeys "github.com/kabinet/kabinet/shared/apikeys/wire"
	appdocs "github.com/kabinet/kabinet/shared/appdocs/wire"
	applications "github.com/kabinet/kabinet/shared/applications/wire"
	backoffice "github.com/kabinet/kabinet/shared/backoffice/wire"
	bankdocs "github.com/kabinet/kabinet/shared/bankdocs/wire"
	banklist "github.com/kabinet/kabinet/shared/banklist/wire"
	branding "github.com/kabinet/kabinet/shared/branding/wire"
	checks "github.com/kabinet/kabinet/shared/checks/wire"
	clients "github.com/kabinet/kabinet/shared/clients/wire"
	declarations "github.com/kabinet/kabinet/shared/declarations/wire"
	departments "github.com/kabinet/kabinet/shared/departments/wire"
	email "github.com/kabinet/kabinet/shared/email/wire"
	"github.com/kabinet/kabinet/shared/identity/authn"
	identity "github.com/kabinet/kabinet/shared/identity/wire"
	members "github.com/kabinet/kabinet/shared/members/wire"
	onboarding "github.com/kabinet/kabinet/shared/onboarding/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	products "github.com/kabinet/kabinet/shared/products/wire"
	reports "github.com/kabinet/kabinet/shared/reports/wire"
	review "github.com/kabinet/kabinet/shared/review/wire"
	rewards "github.com/kabinet/kabinet/shared/rewards/wire"
	sms "github.com/kabinet/kabinet/shared/sms/wire"
	sysinfo "github.com/kabinet/kabinet/shared/sysinfo/wire"
	"github.com/kabinet/kabinet/shared/system"
)

// Routes returns every HTTP route.
func Routes() []httpapi.Route {
	return slices.Concat(
		system.Routes(),     // E12
		onboarding.Routes(), // A1
		identity.Routes(),   // A3, A4, B1, C11, sessions, audit
		members.Routes(),    // A2, A13–A17
		backoffice.Routes(), // E1
		apikeys.Routes(),    // A12 agent API credentials, partner keys (P3)
		allowlist.Routes(),  // D6 IP allowlist
		applications.Routes(),
		departments.Routes(), // A12 regions, cities and bank offices directory
		appdocs.Routes(),     // A5 documents of applications, E6 document types
		rewards.Routes(),     // A11 products and the agents' rewards
		reports.Routes(),     // A9 reports over applications

		// Issue 5, the back office: logos, favicon, colours and login-page texts; the pages'
		// system information; the product directory and RKO packages; the OpenAPI document of
		// the back-office API, generated from this very catalogue.
		branding.Routes(),
		sysinfo.Routes(),
		products.Routes(),
		apidocs.Routes(Routes),
		bankdocs.Routes(), // E6–E8 the bank's document work, print forms, questionnaire
		banklist.Routes(), // E2 the bank's application lists: get, list, count, statuscount, saved filter
		review.Routes(),   // the status model, nextStep, statuses, work, life date, signers, reservation
		acts.Routes(),     // E11 the acts of payment to agents
		abs.Routes(),      // E13 the ABS integration's settings (dynamic fields, auto-reject)
		checks.Routes(),   // E9 the ABS's checks: runs, manual results, comments, XLSX journal, re-check
		// E11 the agents and their reward declarations (active, get, modify)
		declarations.Routes(),
		clients.Routes(), // E10 the client report and its count, the client list and card
	)
}

// Workers returns every SQS-triggered function.
func Workers() []sqsworker.Worker {
	return slices.Concat(
		sms.Workers(),
		email.Workers(),
		reports.Workers(), // A9 report builder
		abs.Workers(),     // E13 the ABS queue's consumer
	)
}

// Authenticators returns the authenticator of each scheme available so far. A scheme not
// listed refuses every call with 401 (httpapi.NewServer).
func Authenticators(ctx context.Context) (map[httpapi.AuthScheme]httpapi.Authenticator, error) {
	return authn.For(ctx, Routes())
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
