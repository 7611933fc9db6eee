package dadatasim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/shared/company"
	"github.com/kabinet/kabinet/shared/company/dadata"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

const token = "sim-token"

func start(t *testing.T) (*dadatasim.Server, *dadata.Client) {
	t.Helper()
	sim := dadatasim.New(token)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, dadata.New(srv.URL, token)
}

// Every built-in company has valid requisites of its kind, a distinct INN, and comes back
// through the client intact.
func TestCompaniesAreValid(t *testing.T) {
	_, client := start(t)
	all := dadatasim.Companies()
	if len(all) < 8 || len(all) > 12 {
		t.Fatalf("%d companies", len(all))
	}
	seen := map[string]bool{}
	for _, c := range all {
		t.Run(c.ShortWithOPF, func(t *testing.T) {
			if seen[c.INN] {
				t.Fatalf("INN %s twice", c.INN)
			}
			seen[c.INN] = true
			f := apperr.Fields{}
			kind := company.Requisites{INN: c.INN, KPP: c.KPP, OGRN: c.OGRN, OKPO: c.OKPO, OKVED: c.OKVED}.Check(f, "")
			if len(f) != 0 || string(kind) != c.Type {
				t.Fatalf("kind %q (type %s), problems %v", kind, c.Type, f)
			}
			for name, err := range map[string]error{
				"ogrn":  company.ValidateOGRNFor(kind, c.OGRN),
				"okpo":  company.ValidateOKPOFor(kind, c.OKPO),
				"okved": company.ValidateOKVED(c.OKVED),
			} {
				if err != nil { // required here, unlike in Requisites.Check
					t.Fatalf("%s: %v", name, err)
				}
			}
			if ogrnKind, err := company.KindOfOGRN(c.OGRN); err != nil || ogrnKind != kind {
				t.Fatalf("OGRN kind %q, %v", ogrnKind, err)
			}
			if c.Address.Source == "" || c.Address.Region.WithType == "" || c.FullWithOPF == "" || c.OPF.Short == "" {
				t.Fatalf("incomplete: %+v", c)
			}
			if (kind == company.LegalEntity) != (c.Manager.Name != "") || (kind == company.Individual) != (c.FIO.Surname != "") {
				t.Fatalf("head / fio do not fit the kind: %+v", c)
			}

			parties, err := client.FindParty(context.Background(), c.INN, "")
			if err != nil || len(parties) != 1 {
				t.Fatalf("FindParty: %v, %v", parties, err)
			}
			p := parties[0]
			got := company.Requisites{Kind: p.Kind, INN: p.INN, KPP: p.KPP, OGRN: p.OGRN, OKPO: p.OKPO, OKVED: p.OKVED}
			want := company.Requisites{Kind: kind, INN: c.INN, KPP: c.KPP, OGRN: c.OGRN, OKPO: c.OKPO, OKVED: c.OKVED}
			if got != want || string(p.Status) != c.Status || p.ShortName != c.ShortWithOPF || p.Address.Value != c.Address.Source ||
				p.Address.Region != c.Address.Region.WithType || p.RegistrationDate.Format(time.DateOnly) != c.Registered {
				t.Fatalf("through the client: %+v", p)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	sim, client := start(t)
	tests := []struct {
		name  string
		query string
		count int
		want  []string // INNs, in order
	}{
		{name: "name, lower case", query: "ромашка", count: 10, want: []string{"7715048236"}},
		{name: "name with the legal form", query: `ООО "Ромашка"`, count: 10, want: []string{"7715048236"}},
		{name: "е finds ё", query: "Василек", count: 10, want: []string{"7810135721"}},
		{name: "ё finds ё", query: "ВАСИЛЁК", count: 10, want: []string{"7810135721"}},
		{name: "sole proprietor by surname", query: "иванов", count: 10, want: []string{"504712500357"}},
		{name: "two words", query: "ип казань", count: 10, want: []string{"165537201992"}},
		{name: "part of a word", query: "сбер", count: 10, want: []string{"7707083893"}},
		{name: "head's name", query: "Греф", count: 10, want: []string{"7707083893"}},
		{name: "count limits", query: "ооо", count: 3, want: []string{"9715316168", "7715048236", "7810135721"}},
		{name: "INN prefix", query: "7707", count: 10, want: []string{"7707083893"}},
		{name: "short INN prefix", query: "77", count: 10, want: []string{"7707083893", "7715048236", "7718132461"}},
		{name: "12-digit INN prefix", query: "5047125", count: 10, want: []string{"504712500357"}},
		{name: "full INN", query: "9715316168", count: 10, want: []string{"9715316168"}},
		{name: "OGRN prefix", query: "1157847", count: 10, want: []string{"7810135721"}},
		{name: "nothing", query: "несуществующая компания", count: 10, want: nil},
		{name: "unknown INN", query: "0000", count: 10, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parties, err := client.SuggestParty(context.Background(), tc.query, tc.count)
			if err != nil {
				t.Fatal(err)
			}
			if got := inns(parties); !slices.Equal(got, tc.want) {
				t.Fatalf("SuggestParty(%q) = %v; want %v", tc.query, got, tc.want)
			}
		})
	}
	last := sim.Requests()[sim.Calls()-1]
	if last.Path != "/suggestions/api/4_1/rs/suggest/party" || last.ContentType != "application/json" || last.Accept != "application/json" {
		t.Fatalf("request %+v", last)
	}
}

func TestFind(t *testing.T) {
	_, client := start(t)
	tests := []struct {
		name, id, kpp string
		want          []string
	}{
		{name: "INN", id: "7707083893", want: []string{"7707083893"}},
		{name: "INN and KPP", id: "7707083893", kpp: "773601001", want: []string{"7707083893"}},
		{name: "INN and another KPP", id: "7707083893", kpp: "773601002", want: nil},
		{name: "OGRN", id: "1187746470834", want: []string{"9715316168"}},
		{name: "OGRNIP", id: "317784700288153", want: []string{"781423051664"}},
		{name: "12-digit INN", id: "165537201992", want: []string{"165537201992"}},
		{name: "a prefix is not enough", id: "7707", want: nil},
		{name: "liquidated companies are found", id: "5047039250", want: []string{"5047039250"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parties, err := client.FindParty(context.Background(), tc.id, tc.kpp)
			if err != nil {
				t.Fatal(err)
			}
			if got := inns(parties); !slices.Equal(got, tc.want) {
				t.Fatalf("FindParty(%q, %q) = %v; want %v", tc.id, tc.kpp, got, tc.want)
			}
		})
	}
	parties, _ := client.FindParty(context.Background(), "1655037162", "")
	if p := parties[0]; p.Status != company.StatusLiquidating || p.Management == nil || p.Management.Post != "ЛИКВИДАТОР" || p.Address.City != "г Казань" {
		t.Fatalf("party %+v", p)
	}
	parties, _ = client.FindParty(context.Background(), "5047039250", "")
	if p := parties[0]; p.Status != company.StatusLiquidated || p.LiquidationDate.Format(time.DateOnly) != "2021-09-30" {
		t.Fatalf("party %+v", p)
	}
	parties, _ = client.FindParty(context.Background(), "504712500357", "")
	if p := parties[0]; p.Kind != company.Individual || p.KPP != "" || p.FIO == nil || p.FIO.Surname != "Иванов" || p.Management != nil {
		t.Fatalf("party %+v", p)
	}
}

// The failures a caller must tell apart: configuration (permanent, 500) and outages (503).
func TestFailures(t *testing.T) {
	sim := dadatasim.New(token)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	tests := []struct {
		name           string
		key            string
		fault          *dadatasim.Fault
		timeout        time.Duration
		wantCode       apperr.Code
		wantRetryAfter time.Duration
	}{
		{name: "no key: 401", key: "", wantCode: apperr.Internal},
		{name: "wrong key: 403", key: "wrong", wantCode: apperr.Internal},
		{name: "down: 503", key: token, fault: &dadatasim.Fault{Mode: "down"}, wantCode: apperr.Unavailable},
		{name: "rate limit: 429", key: token, fault: &dadatasim.Fault{Mode: "rate_limit"}, wantCode: apperr.Unavailable, wantRetryAfter: time.Second},
		{name: "slow: timeout", key: token, fault: &dadatasim.Fault{Mode: "slow", DelayMS: 2000}, timeout: 200 * time.Millisecond, wantCode: apperr.Unavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim.SetFault(tc.fault)
			defer sim.SetFault(nil)
			client := dadata.New(srv.URL, tc.key)
			if tc.timeout > 0 {
				client.HTTP.Timeout = tc.timeout
			}
			started := time.Now()
			_, err := client.SuggestParty(context.Background(), "ромашка", 5)
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.wantCode || e.RetryAfter != tc.wantRetryAfter {
				t.Fatalf("err = %v; want %s after %v", err, tc.wantCode, tc.wantRetryAfter)
			}
			permanent := tc.wantCode == apperr.Internal
			if sqsworker.IsPermanent(err) != permanent || errors.Is(err, dadata.ErrConfig) != permanent || errors.Is(err, dadata.ErrUnavailable) == permanent {
				t.Fatalf("err = %v: permanent %v", err, sqsworker.IsPermanent(err))
			}
			if tc.timeout > 0 {
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() || time.Since(started) > time.Second {
					t.Fatalf("not a timeout after %v: %v", time.Since(started), err)
				}
			}
		})
	}
	// healed
	if parties, err := dadata.New(srv.URL, token).SuggestParty(context.Background(), "ромашка", 5); err != nil || len(parties) != 1 {
		t.Fatalf("after the faults: %v, %v", parties, err)
	}
}

// The HTTP surface itself: DaData's statuses, filters, and the developer endpoints.
func TestHTTP(t *testing.T) {
	sim := dadatasim.New(token)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	const suggestURL = "/suggestions/api/4_1/rs/suggest/party"
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantINNs                 []string
	}{
		{name: "GET is not allowed", method: "GET", path: suggestURL, wantStatus: 405},
		{name: "not JSON", method: "POST", path: suggestURL, body: "query=ромашка", wantStatus: 400},
		{name: "query too long", method: "POST", path: suggestURL, body: `{"query":"` + strings.Repeat("а", 301) + `"}`, wantStatus: 413},
		{name: "type filter", method: "POST", path: suggestURL, body: `{"query":"казань","type":"INDIVIDUAL"}`, wantStatus: 200, wantINNs: []string{"165537201992"}},
		{name: "status filter", method: "POST", path: suggestURL, body: `{"query":"ооо","status":["LIQUIDATING","LIQUIDATED"]}`, wantStatus: 200, wantINNs: []string{"1655037162", "5047039250"}},
		{name: "findById with type", method: "POST", path: "/suggestions/api/4_1/rs/findById/party", body: `{"query":"7707083893","type":"INDIVIDUAL"}`, wantStatus: 200, wantINNs: []string{}},
		{name: "empty query", method: "POST", path: suggestURL, body: `{"query":""}`, wantStatus: 200, wantINNs: []string{}},
		{name: "bad fault", method: "PUT", path: "/_sim/fault", body: `{"mode":"sideways"}`, wantStatus: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Token "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d; want %d", resp.StatusCode, tc.wantStatus)
			}
			if tc.wantINNs != nil {
				var r struct {
					Suggestions []struct {
						Data struct{ INN string } `json:"data"`
					} `json:"suggestions"`
				}
				if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, s := range r.Suggestions {
					got = append(got, s.Data.INN)
				}
				if !slices.Equal(got, tc.wantINNs) {
					t.Fatalf("INNs %v; want %v", got, tc.wantINNs)
				}
			}
		})
	}

	// the fault switch over HTTP, as a developer uses it
	do := func(method, path, body string) int {
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewBufferString(body))
		req.Header.Set("Authorization", "Token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := do("PUT", "/_sim/fault", `{"mode":"down"}`); s != 204 {
		t.Fatalf("PUT fault: %d", s)
	}
	if s := do("POST", suggestURL, `{"query":"сбер"}`); s != 503 {
		t.Fatalf("down: %d", s)
	}
	if s := do("DELETE", "/_sim/fault", ""); s != 204 {
		t.Fatalf("DELETE fault: %d", s)
	}
	if s := do("POST", suggestURL, `{"query":"сбер"}`); s != 200 {
		t.Fatalf("healed: %d", s)
	}

	// a test's own company
	sim.Add(dadatasim.Company{Type: "LEGAL", INN: "7736207543", KPP: "773601001", OGRN: "1027700229193", ShortWithOPF: `ООО "ЯНДЕКС"`, Status: "ACTIVE"})
	resp, err := http.Get(srv.URL + "/_sim/companies")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var all struct{ Suggestions []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil || len(all.Suggestions) != len(dadatasim.Companies())+1 {
		t.Fatalf("companies: %d, %v", len(all.Suggestions), err)
	}
}

func inns(parties []company.Party) []string {
	var out []string
	for _, p := range parties {
		out = append(out, p.INN)
	}
	return out
}
