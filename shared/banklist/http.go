package banklist

import (
	"net/http"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the bank's lists on the back-office API with seed 004's paths and fields.
type HTTP struct{ Service *Service }

// maxBody is the largest filter object read.
const maxBody = 16 << 10

func caller(r *http.Request) httpapi.Principal {
	p, _ := httpapi.CallerOf(r.Context())
	return p
}

// Get handles GET /api/application/{applicationid}/: the application with its actions and
// role infos (an Item), 404 when unknown.
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("applicationid")
	if id == "" || len(id) > 64 {
		return apperr.New(apperr.NotFound, "no such application")
	}
	it, err := h.Service.Get(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, it)
	return nil
}

// List handles POST /api/application/ (applicationList): [{application, actions, infos}].
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	var q Request
	if err := httpapi.Decode(w, r, &q, maxBody); err != nil {
		return err
	}
	items, err := h.Service.List(r.Context(), caller(r), q)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, items)
	return nil
}

// Count handles POST /api/application/count/ (applicationCount): {"count": n}.
func (h *HTTP) Count(w http.ResponseWriter, r *http.Request) error {
	var q Request
	if err := httpapi.Decode(w, r, &q, maxBody); err != nil {
		return err
	}
	n, err := h.Service.Count(r.Context(), q)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]int64{"count": n})
	return nil
}

// StatusCount handles GET /api/application/statuscount/: [{id, code, name, count}].
func (h *HTTP) StatusCount(w http.ResponseWriter, r *http.Request) error {
	out, err := h.Service.StatusCounts(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// SaveFilter handles POST /api/application/filter (saveFilter): the current user's filter,
// answered as stored.
func (h *HTTP) SaveFilter(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var q Request
	if err := httpapi.Decode(w, r, &q, maxBody); err != nil {
		return err
	}
	saved, err := h.Service.SaveFilter(r.Context(), p.Subject, q)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, saved)
	return nil
}

// Filter handles GET /api/application/filter (ours): the current user's saved filter, {}
// when none.
func (h *HTTP) Filter(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	q, err := h.Service.Filter(r.Context(), p.Subject)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, q)
	return nil
}
