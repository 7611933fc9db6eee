// Package wire builds the product directory's handlers from the environment and lists its
// routes on the back-office API (seed 004).
package wire

import (
	"context"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/products"
	rewards "github.com/kabinet/kabinet/shared/rewards/wire"
)

// Routes of the products domain: reads any bank user may make.
func Routes() []httpapi.Route {
	r := func(path, fn string, build func(context.Context) (httpapi.Handler, error)) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: "GET", Path: path, Function: "products/" + fn, Auth: httpapi.BackofficeID, Build: build}
	}
	return []httpapi.Route{
		r("/api/product", "product-list", func(ctx context.Context) (httpapi.Handler, error) {
			cat, err := rewards.Products(ctx) // APPLICATIONS_TABLE
			if err != nil {
				return nil, err
			}
			return (&products.HTTP{Service: &products.Service{Catalogue: cat}}).List, nil
		}),
		r("/api/product/prko", "prko-list", func(context.Context) (httpapi.Handler, error) {
			return (&products.HTTP{}).PRKO, nil
		}),
	}
}
