// Package dadatasim simulates DaData's suggestions API for parties (companies and sole
// proprietors) for local runs and tests: the two endpoints the company/dadata client calls,
// answered from a dozen built-in companies (companies.go) with valid requisites.
//
//	POST /suggestions/api/4_1/rs/suggest/party   {"query","count"[,"type","status"]}
//	     every word of query is a case-insensitive substring (ё = е) of the name, the head's
//	     name or the address; a query of digits is a prefix of the INN or the OGRN
//	POST /suggestions/api/4_1/rs/findById/party  {"query": INN or OGRN[,"kpp","type","count"]}
//	     exact INN or OGRN, and KPP when given
//
// Both require "Authorization: Token <key>" when the simulator has a key: 401 without the
// header, 403 with another key (as DaData answers). Other answers as DaData's: 400 for a body
// that is not JSON, 405 for a method other than POST, 413 for a query over 300 characters.
//
// Developer endpoints:
//
//	GET    /_sim/companies                        every company, as suggestions
//	PUT    /_sim/fault  {"mode":"down"}           answer HTTP 503
//	PUT    /_sim/fault  {"mode":"rate_limit"}     answer HTTP 429
//	PUT    /_sim/fault  {"mode":"slow","delayMs":6000}  answer after the delay (default 6 s,
//	                                              past the client's 5-second timeout)
//	DELETE /_sim/fault                            back to normal
package dadatasim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	defaultCount   = 10
	maxCount       = 20
	maxQueryLength = 300
	defaultDelay   = 6 * time.Second
)

// Fault makes the simulator fail.
type Fault struct {
	Mode    string `json:"mode"`              // "down", "rate_limit" or "slow"
	DelayMS int    `json:"delayMs,omitempty"` // for "slow"
}

// Request is what the simulator saw of an API call (the key is not kept).
type Request struct {
	Path        string          `json:"path"`
	ContentType string          `json:"contentType"`
	Accept      string          `json:"accept"`
	Body        json.RawMessage `json:"body"`
}

// Server is the simulator. Token, when set, must be the key of every API call.
type Server struct {
	Token     string
	mu        sync.Mutex
	companies []Company
	fault     *Fault
	requests  []Request
	mux       *http.ServeMux
}

