package products

import (
	"net/http"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the directory on the back-office API.
type HTTP struct{ Service *Service }

// List handles GET /api/product (seed 004 "products"): [{"id","name","code","active"}].
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	ps, err := h.Service.List(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, ps)
	return nil
}

// PRKO handles GET /api/product/prko (seed 004 "prkoProducts"): the RKO packages.
func (h *HTTP) PRKO(w http.ResponseWriter, r *http.Request) error {
	httpapi.WriteJSON(w, http.StatusOK, PRKO())
	return nil
}
