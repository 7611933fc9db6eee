package reports

import (
	"net/http"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves reports on the client API.
type HTTP struct{ Service *Service }

// MaxBody is the request body limit of a report request.
const MaxBody = 8 << 10

type reportJSON struct {
	ID                string     `json:"id"`
	Status            string     `json:"status"`
	Format            string     `json:"format"`
	Delivery          string     `json:"delivery"`
	Columns           []string   `json:"columns"`
	From              string     `json:"from"`
	To                string     `json:"to"`
	Rows              int        `json:"rows"`
	CreatedAt         time.Time  `json:"createdAt"`
	ReadyAt           *time.Time `json:"readyAt"`
	DownloadURL       *string    `json:"downloadUrl"`       // a fresh link on each read of a ready report
	DownloadExpiresAt *time.Time `json:"downloadExpiresAt"` // when that link stops working
	Failure           string     `json:"failure,omitempty"` // why a failed report failed
}

func toJSON(r Report) reportJSON {
	out := reportJSON{ID: r.ID, Status: r.Status, Format: r.Format, Delivery: r.Delivery, Columns: r.Columns,
		From: r.From, To: r.To, Rows: r.Rows, CreatedAt: r.CreatedAt, Failure: r.Failure}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	if !r.ReadyAt.IsZero() {
		t := r.ReadyAt
		out.ReadyAt = &t
	}
	return out
}

type requestJSON struct {
	Columns  []string `json:"columns"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Format   string   `json:"format"`
	Delivery string   `json:"delivery"`
}

// Create handles POST /v1/reports {columns, from, to, format, delivery}: 202 with
// the queued report (A9); 422 when it cannot be made as asked.
func (h *HTTP) Create(w http.ResponseWriter, r *http.Request) error {
	var req requestJSON
	if err := httpapi.Decode(w, r, &req, MaxBody); err != nil {
		return err
	}
	rep, err := h.Service.Request(r.Context(), identity.ActorOf(r), Spec{Columns: req.Columns, From: strings.TrimSpace(req.From),
		To: strings.TrimSpace(req.To), Format: strings.TrimSpace(req.Format), Delivery: strings.TrimSpace(req.Delivery)})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusAccepted, toJSON(rep))
	return nil
}

// Get handles GET /v1/reports/{reportId}: the caller's report with, once ready, a fresh
// download link.
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	rep, err := h.Service.Get(r.Context(), identity.ActorOf(r), r.PathValue("reportId"))
	if err != nil {
		return err
	}
	out := toJSON(rep)
	url, expires, err := h.Service.Link(r.Context(), rep)
	if err != nil {
		return err
	}
	if url != "" {
		out.DownloadURL, out.DownloadExpiresAt = &url, &expires
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// List handles GET /v1/reports?pageToken=&limit=: the caller's reports, newest
// first, without download links (GET one for its link).
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpapi.QueryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	rs, next, err := h.Service.List(r.Context(), identity.ActorOf(r), r.URL.Query().Get("pageToken"), limit)
	if err != nil {
		return err
	}
	items := make([]reportJSON, len(rs))
	for i, rep := range rs {
		items[i] = toJSON(rep)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextPageToken": next})
	return nil
}

type columnJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// ColumnList handles GET /v1/reports/columns: the columns an agent may tick, with
// the titles the file's header shows.
func ColumnList(w http.ResponseWriter, _ *http.Request) error {
	items := make([]columnJSON, len(columns))
	for i, c := range columns {
		items[i] = columnJSON{ID: c.ID, Title: c.Title}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
