package declarations

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves agents and declarations on the back-office API (seed 004 paths under /api).
type HTTP struct{ Service *Service }

// maxBody bounds a modification's body.
const maxBody = 4 << 10

// Agents handles GET /api/agent (agents): [{id, fio, login, status}].
func (h *HTTP) Agents(w http.ResponseWriter, r *http.Request) error {
	out, err := h.Service.AgentList(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Active handles GET /api/declaration/active?searchStr=&product= (activeDeclarations).
func (h *HTTP) Active(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var product *int64
	if raw := strings.TrimSpace(q.Get("product")); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return apperr.InvalidField("product", "a product id of GET /api/product")
		}
		product = &n
	}
	out, err := h.Service.Active(r.Context(), q.Get("searchStr"), product)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Get handles GET /api/declaration/info/{applicationid} (getDeclaration): 404 when the
// application has no declaration.
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	d, err := h.Service.Get(r.Context(), r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, d)
	return nil
}

// Modify handles PATCH /api/declaration/modify/{applicationid} (modifyDeclaration): the bank
// user's corrections; 200 with the declaration.
func (h *HTTP) Modify(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var m Modification
	if err := httpapi.Decode(w, r, &m, maxBody); err != nil {
		return err
	}
	d, err := h.Service.Modify(r.Context(), p.Subject, r.PathValue("applicationid"), m)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, d)
	return nil
}
