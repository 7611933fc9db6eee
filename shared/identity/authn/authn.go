// Package authn knows how to build the authenticator of every auth scheme from the
// environment. Lambda functions build only the schemes their routes declare (shared/launch);
// the local server and the tests build them all. A scheme missing here refuses every call.
// Add a scheme with one line in builders; keep each builder's package small, since every
// function links them all.
package authn

import (
	"context"
	"fmt"
	"sort"

	"github.com/kabinet/kabinet/shared/apikeys/keyauth"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity/access"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var builders = map[httpapi.AuthScheme]func(context.Context) (httpapi.Authenticator, error){
	httpapi.Session:      session,
	httpapi.BackofficeID: boauth.Build, // E1: cookie JSESSION, or X-Authorization + User-LKB
	httpapi.AgentKey:     keyauth.AgentKey,
	httpapi.PartnerHMAC:  keyauth.PartnerHMAC,
}

func session(ctx context.Context) (httpapi.Authenticator, error) {
	c, err := access.FromEnv(ctx)
	if err != nil {
		return nil, err
	}
	return c.Authenticator, nil
}

// For builds the authenticators of the schemes routes declare (public routes need none).
func For(ctx context.Context, routes []httpapi.Route) (map[httpapi.AuthScheme]httpapi.Authenticator, error) {
	out := map[httpapi.AuthScheme]httpapi.Authenticator{}
	for _, r := range routes {
		if r.Auth == httpapi.Public || out[r.Auth] != nil {
			continue
		}
		build, ok := builders[r.Auth]
		if !ok {
			continue // no authenticator yet: the route refuses every call
		}
		a, err := build(ctx)
		if err != nil {
			return nil, fmt.Errorf("auth scheme %s: %w", r.Auth, err)
		}
		out[r.Auth] = a
	}
	return out, nil
}

// Schemes lists the schemes that have an authenticator.
func Schemes() []httpapi.AuthScheme {
	out := make([]httpapi.AuthScheme, 0, len(builders))
	for s := range builders {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
