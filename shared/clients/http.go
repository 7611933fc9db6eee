package clients

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// HTTP serves the clients' reads on the back-office API with seed 004's paths and fields.
type HTTP struct{ Service *Service }

// maxBody is the largest filter object read.
const maxBody = 4 << 10

// NextPageHeader carries the token of the client list's next page (absent on the last):
// the seed's answer is a bare array, so the token cannot go in the body.
const NextPageHeader = "X-Next-Page-Token"

// reportRowJSON is seed 004's clientReports item. Dates are Moscow times (RFC 3339 with the
// offset); a step not reached is null.
type reportRowJSON struct {
	ID             string   `json:"id"`
	FIO            string   `json:"fio"`
	Phone          string   `json:"phone"`
	Email          string   `json:"email"`
	INNs           []string `json:"inns"`
	InputPhone     *string  `json:"inputPhone"`
	SentSMS        *string  `json:"sentSms"`
	ConfirmedPhone *string  `json:"confirmedPhone"`
	Registered     *string  `json:"registered"`
	LastLogin      *string  `json:"lastLogin"`
}

func when(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.In(moscow.Zone).Format(time.RFC3339)
	return &s
}

func toRowJSON(r ReportRow) reportRowJSON {
	inns := r.INNs
	if inns == nil {
		inns = []string{}
	}
	return reportRowJSON{ID: r.ID, FIO: r.FullName, Phone: r.Phone, Email: r.Email, INNs: inns, InputPhone: when(r.InputPhone),
		SentSMS: when(r.SentSMS), ConfirmedPhone: when(r.ConfirmedPhone), Registered: when(r.Registered), LastLogin: when(r.LastLogin)}
}

// decodeFilter reads the optional filter object: an empty body is no filter.
func decodeFilter(w http.ResponseWriter, r *http.Request) (ReportRequest, error) {
	var q ReportRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return q, apperr.Newf(apperr.TooLarge, "request body exceeds %d bytes", maxBody)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return q, q.Validate()
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return q, httpapi.Decode(w, r, &q, maxBody)
}

// Report handles POST /api/client/report (clientReports): [{id, fio, phone, email, inns,
// inputPhone, sentSms, confirmedPhone, registered, lastLogin}], newest inputPhone first.
func (h *HTTP) Report(w http.ResponseWriter, r *http.Request) error {
	q, err := decodeFilter(w, r)
	if err != nil {
		return err
	}
	rows, err := h.Service.Report(r.Context(), q)
	if err != nil {
		return err
	}
	out := make([]reportRowJSON, len(rows))
	for i, row := range rows {
		out[i] = toRowJSON(row)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// ReportCount handles POST /api/client/report/count (clientReportCount): {"count": n}, the
// number of rows the report gives for the same filter (size and page ignored).
func (h *HTTP) ReportCount(w http.ResponseWriter, r *http.Request) error {
	q, err := decodeFilter(w, r)
	if err != nil {
		return err
	}
	n, err := h.Service.ReportCount(r.Context(), q)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]int64{"count": n})
	return nil
}

// legalEntityJSON and individualJSON are the card's "legalentity" / "individual" objects
// (the seed leaves them open): the company's requisites; the other one is null.
type legalEntityJSON struct {
	ShortName string `json:"shortName"`
	FullName  string `json:"fullName"`
	INN       string `json:"inn"`
	KPP       string `json:"kpp"`
	OGRN      string `json:"ogrn"`
	Address   string `json:"address"`
}

type individualJSON struct {
	ShortName string `json:"shortName"`
	FullName  string `json:"fullName"`
	INN       string `json:"inn"`
	OGRNIP    string `json:"ogrnip"`
	Address   string `json:"address"`
}

// clientJSON is seed 004's getClients item / getClient answer; firstSeen, updatedAt and
// lastApplicationId are ours.
type clientJSON struct {
	ID                string           `json:"id"`
	ContactFIO        string           `json:"contactfio"`
	Phone             string           `json:"phone"`
	Email             string           `json:"email"`
	Number            string           `json:"number"`
	Type              string           `json:"type"` // "legalentity" or "individual" (ИП)
	INN               string           `json:"inn"`
	KPP               string           `json:"kpp"`
	Individual        *individualJSON  `json:"individual"`
	LegalEntity       *legalEntityJSON `json:"legalentity"`
	LastApplicationID string           `json:"lastApplicationId"`
	FirstSeen         *string          `json:"firstSeen"`
	UpdatedAt         *string          `json:"updatedAt"`
}

func toClientJSON(c Client) clientJSON {
	out := clientJSON{ID: c.ID, ContactFIO: c.ContactFIO, Phone: c.Phone, Email: c.Email, INN: c.INN, KPP: c.KPP,
		LastApplicationID: c.LastApplicationID, FirstSeen: when(c.FirstSeen), UpdatedAt: when(c.UpdatedAt)}
	if c.ABSClientID > 0 {
		out.Number = strconv.FormatInt(c.ABSClientID, 10)
	}
	if c.Individual() {
		out.Type = "individual"
		out.Individual = &individualJSON{ShortName: c.ShortName, FullName: c.FullName, INN: c.INN, OGRNIP: c.OGRN, Address: c.Address}
	} else {
		out.Type = "legalentity"
		out.LegalEntity = &legalEntityJSON{ShortName: c.ShortName, FullName: c.FullName, INN: c.INN, KPP: c.KPP, OGRN: c.OGRN, Address: c.Address}
	}
	return out
}

// List handles GET /api/clients (getClients): the clients newest first, ?limit (1–1000,
// default 100) at a time; the next page's token is in the X-Next-Page-Token header, given
// back as ?pageToken.
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	limit := 0
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return apperr.InvalidField("limit", "from 1 to 1000")
		}
		limit = n
	}
	list, next, err := h.Service.Clients(r.Context(), r.URL.Query().Get("pageToken"), limit)
	if err != nil {
		return err
	}
	out := make([]clientJSON, len(list))
	for i, c := range list {
		out[i] = toClientJSON(c)
	}
	if next != "" {
		w.Header().Set(NextPageHeader, next)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Get handles GET /api/client/{clientId} (getClient): one client by its id (the INN); 404
// when unknown.
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	c, err := h.Service.Client(r.Context(), r.PathValue("clientId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toClientJSON(c))
	return nil
}
