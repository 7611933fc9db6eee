package wire

import (
	"context"

	"github.com/kabinet/kabinet/shared/binaries"
	objects "github.com/kabinet/kabinet/shared/binaries/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// binaryRoutes are seed 004's generic binary objects (createObject, updateObject,
// deleteObject; E6): files of no application, kept by shared/binaries. They share the
// /api/binary paths, and so this stack's API, with the documents' upload and download (GET
// /api/binary/{id} serves both). The position after /api/binary/ is named {applicationid},
// as its siblings', though it carries an object id here. Changing one takes a current user and
// a role that works documents.
func binaryRoutes() []httpapi.Route {
	r := func(method, path, fn string, pick func(*binaries.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: path, Function: "bankdocs/" + fn, Auth: httpapi.BackofficeID,
			Roles: workers, MaxBody: binaries.MaxSize, Build: objectHandler(pick)}
	}
	del := r("DELETE", "/api/binary/{applicationid}", "binary-delete", func(h *binaries.HTTP) httpapi.Handler { return h.Delete })
	del.MaxBody = 0
	return []httpapi.Route{
		r("POST", "/api/binary/", "binary-create", func(h *binaries.HTTP) httpapi.Handler { return h.Create }),
		r("PATCH", "/api/binary/{applicationid}", "binary-update", func(h *binaries.HTTP) httpapi.Handler { return h.Update }),
		del,
	}
}

func objectHandler(pick func(*binaries.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := objects.Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&binaries.HTTP{Service: svc}), nil
	}
}