// New returns a simulator with the built-in companies, accepting token ("" accepts any call).
func New(token string) *Server {
	s := &Server{Token: token, companies: Companies(), mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /suggestions/api/4_1/rs/suggest/party", s.api(s.suggest))
	s.mux.HandleFunc("POST /suggestions/api/4_1/rs/findById/party", s.api(s.findByID))
	s.mux.HandleFunc("GET /_sim/companies", s.list)
	s.mux.HandleFunc("PUT /_sim/fault", s.setFault)
	s.mux.HandleFunc("DELETE /_sim/fault", func(w http.ResponseWriter, r *http.Request) { s.SetFault(nil); w.WriteHeader(http.StatusNoContent) })
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFault sets or (nil) clears a fault.
func (s *Server) SetFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Add adds a company (a test's own, say a bankrupt one) after the built-in ones.
func (s *Server) Add(c Company) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.companies = append(s.companies, c)
}

// Requests returns the API calls received, failed ones included, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Calls counts API calls, failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers as DaData does on errors.
func writeError(w http.ResponseWriter, status int, message string) {
	family := "CLIENT_ERROR"
	if status >= 500 {
		family = "SERVER_ERROR"
	}
	writeJSON(w, status, map[string]any{"family": family, "reason": http.StatusText(status), "message": message})
}

// query is the body of both endpoints.
type query struct {
	Query  string   `json:"query"`
	Count  int      `json:"count"`
	Type   string   `json:"type"`
	Status []string `json:"status"`
	KPP    string   `json:"kpp"`
}

// api wraps an endpoint with what both share: recording, faults, the key, the body.
func (s *Server) api(h func(query) []Company) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(r)
		s.mu.Lock()
		s.requests = append(s.requests, Request{Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Accept: r.Header.Get("Accept"), Body: json.RawMessage(body)})
		fault := s.fault
		s.mu.Unlock()
		if fault != nil {
			switch fault.Mode {
			case "down":
				writeError(w, http.StatusServiceUnavailable, "Service unavailable (simulated)")
				return
			case "rate_limit":
				writeError(w, http.StatusTooManyRequests, "Too many requests (simulated)")
				return
			case "slow":
				delay := defaultDelay
				if fault.DelayMS > 0 {
					delay = time.Duration(fault.DelayMS) * time.Millisecond
				}
				select {
				case <-time.After(delay):
				case <-r.Context().Done():
					return
				}
			}
		}
		if s.Token != "" {
			auth := r.Header.Get("Authorization")
			if auth == "" {
				writeError(w, http.StatusUnauthorized, "API key is missing")
				return
			}
			if auth != "Token "+s.Token {
				writeError(w, http.StatusForbidden, "API key is not valid")
				return
			}
		}
		var q query
		if err != nil || json.Unmarshal(body, &q) != nil {
			writeError(w, http.StatusBadRequest, "Request body is not valid JSON")
			return
		}
		if utf8.RuneCountInString(q.Query) > maxQueryLength {
			writeError(w, http.StatusRequestEntityTooLarge, "Query is too long")
			return
		}
		switch {
		case q.Count <= 0:
			q.Count = defaultCount
		case q.Count > maxCount:
			q.Count = maxCount
		}
		found := h(q)
		if len(found) > q.Count {
			found = found[:q.Count]
		}
		out := make([]suggestion, 0, len(found))
		for _, c := range found {
			out = append(out, c.suggestion())
		}
		writeJSON(w, http.StatusOK, map[string]any{"suggestions": out})
	}
}

func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, 64<<10))
}

// fold is the form names are compared in: lower case, ё as е.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// filtered returns the companies of the request's type and statuses that match.
func (s *Server) filtered(q query, match func(Company) bool) []Company {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Company
	for _, c := range s.companies {
		if q.Type != "" && c.Type != q.Type {
			continue
		}
		if len(q.Status) > 0 && !slices.Contains(q.Status, c.Status) {
			continue
		}
		if match(c) {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) suggest(q query) []Company {
	text := strings.TrimSpace(q.Query)
	if text == "" {
		return nil
	}
	if digits(text) {
		return s.filtered(q, func(c Company) bool {
			return strings.HasPrefix(c.INN, text) || strings.HasPrefix(c.OGRN, text)
		})
	}
	words := strings.Fields(fold(text))
	return s.filtered(q, func(c Company) bool {
		hay := fold(strings.Join([]string{c.ShortWithOPF, c.FullWithOPF, c.Manager.Name, c.Address.Source}, " "))
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return false
			}
		}
		return true
	})
}

func (s *Server) findByID(q query) []Company {
	id, kpp := strings.TrimSpace(q.Query), strings.TrimSpace(q.KPP)
	if id == "" {
		return nil
	}
	return s.filtered(q, func(c Company) bool {
		return (c.INN == id || c.OGRN == id) && (kpp == "" || c.KPP == kpp)
	})
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := make([]suggestion, 0, len(s.companies))
	for _, c := range s.companies {
		out = append(out, c.suggestion())
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"suggestions": out})
}

func (s *Server) setFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil || (f.Mode != "down" && f.Mode != "rate_limit" && f.Mode != "slow") {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": `mode must be "down", "rate_limit" or "slow"`})
		return
	}
	s.SetFault(&f)
	w.WriteHeader(http.StatusNoContent)
}

// suggestion is one element of DaData's "suggestions".
type suggestion struct {
	Value             string         `json:"value"`
	UnrestrictedValue string         `json:"unrestricted_value"`
	Data              map[string]any `json:"data"`
}

// orNull is nil (JSON null) for an empty string, as DaData sends absent values.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// millis is a date as DaData sends it: milliseconds since the epoch (null when empty).
func millis(date string) any {
	if date == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil
	}
	return t.UnixMilli()
}

