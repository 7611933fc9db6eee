// Package wire builds the system information handlers from the environment and lists their
// routes on the back-office API (seed 004).
package wire

import (
	"context"

	branding "github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/sysinfo"
)

// Routes of the sysinfo domain: the login page's information is public.
func Routes() []httpapi.Route {
	r := func(path, fn string, auth httpapi.AuthScheme, pick func(*sysinfo.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: "GET", Path: path, Function: "sysinfo/" + fn, Auth: auth, Build: handler(pick)}
	}
	return []httpapi.Route{
		r("/api/info/systeminfologin", "systeminfo-login", httpapi.Public, func(h *sysinfo.HTTP) httpapi.Handler { return h.Login }),
		r("/api/info/systeminfo", "systeminfo", httpapi.BackofficeID, func(h *sysinfo.HTTP) httpapi.Handler { return h.System }),
	}
}

// Config is what the sysinfo functions read from their environment besides the settings'
// (IDENTITY_TABLE, shared/branding/wire).
type Config struct {
	Stage  string `env:"STAGE"`
	AbsURL string `env:"ABS_URL" default:""` // empty: the ABS integration is not configured
}

func handler(pick func(*sysinfo.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		var cfg Config
		if err := config.Load(&cfg); err != nil {
			return nil, err
		}
		settings, err := branding.Settings(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&sysinfo.HTTP{Settings: settings, Stage: cfg.Stage, ABSConfigured: cfg.AbsURL != ""}), nil
	}
}
