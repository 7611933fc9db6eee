// Package dadata is a client of DaData's suggestions API for parties (companies and sole
// proprietors), the company directory behind the name / INN suggestions of the business-account
// application (A5):
//
//	POST {base}/suggestions/api/4_1/rs/suggest/party   {"query": "сбер", "count": 10}
//	POST {base}/suggestions/api/4_1/rs/findById/party  {"query": "7707083893", "kpp": "773601001"}
//
// with the header "Authorization: Token <API key>". Both answer {"suggestions": [{"value",
// "unrestricted_value", "data": {…}}]}. The local simulator (infra/dadatasim) speaks the same
// API. The API key goes only into that header: it is never part of an error or a log line.
package dadata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kabinet/kabinet/shared/company"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// DefaultBaseURL is DaData's production suggestions host.
const DefaultBaseURL = "https://suggestions.dadata.ru"

const (
	suggestPath  = "/suggestions/api/4_1/rs/suggest/party"
	findByIDPath = "/suggestions/api/4_1/rs/findById/party"

	// DefaultCount is what DaData returns when count is not given; MaxCount its maximum.
	DefaultCount = 10
	MaxCount     = 20
	// MaxQueryLength is the longest query DaData accepts (in characters); longer ones are cut.
	MaxQueryLength = 300

	// Timeout bounds a whole request: suggestions are typed, a slow answer is no answer.
	Timeout = 5 * time.Second

	maxBody = 4 << 20 // 20 full party records are a few hundred KiB
)

// ErrConfig is the cause of the errors that mean our configuration is wrong: DaData refused the
// API key (401 missing, 403 unknown key, unconfirmed account or exhausted daily quota) or our
// request (400, 405, 413). Retrying does not help; errors.Is(err, ErrConfig) tells them.
var ErrConfig = errors.New("dadata refused the request")

// ErrUnavailable is the cause of the errors that mean DaData cannot answer now: network
// failure, timeout, 429, 5xx or an unreadable answer.
var ErrUnavailable = errors.New("dadata unavailable")

// Client calls DaData. It implements company.Suggester.
type Client struct {
	BaseURL string       // DefaultBaseURL in production
	HTTP    *http.Client // New sets a 5-second timeout
	key     *secretKey   // behind a pointer, so printing a Client shows an address, never the key
}

type secretKey struct{ value string }

var _ company.Suggester = (*Client)(nil)

// New returns a client of baseURL ("" means DefaultBaseURL) with a 5-second timeout.
func New(baseURL, apiKey string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: &http.Client{Timeout: Timeout}, key: &secretKey{apiKey}}
}

type suggestRequest struct {
	Query string `json:"query"`
	Count int    `json:"count"`
}

type findRequest struct {
	Query string `json:"query"`
	KPP   string `json:"kpp,omitempty"`
}

// SuggestParty returns up to count parties (DefaultCount when count ≤ 0, at most MaxCount) whose
// name, INN or OGRN matches query. An empty query returns nothing without calling DaData.
func (c *Client) SuggestParty(ctx context.Context, query string, count int) ([]company.Party, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return []company.Party{}, nil
	}
	if utf8.RuneCountInString(query) > MaxQueryLength {
		query = string([]rune(query)[:MaxQueryLength])
	}
	switch {
	case count <= 0:
		count = DefaultCount
	case count > MaxCount:
		count = MaxCount
	}
	return c.call(ctx, suggestPath, suggestRequest{Query: query, Count: count})
}

// FindParty returns the parties with this INN or OGRN / OGRNIP (the head office and branches of
// a legal entity), only the one with kpp when kpp is given. An empty innOrOgrn returns nothing
// without calling DaData.
func (c *Client) FindParty(ctx context.Context, innOrOgrn, kpp string) ([]company.Party, error) {
	innOrOgrn, kpp = strings.TrimSpace(innOrOgrn), strings.TrimSpace(kpp)
	if innOrOgrn == "" {
		return []company.Party{}, nil
	}
	return c.call(ctx, findByIDPath, findRequest{Query: innOrOgrn, KPP: kpp})
}