func (c Company) suggestion() suggestion {
	hid := sha256.Sum256([]byte(c.INN + "/" + c.KPP))
	var management, fio any
	if c.Type == "LEGAL" {
		management = map[string]any{"name": c.Manager.Name, "post": c.Manager.Post, "disqualified": nil}
	} else {
		fio = map[string]any{"surname": c.FIO.Surname, "name": c.FIO.Name, "patronymic": orNull(c.FIO.Patronymic), "gender": nil, "source": nil, "qc": nil}
	}
	statusCode := map[string]any{"ACTIVE": nil, "LIQUIDATING": "101", "LIQUIDATED": "201", "BANKRUPT": "105", "REORGANIZING": "121"}[c.Status]
	return suggestion{
		Value:             c.ShortWithOPF,
		UnrestrictedValue: c.ShortWithOPF,
		Data: map[string]any{
			"kpp":          orNull(c.KPP),
			"capital":      nil,
			"management":   management,
			"fio":          fio,
			"founders":     nil,
			"managers":     nil,
			"branch_type":  "MAIN",
			"branch_count": 0,
			"source":       nil,
			"qc":           nil,
			"hid":          hex.EncodeToString(hid[:]),
			"type":         c.Type,
			"state": map[string]any{
				"status":            c.Status,
				"code":              statusCode,
				"actuality_date":    millis(c.Registered),
				"registration_date": millis(c.Registered),
				"liquidation_date":  millis(c.Liquidated),
			},
			"opf":   map[string]any{"type": "2014", "code": c.OPF.Code, "full": c.OPF.Full, "short": c.OPF.Short},
			"name":  map[string]any{"full_with_opf": c.FullWithOPF, "short_with_opf": c.ShortWithOPF, "latin": nil, "full": c.Full, "short": orNull(c.Short)},
			"inn":   c.INN,
			"ogrn":  c.OGRN,
			"okpo":  orNull(c.OKPO),
			"okato": orNull(c.Address.OKATO), "oktmo": orNull(c.Address.OKTMO),
			"okogu": nil, "okfs": nil,
			"okved":       c.OKVED,
			"okveds":      nil,
			"okved_type":  "2014",
			"authorities": nil, "documents": nil, "licenses": nil, "finance": nil,
			"address":        c.Address.json(),
			"phones":         nil,
			"emails":         nil,
			"ogrn_date":      millis(c.Registered),
			"employee_count": nil,
		},
	}
}

func (a Address) json() map[string]any {
	data := map[string]any{
		"source":           a.Source,
		"qc":               "0",
		"postal_code":      orNull(a.PostalCode),
		"country":          "Россия",
		"fias_id":          orNull(a.FiasID),
		"kladr_id":         orNull(a.KladrID),
		"okato":            orNull(a.OKATO),
		"oktmo":            orNull(a.OKTMO),
		"tax_office":       orNull(a.TaxOffice),
		"tax_office_legal": orNull(a.TaxOffice),
		"timezone":         orNull(a.Timezone),
	}
	for prefix, p := range map[string]Place{
		"region": a.Region, "area": a.Area, "city": a.City, "city_district": a.CityDistrict,
		"settlement": a.Settlement, "street": a.Street,
	} {
		data[prefix+"_with_type"] = orNull(p.WithType)
		data[prefix+"_type"] = orNull(p.Type)
		data[prefix+"_type_full"] = orNull(p.TypeFull)
		data[prefix] = orNull(p.Name)
	}
	for prefix, p := range map[string]Place{"house": a.House, "block": a.Block, "flat": a.Flat} {
		data[prefix+"_type"] = orNull(p.Type)
		data[prefix+"_type_full"] = orNull(p.TypeFull)
		data[prefix] = orNull(p.Name)
	}
	// seed 004 style: the register's own writing is the value
	return map[string]any{"value": a.Source, "unrestricted_value": a.Source, "invalidity": nil, "data": data}
}
