// Package wire builds the UI settings' handlers from the environment and lists their routes
// on the back-office API: seed 004's images and colours, and our own edits of them.
package wire

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/branding"
	"github.com/kabinet/kabinet/shared/branding/brandingdb"
	"github.com/kabinet/kabinet/shared/branding/brandings3"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Administrators edit the settings (the caller's active role, boauth).
var administrators = []string{strconv.Itoa(int(backoffice.Administrator))}

// Routes of the branding domain. The login page's images and colours are public: the page
// shows them before anyone has logged in. The top menu's logo is for logged-in users.
func Routes() []httpapi.Route {
	r := func(method, path, fn string, auth httpapi.AuthScheme, pick func(*branding.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "branding/" + fn, Auth: auth, Build: handler(pick)}
	}
	pub, bo := httpapi.Public, httpapi.BackofficeID
	logo := func(l branding.Logo) func(*branding.HTTP) httpapi.Handler {
		return func(h *branding.HTTP) httpapi.Handler { return h.Logo(l) }
	}
	update := r("PUT", "/v1/ui-settings", "settings-update", bo, func(h *branding.HTTP) httpapi.Handler { return h.SettingsUpdate })
	update.Roles = administrators
	update.Example = `{"version":0,"colors":[{"name":"primary","value":"#1F4E8C"},{"name":"menuText","value":"#FFFFFF"}],"bankName":"АО «Банк»","supportPhone":"8 800 100-00-00","supportEmail":"support@bank.example"}`
	logoUpdate := r("PUT", "/v1/ui-settings/logos/{logo}", "logo-update", bo, func(h *branding.HTTP) httpapi.Handler { return h.LogoUpdate })
	logoUpdate.Roles = administrators
	logoUpdate.MaxBody = branding.MaxImageBytes
	return []httpapi.Route{
		r("GET", "/api/logo/login", "logo-login", pub, logo(branding.LoginLogo)),
		r("GET", "/api/logo/system", "logo-system", bo, logo(branding.SystemLogo)),
		r("GET", "/api/logo/favicon", "logo-favicon", pub, logo(branding.Favicon)),
		r("GET", "/api/system/color", "color-list", pub, func(h *branding.HTTP) httpapi.Handler { return h.Colors }),
		r("GET", "/v1/ui-settings", "settings-get", bo, func(h *branding.HTTP) httpapi.Handler { return h.SettingsGet }),
		update,
		logoUpdate,
	}
}

// Config is what the branding functions read from their environment (the authenticator
// reads its own: shared/backoffice/boauth).
type Config struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	DocumentsBucket string `env:"DOCUMENTS_BUCKET"`
}

// Service wires the UI settings service from the environment.
func Service(ctx context.Context) (*branding.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &branding.Service{
		Store: &brandingdb.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.IdentityTable},
		Files: &brandings3.Files{S3: blob.NewClient(aws), Bucket: cfg.DocumentsBucket},
	}, nil
}

// SettingsConfig is what a reader of the settings alone needs (shared/sysinfo).
type SettingsConfig struct {
	IdentityTable string `env:"IDENTITY_TABLE"`
}

// Settings wires a service that reads the settings document only (no bucket).
func Settings(ctx context.Context) (*branding.Service, error) {
	var cfg SettingsConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &branding.Service{Store: &brandingdb.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.IdentityTable}}, nil
}

func handler(pick func(*branding.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&branding.HTTP{Service: svc}), nil
	}
}
