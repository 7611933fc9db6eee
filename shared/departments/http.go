package departments

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the directory: reading on the partner API, reading and editing on the
// back-office API.
type HTTP struct{ Service *Service }

// maxBody bounds the whole directory a bank user sends, below DynamoDB's 400 KB item limit.
const maxBody = 300 << 10

// filled gives empty lists as [] rather than null.
func filled(regions []Region) []Region {
	out := make([]Region, len(regions))
	for i, r := range regions {
		cities := make([]City, len(r.Cities))
		for j, c := range r.Cities {
			if c.Offices == nil {
				c.Offices = []Office{}
			}
			cities[j] = c
		}
		r.Cities = cities
		out[i] = r
	}
	return out
}

// agentDirectory is the answer of GET /api/voz/departments/get.
type agentDirectory struct {
	Regions []Region `json:"regions"`
}

// Get handles GET /api/voz/departments/get on the partner API (AgentKey, A12): regions with
// their cities and bank offices.
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	d, err := h.Service.Get(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, agentDirectory{Regions: filled(d.Regions)})
	return nil
}

// bankDirectory is the directory as the bank sees and sends it.
type bankDirectory struct {
	Version   int64      `json:"version"`
	Regions   []Region   `json:"regions"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
}

func toBank(d Directory) bankDirectory {
	b := bankDirectory{Version: d.Version, Regions: filled(d.Regions), UpdatedBy: d.UpdatedBy}
	if !d.UpdatedAt.IsZero() {
		b.UpdatedAt = &d.UpdatedAt
	}
	return b
}

// BankGet handles GET /v1/departments on the back-office API: the directory with its version
// (0 while the default one is in use).
func (h *HTTP) BankGet(w http.ResponseWriter, r *http.Request) error {
	d, err := h.Service.Get(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toBank(d))
	return nil
}

// replaceRequest is the body of PUT /v1/departments: the whole directory and the version it
// was read with.
type replaceRequest struct {
	Version *int64   `json:"version"`
	Regions []Region `json:"regions"`
}

func (q replaceRequest) Validate() error {
	if q.Version == nil {
		return apperr.InvalidField("version", "is required (the version the directory was read with)")
	}
	return Validate(q.Regions)
}

// Replace handles PUT /v1/departments on the back-office API: a bank user saves the whole
// directory; 409 when it changed since it was read.
func (h *HTTP) Replace(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var q replaceRequest
	if err := httpapi.Decode(w, r, &q, maxBody); err != nil {
		return err
	}
	d, err := h.Service.Replace(r.Context(), p.Subject, *q.Version, q.Regions)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toBank(d))
	return nil
}
