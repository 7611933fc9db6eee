package rewards

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the products and rewards on the client API and the catalogue on the
// back-office API. Service is nil for the catalogue's handlers.
type HTTP struct {
	Products *Products
	Service  *Service
}

// maxBody bounds the catalogue a bank user sends (MaxProducts products).
const maxBody = 64 << 10

type productJSON struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	RewardKopecks int64  `json:"rewardKopecks"`
	Default       bool   `json:"default"`
}

// ProductList handles GET /v1/products on the client API: the products an application may
// name, with the reward each earns the agent (A11).
func (h *HTTP) ProductList(w http.ResponseWriter, r *http.Request) error {
	ps, err := h.Products.Active(r.Context())
	if err != nil {
		return err
	}
	items := make([]productJSON, len(ps))
	for i, p := range ps {
		items[i] = productJSON{ID: p.ID, Name: p.Name, RewardKopecks: p.RewardKopecks, Default: p.Default}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// bankCatalogue is the catalogue as the bank sees and sends it.
type bankCatalogue struct {
	Version   int64      `json:"version"`
	Products  []Product  `json:"products"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
}

func toBank(c Catalogue) bankCatalogue {
	b := bankCatalogue{Version: c.Version, Products: c.Products, UpdatedBy: c.UpdatedBy}
	if b.Products == nil {
		b.Products = []Product{}
	}
	if !c.UpdatedAt.IsZero() {
		b.UpdatedAt = &c.UpdatedAt
	}
	return b
}

// RulesGet handles GET /v1/reward-rules on the back-office API: the catalogue with its
// version (0 while the default one is in use).
func (h *HTTP) RulesGet(w http.ResponseWriter, r *http.Request) error {
	c, err := h.Products.Get(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toBank(c))
	return nil
}

// replaceRequest is the body of PUT /v1/reward-rules: the whole catalogue and the version it
// was read with.
type replaceRequest struct {
	Version  *int64    `json:"version"`
	Products []Product `json:"products"`
}

func (q replaceRequest) Validate() error {
	if q.Version == nil {
		return apperr.InvalidField("version", "is required (the version the catalogue was read with)")
	}
	return nil
}

// RulesUpdate handles PUT /v1/reward-rules on the back-office API: a bank user saves the whole
// catalogue; 409 when it changed since it was read, 400 when it breaks a rule (Validate).
// Rewards already accrued keep their amounts.
func (h *HTTP) RulesUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var q replaceRequest
	if err := httpapi.Decode(w, r, &q, maxBody); err != nil {
		return err
	}
	c, err := h.Products.Replace(r.Context(), p.Subject, *q.Version, q.Products)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toBank(c))
	return nil
}

type rewardJSON struct {
	ApplicationID string    `json:"applicationId"`
	Number        int64     `json:"number"`
	INN           string    `json:"inn"`
	ShortName     string    `json:"shortName"`
	Product       string    `json:"product"`
	ProductName   string    `json:"productName"`
	AmountKopecks int64     `json:"amountKopecks"`
	AccruedAt     time.Time `json:"accruedAt"`
}

func toJSON(r Reward) rewardJSON {
	return rewardJSON{ApplicationID: r.ApplicationID, Number: r.Number, INN: r.INN, ShortName: r.ShortName,
		Product: r.Product, ProductName: r.ProductName, AmountKopecks: r.AmountKopecks, AccruedAt: r.AccruedAt}
}

type listJSON struct {
	Month         string       `json:"month"`
	TotalKopecks  int64        `json:"totalKopecks"`
	Count         int64        `json:"count"`
	Items         []rewardJSON `json:"items"`
	NextPageToken string       `json:"nextPageToken"`
}

// List handles GET /v1/rewards?month=&q=&pageToken=&limit= (A11): the rewards accrued in a
// Moscow month (the current one by default) with their total, newest first; q is an INN
// prefix when all digits, else a short-name prefix.
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpapi.QueryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := h.Service.List(r.Context(), identity.ActorOf(r), Query{Month: q.Get("month"), Q: q.Get("q")}, q.Get("pageToken"), limit)
	if err != nil {
		return err
	}
	out := listJSON{Month: p.Month, TotalKopecks: p.Total.AmountKopecks, Count: p.Total.Count, Items: make([]rewardJSON, len(p.Items)), NextPageToken: p.Next}
	for i, it := range p.Items {
		out.Items[i] = toJSON(it)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// summaryJSON is what the detail shows of the rewarded application.
type summaryJSON struct {
	ID          string               `json:"id"`
	Number      int64                `json:"number"`
	Status      string               `json:"status"`
	CreatedAt   time.Time            `json:"createdAt"`
	SubmittedAt *time.Time           `json:"submittedAt,omitempty"`
	Company     applications.Company `json:"company"`
	Contact     applications.Contact `json:"contact"`
	Office      applications.Office  `json:"office"`
	Product     string               `json:"product"`
}

type detailJSON struct {
	rewardJSON
	Month       string      `json:"month"`
	Application summaryJSON `json:"application"`
}

// Get handles GET /v1/rewards/{applicationId} (A11): the reward of one application with the
// application's summary; 404 when none was accrued or the caller may not see it.
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	rw, app, err := h.Service.Get(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"))
	if err != nil {
		return err
	}
	s := summaryJSON{ID: app.ID, Number: app.Number, Status: app.Status, CreatedAt: app.CreatedAt, Company: app.Company,
		Contact: app.Contact, Office: app.Office, Product: app.Product}
	if s.Company.OKVED == nil {
		s.Company.OKVED = []string{}
	}
	if !app.SubmittedAt.IsZero() {
		t := app.SubmittedAt
		s.SubmittedAt = &t
	}
	httpapi.WriteJSON(w, http.StatusOK, detailJSON{rewardJSON: toJSON(rw), Month: rw.Month, Application: s})
	return nil
}
