package applications

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kabinet/kabinet/shared/company"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// CompanyHTTP serves company suggestions on the client API (A5): the agent types a name or an
// INN, picks a company, and the application form is filled from it.
type CompanyHTTP struct{ Directory company.Suggester }

const (
	minSuggestQuery = 2
	maxSuggestQuery = 300 // DaData's limit
	// directoryRetry is the Retry-After of a 503 when the directory named no time itself.
	directoryRetry = 5 * time.Second
)

// partyJSON is a company as the form takes it.
type partyJSON struct {
	Value      string              `json:"value"`
	INN        string              `json:"inn"`
	KPP        string              `json:"kpp"`
	OGRN       string              `json:"ogrn"`
	OKPO       string              `json:"okpo"`
	OKVED      string              `json:"okved"`
	Kind       company.Kind        `json:"kind"`
	FullName   string              `json:"fullName"`
	ShortName  string              `json:"shortName"`
	Address    string              `json:"address"`
	Status     company.Status      `json:"status"`
	Management *company.Management `json:"management"` // null for a sole proprietor
}

func partiesJSON(ps []company.Party) map[string]any {
	items := make([]partyJSON, len(ps))
	for i, p := range ps {
		items[i] = partyJSON{Value: p.Value, INN: p.INN, KPP: p.KPP, OGRN: p.OGRN, OKPO: p.OKPO, OKVED: p.OKVED,
			Kind: p.Kind, FullName: p.FullName, ShortName: p.ShortName, Address: p.Address.Value, Status: p.Status,
			Management: p.Management}
	}
	return map[string]any{"items": items}
}

// directoryError gives a 503 of the directory a Retry-After when it has none.
func directoryError(err error) error {
	if e, ok := apperr.As(err); ok && e.Code == apperr.Unavailable && e.RetryAfter <= 0 {
		c := *e
		c.RetryAfter = directoryRetry
		return &c
	}
	return err
}

// Suggest handles GET /v1/company-suggestions?q=&count= (A5): companies whose name, INN or
// OGRN matches q as typed.
func (h *CompanyHTTP) Suggest(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return apperr.InvalidField("q", "is required: a company name or the start of an INN")
	}
	if n := utf8.RuneCountInString(q); n < minSuggestQuery || n > maxSuggestQuery {
		return apperr.InvalidField("q", "must be 2 to 300 characters")
	}
	count, err := httpapi.QueryInt(r, "count", 10, 1, 20)
	if err != nil {
		return err
	}
	ps, err := h.Directory.SuggestParty(r.Context(), q, count)
	if err != nil {
		return directoryError(err)
	}
	httpapi.WriteJSON(w, http.StatusOK, partiesJSON(ps))
	return nil
}

// Find handles GET /v1/company-suggestions/{inn}?kpp= (A5): the head office and branches with
// this exact INN, or only the unit with kpp.
func (h *CompanyHTTP) Find(w http.ResponseWriter, r *http.Request) error {
	inn := r.PathValue("inn")
	if err := company.ValidateINN(inn); err != nil {
		return apperr.InvalidField("inn", err.Error())
	}
	kpp := strings.TrimSpace(r.URL.Query().Get("kpp"))
	if kpp != "" {
		if err := company.ValidateKPP(kpp); err != nil {
			return apperr.InvalidField("kpp", err.Error())
		}
	}
	found, err := h.Directory.FindParty(r.Context(), inn, kpp)
	if err != nil {
		return directoryError(err)
	}
	ps := make([]company.Party, 0, len(found))
	for _, p := range found {
		if p.INN == inn { // findById also matches an OGRN
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return apperr.New(apperr.NotFound, "no company with this INN in the company directory")
	}
	httpapi.WriteJSON(w, http.StatusOK, partiesJSON(ps))
	return nil
}
