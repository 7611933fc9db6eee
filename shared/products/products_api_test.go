package products_test

import (
	"context"
	"testing"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/products"
	"github.com/kabinet/kabinet/shared/products/wire"
	"github.com/kabinet/kabinet/shared/rewards"
	rewardswire "github.com/kabinet/kabinet/shared/rewards/wire"
)

// Issue 5 (seed 004): bank users list the products with their integer ids (following the
// rewards catalogue, withdrawn ones included) and the RKO packages; no credentials is a 401.
func TestProductDirectory(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	auth, err := catalogue.Authenticators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	api := testenv.NewAPI(t, auth, wire.Routes())
	if _, err := bowire.Bootstrap(ctx, "products-admin", "Products-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"X-Authorization": env.Params["BackofficeApiKey"]}
	testflows.Expect(t, api.Do(testenv.Request{Method: "GET", Path: "/api/product"}), 401, "products without credentials")
	testflows.Expect(t, api.Do(testenv.Request{Method: "GET", Path: "/api/product/prko"}), 401, "packages without credentials")

	got := testflows.Array(t, api, "/api/product", key)
	cat, err := rewardswire.Products(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cat.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(c.Products) {
		t.Fatalf("products: %v", got)
	}
	for i, p := range c.Products {
		g := got[i]
		if g["id"] != float64(products.Number(p.ID)) || g["name"] != p.Name || g["code"] != p.ID || g["active"] != p.Active {
			t.Fatalf("product %d: %v, want %+v", i, g, p)
		}
	}

	// A withdrawn product stays listed, inactive, with the same id.
	ps := append([]rewards.Product{}, c.Products...)
	for i := range ps {
		if !ps[i].Default {
			ps[i].Active = false
			break
		}
	}
	if _, err := cat.Replace(ctx, "someone", c.Version, ps); err != nil {
		t.Fatal(err)
	}
	got = testflows.Array(t, api, "/api/product", key)
	inactive := 0
	for i, p := range ps {
		g := got[i]
		if g["id"] != float64(products.Number(p.ID)) {
			t.Fatalf("id changed: %v", g)
		}
		if g["active"] == false {
			inactive++
		}
	}
	if inactive != 1 {
		t.Fatalf("withdrawn product: %v", got)
	}

	got = testflows.Array(t, api, "/api/product/prko", key)
	if len(got) != len(products.PRKO()) || got[0]["id"] != float64(1) || got[0]["name"] != products.PRKO()[0].Name {
		t.Fatalf("packages: %v", got)
	}
}
