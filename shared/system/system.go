// Package system answers what every API exposes about the service itself: its version (E12).
package system

import (
	"context"
	"net/http"
	"os"
	"runtime/debug"
	"sync"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

var version = sync.OnceValue(func() string {
	if v := os.Getenv("KABINET_VERSION"); v != "" {
		return v
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "0.1.0+" + s.Value[:12]
			}
		}
	}
	return "0.1.0-dev"
})

// buildTime is when the binary's source was committed (vcs.time of the build info), or
// KABINET_BUILD_TIME when the build sets it; "" when neither is known.
var buildTime = sync.OnceValue(func() string {
	if v := os.Getenv("KABINET_BUILD_TIME"); v != "" {
		return v
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.time" {
				return s.Value
			}
		}
	}
	return ""
})

// Current returns the running version and build time (shared/sysinfo shows them).
func Current() (v, built string) { return version(), buildTime() }

// Version handles GET /api/info/version (seed 004) and GET /v1/version: {"version": "..."}.
func Version(w http.ResponseWriter, r *http.Request) error {
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"version": version()})
	return nil
}

// Routes of the system domain: the version on each of the three APIs.
func Routes() []httpapi.Route {
	build := func(context.Context) (httpapi.Handler, error) { return Version, nil }
	return []httpapi.Route{
		{API: httpapi.Client, Method: "GET", Path: "/v1/version", Function: "system/version", Auth: httpapi.Public, Build: build},
		{API: httpapi.Partner, Method: "GET", Path: "/v1/version", Function: "system/version", Auth: httpapi.Public, Build: build},
		{API: httpapi.Backoffice, Method: "GET", Path: "/api/info/version", Function: "system/version", Auth: httpapi.Public, Build: build},
	}
}
