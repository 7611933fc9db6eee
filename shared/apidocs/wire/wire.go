// Package wire lists the OpenAPI document's route. It cannot import shared/catalogue (the
// catalogue lists this route), so the catalogue hands its own Routes in: catalogue.Routes
// includes wire.Routes(catalogue.Routes), and the function's main starts from the catalogue.
package wire

import (
	"context"

	"github.com/kabinet/kabinet/shared/apidocs"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/system"
)

// Routes of the apidocs domain; source gives every route of every API (the catalogue's).
func Routes(source func() []httpapi.Route) []httpapi.Route {
	return []httpapi.Route{{API: httpapi.Backoffice, Method: "GET", Path: "/api/swagger/{swaggerFile}", Function: "apidocs/swagger",
		Auth: httpapi.BackofficeID, Build: func(context.Context) (httpapi.Handler, error) {
			v, _ := system.Current()
			return apidocs.New(source, httpapi.Backoffice, v).File, nil
		}}}
}