func (c *Client) call(ctx context.Context, path string, body any) ([]company.Party, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+path, bytes.NewReader(raw))
	if err != nil {
		return nil, configError(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	key := ""
	if c.key != nil {
		key = c.key.value
	}
	req.Header.Set("Authorization", "Token "+key)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, unavailable(0, fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, unavailable(0, fmt.Errorf("%w: reading the answer: %w", ErrUnavailable, err))
	}
	switch s := resp.StatusCode; {
	case s == http.StatusOK:
	case s == http.StatusTooManyRequests:
		// DaData limits requests per second: a second's wait is the sensible default.
		return nil, unavailable(retryAfter(resp.Header, time.Second), fmt.Errorf("%w: HTTP 429 too many requests", ErrUnavailable))
	case s >= 500:
		return nil, unavailable(retryAfter(resp.Header, 0), fmt.Errorf("%w: HTTP %d", ErrUnavailable, s))
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return nil, configError(fmt.Errorf("%w: HTTP %d: the API key is missing or wrong, the account is not confirmed or its daily quota is spent", ErrConfig, s))
	default:
		return nil, configError(fmt.Errorf("%w: HTTP %d: %s", ErrConfig, s, snippet(data)))
	}
	parties, err := parse(data)
	if err != nil {
		return nil, unavailable(0, fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	return parties, nil
}

// unavailable is a 503 the caller may retry; the suggestions are a convenience, the form can be
// filled by hand meanwhile.
func unavailable(after time.Duration, cause error) error {
	return &apperr.Error{Code: apperr.Unavailable, Message: "the company directory is unavailable; enter the company details by hand or try again later",
		RetryAfter: after, Err: cause}
}

// configError is an internal error no retry fixes (a worker sends its message to the
// dead-letter queue at once).
func configError(cause error) error {
	return sqsworker.Permanent(&apperr.Error{Code: apperr.Internal, Message: "the company directory refused our request", Err: cause})
}

// retryAfter reads Retry-After (seconds or an HTTP date), capped at 5 minutes; def when absent.
func retryAfter(h http.Header, def time.Duration) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return def
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	} else {
		return def
	}
	return max(0, min(d, 5*time.Minute))
}

// snippet is the start of an error answer, for the logs (DaData's error bodies name the
// problem, never the key).
func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b), "")
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.ToValidUTF8(s, "")
}

// The JSON DaData sends. Absent values come as null, which leaves strings empty.
type (
	response struct {
		Suggestions []json.RawMessage `json:"suggestions"`
	}
	suggestion struct {
		Value             string    `json:"value"`
		UnrestrictedValue string    `json:"unrestricted_value"`
		Data              partyData `json:"data"`
	}
	partyData struct {
		INN        string `json:"inn"`
		KPP        string `json:"kpp"`
		OGRN       string `json:"ogrn"`
		OKPO       string `json:"okpo"`
		OKVED      string `json:"okved"`
		Type       string `json:"type"`
		BranchType string `json:"branch_type"`
		Name       struct {
			FullWithOPF  string `json:"full_with_opf"`
			ShortWithOPF string `json:"short_with_opf"`
		} `json:"name"`
		OPF struct {
			Code  string `json:"code"`
			Full  string `json:"full"`
			Short string `json:"short"`
		} `json:"opf"`
		FIO *struct {
			Surname    string `json:"surname"`
			Name       string `json:"name"`
			Patronymic string `json:"patronymic"`
		} `json:"fio"`
		Management *struct {
			Name string `json:"name"`
			Post string `json:"post"`
		} `json:"management"`
		State struct {
			Status           string `json:"status"`
			RegistrationDate date   `json:"registration_date"`
			LiquidationDate  date   `json:"liquidation_date"`
		} `json:"state"`
		Address *struct {
			Value             string       `json:"value"`
			UnrestrictedValue string       `json:"unrestricted_value"`
			Data              *addressData `json:"data"`
		} `json:"address"`
	}
	addressData struct {
		PostalCode         string `json:"postal_code"`
		Country            string `json:"country"`
		RegionWithType     string `json:"region_with_type"`
		AreaWithType       string `json:"area_with_type"`
		CityWithType       string `json:"city_with_type"`
		SettlementWithType string `json:"settlement_with_type"`
		StreetWithType     string `json:"street_with_type"`
		HouseType          string `json:"house_type"`
		House              string `json:"house"`
		BlockType          string `json:"block_type"`
		Block              string `json:"block"`
		FlatType           string `json:"flat_type"`
		Flat               string `json:"flat"`
		FiasID             string `json:"fias_id"`
		KladrID            string `json:"kladr_id"`
		OKATO              string `json:"okato"`
		OKTMO              string `json:"oktmo"`
		TaxOffice          string `json:"tax_office"`
		Source             string `json:"source"`
	}
)

