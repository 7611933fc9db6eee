package review

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// HTTP serves the review flow on the back-office API (seed 004 paths under /api; the status
// model under /v1).
type HTTP struct{ Service *Service }

// Body limits.
const (
	maxModelBody = 200 << 10 // the whole status model, below DynamoDB's 400 KB item limit
	maxStepBody  = 16 << 10
)

func caller(r *http.Request) (Caller, error) {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return Caller{}, err
	}
	return Caller{UserID: p.Subject, Role: backoffice.ActiveRoleOf(p.Roles)}, nil
}

// optionalJSON decodes an optional JSON body into dst: an empty body leaves it as it is.
func optionalJSON(w http.ResponseWriter, r *http.Request, dst any, max int64) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		return apperr.Newf(apperr.TooLarge, "the body exceeds %d bytes", max)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return httpapi.Decode(w, r, dst, max)
}

// statusJSON is a status as the seed's status lists show it.
type statusJSON struct {
	ID   int    `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// bankApplication is the bank's view of an application after a change: its status, the ABS
// call in flight, the work, the account. (The full application is the applications part's
// GET /api/application/{applicationid}.)
type bankApplication struct {
	ApplicationID string     `json:"applicationid"`
	Number        int64      `json:"number"`
	Status        statusJSON `json:"status"`
	Version       int64      `json:"version"`
	ABSPending    string     `json:"absPending,omitempty"`   // NewClient / OpenAccount / … while the ABS works
	InitialCheck  string     `json:"initialCheck,omitempty"` // pending, passed, failed
	TakerID       string     `json:"takerId,omitempty"`
	TakenAt       *time.Time `json:"takenAt,omitempty"`
	Signers       []string   `json:"signers"`
	LifeDate      *time.Time `json:"lifeDate,omitempty"`
	ClosedAt      *time.Time `json:"closedAt,omitempty"`
	AccountNumber string     `json:"accountNumber,omitempty"`
	AccountByHand bool       `json:"accountByHand,omitempty"` // reserved by hand: opened without the ABS
	AccountType   string     `json:"accountType,omitempty"`
	OpeningDate   string     `json:"openingDate,omitempty"`
	PRKOProduct   int64      `json:"prkoProduct,omitempty"`
	ABSClientID   int64      `json:"absClientId,omitempty"`
}

func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (h *HTTP) write(w http.ResponseWriter, r *http.Request, a applications.Application) error {
	m, err := h.Service.Model(r.Context())
	if err != nil {
		return err
	}
	st, ok := m.Status(a.Status)
	if !ok {
		st = Status{Code: a.Status, Name: a.Status}
	}
	b := a.Bank
	out := bankApplication{ApplicationID: a.ID, Number: a.Number, Status: statusJSON{st.ID, st.Code, st.Name}, Version: a.Version,
		ABSPending: b.ABSPending, InitialCheck: b.InitialCheck, TakerID: b.TakerID, TakenAt: when(b.TakenAt), Signers: b.Signers,
		LifeDate: when(b.LifeDate), ClosedAt: when(b.ClosedAt), AccountNumber: b.AccountNumber, AccountByHand: b.AccountByHand, AccountType: b.AccountType,
		OpeningDate: b.OpeningDate, PRKOProduct: b.PRKOProduct, ABSClientID: b.ABSClientID}
	if out.Signers == nil {
		out.Signers = []string{}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Step handles POST /api/application/{applicationid}/step/{action} (nextStep): the optional
// body {"comment", "signers":[userIds]}.
func (h *HTTP) Step(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var in StepInput
	if err := optionalJSON(w, r, &in, maxStepBody); err != nil {
		return err
	}
	a, err := h.Service.Step(r.Context(), c, r.PathValue("applicationid"), r.PathValue("action"), in)
	if err != nil {
		return err
	}
	return h.write(w, r, a)
}

// statusEntryJSON is an entry of applicationStatuses; info tells when, who and why.
type statusEntryJSON struct {
	statusJSON
	Info string `json:"info"`
}

// Statuses handles GET /api/application/{applicationid}/status/ (applicationStatuses).
func (h *HTTP) Statuses(w http.ResponseWriter, r *http.Request) error {
	es, err := h.Service.Statuses(r.Context(), r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	out := make([]statusEntryJSON, len(es))
	for i, e := range es {
		who := "агент " + e.By
		if e.ByBank {
			who = "банк " + e.By
		}
		info := e.At.In(moscow.Zone).Format("2006-01-02T15:04:05-07:00") + "; " + who
		if e.Comment != "" {
			info += "; " + e.Comment
		}
		out[i] = statusEntryJSON{statusJSON{e.Status.ID, e.Status.Code, e.Status.Name}, info}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Take handles GET /api/application/{applicationid}/work (takeToWork).
func (h *HTTP) Take(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	a, err := h.Service.Take(r.Context(), c, r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	return h.write(w, r, a)
}

// Release handles DELETE /api/application/{applicationid}/work (removeFromWork).
func (h *HTTP) Release(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	a, err := h.Service.Release(r.Context(), c, r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	return h.write(w, r, a)
}

// LifeDate handles POST /api/application/{applicationid}/lifedate/{date} (changeLifeDate).
func (h *HTTP) LifeDate(w http.ResponseWriter, r *http.Request) error {
	if _, err := caller(r); err != nil {
		return err
	}
	a, err := h.Service.SetLifeDate(r.Context(), r.PathValue("applicationid"), r.PathValue("date"))
	if err != nil {
		return err
	}
	return h.write(w, r, a)
}

// signatureJSON is the seed's signature entry, with the signer's user id and name.
type signatureJSON struct {
	ApplicationID string `json:"applicationid"`
	EmployeeID    string `json:"employeeid"`
	DateTime      string `json:"datetime"` // when signed; "" while not signed
	Signed        bool   `json:"signed"`
	UserID        string `json:"userId"`
	UserFio       string `json:"userFio"`
}

// Signatures handles GET /api/application/{applicationid}/signature/ (applicationSignatures).
func (h *HTTP) Signatures(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("applicationid")
	ss, err := h.Service.Signatures(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]signatureJSON, len(ss))
	for i, s := range ss {
		out[i] = signatureJSON{ApplicationID: id, EmployeeID: s.EmployeeID, UserID: s.UserID, UserFio: s.FullName, Signed: !s.SignedAt.IsZero()}
		if !s.SignedAt.IsZero() {
			out[i].DateTime = s.SignedAt.In(moscow.Zone).Format(time.RFC3339)
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// ReserveAccount handles POST /api/application/{applicationid}/reserveaccount/ (reserveAccount).
func (h *HTTP) ReserveAccount(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var acc Account
	if err := httpapi.Decode(w, r, &acc, maxStepBody); err != nil {
		return err
	}
	a, err := h.Service.ReserveAccount(r.Context(), c, r.PathValue("applicationid"), acc)
	if err != nil {
		return err
	}
	return h.write(w, r, a)
}

// StatusList handles GET /api/status (statusList): the model's statuses.
func (h *HTTP) StatusList(w http.ResponseWriter, r *http.Request) error {
	m, err := h.Service.Model(r.Context())
	if err != nil {
		return err
	}
	out := make([]statusJSON, len(m.Statuses))
	for i, s := range m.Statuses {
		out[i] = statusJSON{s.ID, s.Code, s.Name}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// modelJSON is the status model as administrators read and send it.
type modelJSON struct {
	Version   *int64     `json:"version"`
	Statuses  []Status   `json:"statuses"`
	Actions   []Action   `json:"actions"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
}

func (q modelJSON) Validate() error {
	if q.Version == nil {
		return apperr.InvalidField("version", "is required (the version the model was read with)")
	}
	return Validate(q.Statuses, q.Actions)
}

func toModelJSON(m Model) modelJSON {
	v := m.Version
	out := modelJSON{Version: &v, Statuses: m.Statuses, Actions: m.Actions, UpdatedAt: when(m.UpdatedAt), UpdatedBy: m.UpdatedBy}
	for i := range out.Actions {
		if out.Actions[i].Roles == nil {
			out.Actions[i].Roles = []int{}
		}
	}
	return out
}

// GetModel handles GET /v1/status-model: the model with its version (0 while Default).
func (h *HTTP) GetModel(w http.ResponseWriter, r *http.Request) error {
	m, err := h.Service.Model(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toModelJSON(m))
	return nil
}

// PutModel handles PUT /v1/status-model: an administrator saves the whole model; 409 when it
// changed since it was read.
func (h *HTTP) PutModel(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var q modelJSON
	if err := httpapi.Decode(w, r, &q, maxModelBody); err != nil {
		return err
	}
	m, err := h.Service.SaveModel(r.Context(), c.UserID, *q.Version, q.Statuses, q.Actions)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toModelJSON(m))
	return nil
}
