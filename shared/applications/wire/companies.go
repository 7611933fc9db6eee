package wire

import (
	"context"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/company/dadata"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// DirectoryConfig is what the company-suggestion functions read from their environment.
type DirectoryConfig struct {
	DadataURL    string `env:"DADATA_URL"`
	DadataAPIKey string `env:"DADATA_API_KEY" secret:"true" default:""`
}

// Directory wires the company directory (DaData, or its simulator) from the environment.
func Directory() (*dadata.Client, error) {
	var cfg DirectoryConfig
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	return dadata.New(cfg.DadataURL, cfg.DadataAPIKey), nil
}

func companyHandler(pick func(*applications.CompanyHTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(context.Context) (httpapi.Handler, error) {
		d, err := Directory()
		if err != nil {
			return nil, err
		}
		return pick(&applications.CompanyHTTP{Directory: d}), nil
	}
}

// companyRoutes are the company suggestions of the application form (A5).
func companyRoutes() []httpapi.Route {
	r := func(path, fn string, pick func(*applications.CompanyHTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Client, Method: "GET", Path: path, Function: "applications/" + fn, Auth: httpapi.Session,
			Roles: everyone, Build: companyHandler(pick)}
	}
	return []httpapi.Route{
		r("/v1/company-suggestions", "company-suggest", func(h *applications.CompanyHTTP) httpapi.Handler { return h.Suggest }),
		r("/v1/company-suggestions/{inn}", "company-find", func(h *applications.CompanyHTTP) httpapi.Handler { return h.Find }),
	}
}