// date is a DaData date: milliseconds since the epoch (the API), or a string as seed 004 shows
// it ("2018-05-11T00:00:00.000+0000"). Anything else reads as unknown (zero) rather than
// failing the whole answer.
type date struct{ time.Time }

func (d *date) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case float64:
		d.Time = time.UnixMilli(int64(v)).UTC()
	case string:
		for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339, "2006-01-02T15:04:05", time.DateOnly} {
			if t, err := time.Parse(layout, v); err == nil {
				d.Time = t.UTC()
				break
			}
		}
	}
	return nil
}

func parse(body []byte) ([]company.Party, error) {
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("answer is not the expected JSON: %w", err)
	}
	out := make([]company.Party, 0, len(r.Suggestions))
	for i, raw := range r.Suggestions {
		var s suggestion
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("suggestion %d: %w", i, err)
		}
		out = append(out, s.party(raw))
	}
	return out, nil
}

func (s suggestion) party(raw json.RawMessage) company.Party {
	d := s.Data
	p := company.Party{
		Value:             s.Value,
		UnrestrictedValue: s.UnrestrictedValue,
		Kind:              company.Kind(d.Type),
		INN:               d.INN,
		KPP:               d.KPP,
		OGRN:              d.OGRN,
		OKPO:              d.OKPO,
		OKVED:             d.OKVED,
		FullName:          d.Name.FullWithOPF,
		ShortName:         d.Name.ShortWithOPF,
		OPF:               company.OPF{Code: d.OPF.Code, Short: d.OPF.Short, Full: d.OPF.Full},
		Status:            company.Status(d.State.Status),
		BranchType:        d.BranchType,
		RegistrationDate:  d.State.RegistrationDate.Time,
		LiquidationDate:   d.State.LiquidationDate.Time,
		Raw:               append(json.RawMessage(nil), raw...),
	}
	if p.Kind == "" { // older records: the length of the INN tells
		if k, err := company.KindOfINN(d.INN); err == nil {
			p.Kind = k
		}
	}
	if d.FIO != nil {
		p.FIO = &company.FIO{Surname: d.FIO.Surname, Name: d.FIO.Name, Patronymic: d.FIO.Patronymic}
	}
	if d.Management != nil && (d.Management.Name != "" || d.Management.Post != "") {
		p.Management = &company.Management{Name: d.Management.Name, Post: d.Management.Post}
	}
	if a := d.Address; a != nil {
		p.Address = company.Address{Value: a.Value, UnrestrictedValue: a.UnrestrictedValue}
		if ad := a.Data; ad != nil {
			p.Address.PostalCode = ad.PostalCode
			p.Address.Country = ad.Country
			p.Address.Region = ad.RegionWithType
			p.Address.Area = ad.AreaWithType
			p.Address.City = ad.CityWithType
			p.Address.Settlement = ad.SettlementWithType
			p.Address.Street = ad.StreetWithType
			p.Address.HouseType = ad.HouseType
			p.Address.House = ad.House
			p.Address.BlockType = ad.BlockType
			p.Address.Block = ad.Block
			p.Address.FlatType = ad.FlatType
			p.Address.Flat = ad.Flat
			p.Address.FiasID = ad.FiasID
			p.Address.KladrID = ad.KladrID
			p.Address.OKATO = ad.OKATO
			p.Address.OKTMO = ad.OKTMO
			p.Address.TaxOffice = ad.TaxOffice
			p.Address.Source = ad.Source
		}
	}
	return p
}
