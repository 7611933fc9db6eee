package applications

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// HTTP serves applications on the client API.
type HTTP struct{ Service *Service }

type applicationJSON struct {
	ID            string            `json:"id"`
	Number        int64             `json:"number"`
	OrgID         string            `json:"orgId"`
	CreatedBy     string            `json:"createdBy"`
	GroupID       string            `json:"groupId,omitempty"`
	Status        string            `json:"status"`
	Company       Company           `json:"company"`
	Contact       Contact           `json:"contact"`
	Office        Office            `json:"office"`
	Product       string            `json:"product"` // "" = the default product (A11)
	Founders      []Founder         `json:"founders"`
	Questionnaire map[string]string `json:"questionnaire"`
	Comment       string            `json:"comment"`
	CreatedAt     time.Time         `json:"createdAt"`
	UpdatedAt     time.Time         `json:"updatedAt"`
	SubmittedAt   *time.Time        `json:"submittedAt,omitempty"`
	Version       int64             `json:"version"`
}

func toJSON(a Application) applicationJSON {
	out := applicationJSON{ID: a.ID, Number: a.Number, Comment: a.Comment, OrgID: a.OrgID, CreatedBy: a.CreatedBy, GroupID: a.GroupID, Status: a.Status,
		Company: a.Company, Contact: a.Contact, Office: a.Office, Founders: a.Founders, Questionnaire: a.Questionnaire,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
	out.Product = a.Product
	if out.Company.OKVED == nil {
		out.Company.OKVED = []string{}
	}
	if out.Founders == nil {
		out.Founders = []Founder{}
	}
	if out.Questionnaire == nil {
		out.Questionnaire = map[string]string{}
	}
	if !a.SubmittedAt.IsZero() {
		t := a.SubmittedAt
		out.SubmittedAt = &t
	}
	return out
}

// draftRequest is the body of create and edit: each section given replaces the stored one.
type draftRequest struct {
	Version       *int64             `json:"version"` // edit only
	Company       *Company           `json:"company"`
	Contact       *Contact           `json:"contact"`
	Office        *Office            `json:"office"`
	Founders      *[]Founder         `json:"founders"`
	Questionnaire *map[string]string `json:"questionnaire"`
	Comment       *string            `json:"comment"`
	Product       *string            `json:"product"` // a code of GET /v1/products; "" = the default product
}

func (d draftRequest) draft() Draft {
	return Draft{Company: d.Company, Contact: d.Contact, Office: d.Office, Founders: d.Founders, Questionnaire: d.Questionnaire, Comment: d.Comment, Product: d.Product}
}

const maxBody = 64 << 10

// Create handles POST /v1/applications: 201 with the draft (A5).
func (h *HTTP) Create(w http.ResponseWriter, r *http.Request) error {
	var req draftRequest
	if err := httpapi.Decode(w, r, &req, maxBody); err != nil {
		return err
	}
	if req.Version != nil {
		return apperr.InvalidField("version", "a new application has no version yet")
	}
	a, err := h.Service.Create(r.Context(), identity.ActorOf(r), req.draft())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, toJSON(a))
	return nil
}

// Get handles GET /v1/applications/{applicationId} (A6).
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	a, err := h.Service.Get(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(a))
	return nil
}

// Update handles PATCH /v1/applications/{applicationId} {"version", sections…} (A5, A7).
func (h *HTTP) Update(w http.ResponseWriter, r *http.Request) error {
	var req draftRequest
	if err := httpapi.Decode(w, r, &req, maxBody); err != nil {
		return err
	}
	if req.Version == nil {
		return apperr.InvalidField("version", "is required: the version you read")
	}
	if req.Company == nil && req.Contact == nil && req.Office == nil && req.Founders == nil && req.Questionnaire == nil && req.Comment == nil && req.Product == nil {
		return apperr.New(apperr.BadRequest, "nothing to change: send company, contact, office, founders, questionnaire, comment or product")
	}
	a, err := h.Service.Update(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"), *req.Version, req.draft())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(a))
	return nil
}

// Submit handles POST /v1/applications/{applicationId}/submit (A5, A7).
func (h *HTTP) Submit(w http.ResponseWriter, r *http.Request) error {
	a, err := h.Service.Submit(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(a))
	return nil
}

// annulRequest is the optional body of POST /v1/applications/{applicationId}/annul.
type annulRequest struct {
	Comment string `json:"comment"`
}

// Annul handles POST /v1/applications/{applicationId}/annul: the agent withdraws its
// application (issue 5); the body {"comment"} is optional.
func (h *HTTP) Annul(w http.ResponseWriter, r *http.Request) error {
	var q annulRequest
	if r.ContentLength != 0 {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<10))
		if err != nil {
			return apperr.New(apperr.TooLarge, "the body exceeds 8 KB")
		}
		if len(bytes.TrimSpace(b)) > 0 {
			r.Body = io.NopCloser(bytes.NewReader(b))
			if err := httpapi.Decode(w, r, &q, 8<<10); err != nil {
				return err
			}
		}
	}
	a, err := h.Service.Annul(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"), q.Comment)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(a))
	return nil
}

