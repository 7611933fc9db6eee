package allowlist

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the IP allowlist on the client API.
type HTTP struct{ Service *Service }

type entryJSON struct {
	ID        string    `json:"id"`
	Address   string    `json:"address"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
}

func toJSON(e Entry) entryJSON {
	return entryJSON{ID: e.ID, Address: e.Address, Comment: e.Comment, CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy}
}

// List handles GET /v1/ip-allowlist?q=: the entries, newest first, searched by q.
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	es, err := h.Service.Entries(r.Context(), identity.ActorOf(r), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	items := make([]entryJSON, len(es))
	for i, e := range es {
		items[i] = toJSON(e)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// Add handles POST /v1/ip-allowlist {"address","comment"}: 201 with the entry.
func (h *HTTP) Add(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Address string `json:"address"`
		Comment string `json:"comment"`
	}
	if err := httpapi.Decode(w, r, &req, 2048); err != nil {
		return err
	}
	e, err := h.Service.Add(r.Context(), identity.ActorOf(r), req.Address, req.Comment)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, toJSON(e))
	return nil
}

// Delete handles DELETE /v1/ip-allowlist/{entryId}: 204.
func (h *HTTP) Delete(w http.ResponseWriter, r *http.Request) error {
	if err := h.Service.Delete(r.Context(), identity.ActorOf(r), r.PathValue("entryId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// MyIP handles GET /v1/ip-allowlist/my-ip: {"ip","allowed"}.
func (h *HTTP) MyIP(w http.ResponseWriter, r *http.Request) error {
	ip, allowed, err := h.Service.MyIP(r.Context(), identity.ActorOf(r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"ip": ip, "allowed": allowed})
	return nil
}