type historyJSON struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	ByBank  bool      `json:"byBank"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Comment string    `json:"comment,omitempty"`
}

// History handles GET /v1/applications/{applicationId}/history (A6).
func (h *HTTP) History(w http.ResponseWriter, r *http.Request) error {
	hs, err := h.Service.History(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"))
	if err != nil {
		return err
	}
	items := make([]historyJSON, len(hs))
	for i, e := range hs {
		items[i] = historyJSON{At: e.At, By: e.By, ByBank: e.ByBank, From: e.From, To: e.To, Comment: e.Comment}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// parseDate reads a day (2026-01-31, a Moscow day) or an instant (RFC 3339). end gives the
// exclusive upper bound: the next day's start for a day, the instant plus 1 ns otherwise.
func parseDate(field, v string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseInLocation(time.DateOnly, v, moscow.Zone); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, apperr.InvalidField(field, "must be a date (2026-01-31) or a time (2026-01-31T10:00:00+03:00)")
	}
	if end {
		t = t.Add(time.Nanosecond)
	}
	return t.UTC(), nil
}

// List handles GET /v1/applications?q=&status=&createdFrom=&createdTo=&pageToken=&limit= (A8).
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpapi.QueryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, err := parseDate("createdFrom", strings.TrimSpace(q.Get("createdFrom")), false)
	if err != nil {
		return err
	}
	to, err := parseDate("createdTo", strings.TrimSpace(q.Get("createdTo")), true)
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return apperr.InvalidField("createdTo", "must not be before createdFrom")
	}
	apps, next, err := h.Service.List(r.Context(), identity.ActorOf(r), Query{Q: q.Get("q"), Status: q.Get("status"), CreatedFrom: from, CreatedTo: to}, q.Get("pageToken"), limit)
	if err != nil {
		return err
	}
	items := make([]applicationJSON, len(apps))
	for i, a := range apps {
		items[i] = toJSON(a)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextPageToken": next})
	return nil
}

type statisticsJSON struct {
	From       string  `json:"from"`
	To         string  `json:"to"`
	Created    int64   `json:"created"`
	Submitted  int64   `json:"submitted"`
	Opened     int64   `json:"opened"`
	Rejected   int64   `json:"rejected"`
	Conversion float64 `json:"conversion"` // opened / submitted, 4 decimals; 0 without submissions
}

// Statistics handles GET /v1/applications/statistics?from=&to= (A10): the organisation's
// applications created, submitted, accounts opened, rejected and the conversion over Moscow
// days (inclusive; the current month by default; at most 366 days).
func (h *HTTP) Statistics(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	st, err := h.Service.Statistics(r.Context(), identity.ActorOf(r), strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to")))
	if err != nil {
		return err
	}
	out := statisticsJSON{From: st.From, To: st.To, Created: st.Created, Submitted: st.Submitted, Opened: st.Opened, Rejected: st.Rejected}
	if st.Submitted > 0 {
		out.Conversion = math.Round(float64(st.Opened)/float64(st.Submitted)*1e4) / 1e4
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// flexID is an id the seed writes as a number ("documentId": 10) that clients may also send as
// a string; null or absent is "".
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*f = ""
	case string:
		*f = flexID(strings.TrimSpace(v))
	case float64:
		if v != math.Trunc(v) || v < 0 || v > 1<<53 {
			return errors.New("must be a whole number or a string")
		}
		*f = flexID(strconv.FormatInt(int64(v), 10))
	default:
		return errors.New("must be a number, a string or null")
	}
	return nil
}

// modificationRequest is the body of the seed 000 agent API call.
type modificationRequest struct {
	Tin        *string `json:"tin"`
	Crr        *string `json:"crr"`
	Company    *string `json:"company"`
	FullName   *string `json:"fullName"`
	Phone      *string `json:"phone"`
	IDOffice   *flexID `json:"idOffice"`
	IDCity     *flexID `json:"idCity"`
	Email      *string `json:"email"`
	Comment    *string `json:"comment"`
	DocumentID flexID  `json:"documentId"`
	AgentID    flexID  `json:"agentId"`
}

// Modification handles POST /api/voz/agentapi/document/modification on the partner API (A12,
// seed 000): documentId null creates an application (201), otherwise the organisation's
// application with that number is updated (200). Either way the answer carries documentId,
// the number to send next time.
func (h *HTTP) Modification(w http.ResponseWriter, r *http.Request) error {
	var req modificationRequest
	if err := httpapi.Decode(w, r, &req, maxBody); err != nil {
		return err
	}
	str := func(f *flexID) *string {
		if f == nil {
			return nil
		}
		s := string(*f)
		return &s
	}
	caller, _ := httpapi.CallerOf(r.Context())
	app, created, err := h.Service.Modify(r.Context(), caller.Org, caller.Subject, Modification{
		DocumentID: string(req.DocumentID), AgentID: string(req.AgentID),
		INN: req.Tin, KPP: req.Crr, Company: req.Company, FullName: req.FullName, Phone: req.Phone,
		CityID: str(req.IDCity), OfficeID: str(req.IDOffice), Email: req.Email, Comment: req.Comment,
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	httpapi.WriteJSON(w, status, struct {
		DocumentID  int64           `json:"documentId"`
		Created     bool            `json:"created"`
		Application applicationJSON `json:"application"`
	}{app.Number, created, toJSON(app)})
	return nil
}
