package dadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/company"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

const testKey = "test-key-0123456789abcdef"

// seedSuggestion is seed 004's regAddress (shortened): string dates, nulls, no type.
const seedSuggestion = `{
  "value": "ООО \"ИФР\"",
  "unrestricted_value": "ООО \"ИФР\"",
  "data": {
    "inn": "9715316168",
    "name": {"full_with_opf": "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ \"ИННОВАЦИОННЫЕ ФИНАНСОВЫЕ РЕШЕНИЯ\"", "short_with_opf": "ООО \"ИФР\""},
    "address": {
      "value": "123298, ГОРОД МОСКВА, УЛИЦА НАРОДНОГО ОПОЛЧЕНИЯ, ДОМ 38, КОРПУС 3, ЭТ 5 ПОМ 22",
      "unrestricted_value": "123298, ГОРОД МОСКВА, УЛИЦА НАРОДНОГО ОПОЛЧЕНИЯ, ДОМ 38, КОРПУС 3, ЭТ 5 ПОМ 22",
      "data": {
        "value": null, "postal_code": "123298", "country": "Россия", "region_with_type": "г Москва",
        "area_with_type": null, "city_with_type": "г Москва", "city_district_with_type": "р-н Щукино",
        "settlement_with_type": null, "street_with_type": "ул Народного Ополчения",
        "house_type": "д", "house": "38", "block_type": "к", "block": "3", "flat_type": null, "flat": null,
        "fias_id": "a8496dd3-fa6a-412d-98b3-0637cecff857", "kladr_id": "7700000000019570061",
        "okato": "45283587000", "oktmo": "45372000", "tax_office": "7734",
        "metro": [{"distance": 0.6, "line": "Таганско-Краснопресненская", "name": "Октябрьское поле"}],
        "source": "123298, ГОРОД МОСКВА, УЛИЦА НАРОДНОГО ОПОЛЧЕНИЯ, ДОМ 38, КОРПУС 3, ЭТ 5 ПОМ 22", "qc": "1"
      }
    },
    "kpp": "773401001",
    "okpo": null,
    "ogrn": "1187746470834",
    "okved": "62.01",
    "state": {"status": "ACTIVE", "statusDesc": "Действующая", "actuality_date": "2020-03-16T00:00:00.000+0000", "registration_date": "2018-05-11T00:00:00.000+0000"},
    "opf": {"short": "ООО", "full": "Общество с ограниченной ответственностью", "code": "12300", "type": "2014"}
  }
}`

// apiSuggestion is a sole proprietor as the API sends one: dates in milliseconds, fio, no KPP.
const apiSuggestion = `{
  "value": "ИП Иванов Иван Иванович",
  "unrestricted_value": "ИП Иванов Иван Иванович",
  "data": {
    "kpp": null, "management": null, "branch_type": null, "type": "INDIVIDUAL",
    "fio": {"surname": "Иванов", "name": "Иван", "patronymic": "Иванович"},
    "state": {"status": "LIQUIDATED", "actuality_date": 1632960000000, "registration_date": 1401753600000, "liquidation_date": 1632960000000},
    "opf": {"type": "2014", "code": "50102", "full": "Индивидуальный предприниматель", "short": "ИП"},
    "name": {"full_with_opf": "Индивидуальный предприниматель Иванов Иван Иванович", "short_with_opf": "ИП Иванов Иван Иванович", "latin": null, "full": "Иванов Иван Иванович", "short": null},
    "inn": "504712500357", "ogrn": "314504700035210", "okpo": "0173845266", "okved": "62.01",
    "address": {"value": "г Химки", "unrestricted_value": "Московская обл, г Химки", "data": {"region_with_type": "Московская обл", "city_with_type": "г Химки", "postal_code": null}},
    "ogrn_date": 1401753600000
  }
}`

func TestParse(t *testing.T) {
	parties, err := parse([]byte(`{"suggestions": [` + seedSuggestion + `,` + apiSuggestion + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(parties) != 2 {
		t.Fatalf("%d parties", len(parties))
	}
	ifr, ip := parties[0], parties[1]
	tests := []struct{ name, got, want string }{
		{"value", ifr.Value, `ООО "ИФР"`},
		{"kind from the INN", string(ifr.Kind), "LEGAL"},
		{"inn", ifr.INN, "9715316168"},
		{"kpp", ifr.KPP, "773401001"},
		{"ogrn", ifr.OGRN, "1187746470834"},
		{"okpo null", ifr.OKPO, ""},
		{"okved", ifr.OKVED, "62.01"},
		{"full name", ifr.FullName, `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ИННОВАЦИОННЫЕ ФИНАНСОВЫЕ РЕШЕНИЯ"`},
		{"short name", ifr.ShortName, `ООО "ИФР"`},
		{"opf", ifr.OPF.Short + " " + ifr.OPF.Code, "ООО 12300"},
		{"status", string(ifr.Status), "ACTIVE"},
		{"registration date as a string", ifr.RegistrationDate.Format(time.DateOnly), "2018-05-11"},
		{"address", ifr.Address.Value, "123298, ГОРОД МОСКВА, УЛИЦА НАРОДНОГО ОПОЛЧЕНИЯ, ДОМ 38, КОРПУС 3, ЭТ 5 ПОМ 22"},
		{"postal code", ifr.Address.PostalCode, "123298"},
		{"region", ifr.Address.Region, "г Москва"},
		{"city", ifr.Address.City, "г Москва"},
		{"street", ifr.Address.Street, "ул Народного Ополчения"},
		{"house", ifr.Address.HouseType + " " + ifr.Address.House, "д 38"},
		{"block", ifr.Address.BlockType + " " + ifr.Address.Block, "к 3"},
		{"flat null", ifr.Address.Flat, ""},
		{"tax office", ifr.Address.TaxOffice, "7734"},
		{"fias", ifr.Address.FiasID, "a8496dd3-fa6a-412d-98b3-0637cecff857"},

		{"IP kind", string(ip.Kind), "INDIVIDUAL"},
		{"IP kpp null", ip.KPP, ""},
		{"IP ogrnip", ip.OGRN, "314504700035210"},
		{"IP name", ip.ShortName, "ИП Иванов Иван Иванович"},
		{"IP status", string(ip.Status), "LIQUIDATED"},
		{"IP registration date in ms", ip.RegistrationDate.Format(time.DateOnly), "2014-06-03"},
		{"IP liquidation date in ms", ip.LiquidationDate.Format(time.DateOnly), "2021-09-30"},
		{"IP address", ip.Address.UnrestrictedValue, "Московская обл, г Химки"},
		{"IP region", ip.Address.Region, "Московская обл"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %q; want %q", tc.name, tc.got, tc.want)
		}
	}
	if ifr.Management != nil || ifr.FIO != nil {
		t.Errorf("IFR management %v, fio %v; want none", ifr.Management, ifr.FIO)
	}
	if ip.FIO == nil || *ip.FIO != (company.FIO{Surname: "Иванов", Name: "Иван", Patronymic: "Иванович"}) || ip.Management != nil {
		t.Errorf("IP fio %v, management %v", ip.FIO, ip.Management)
	}
	// Raw is the suggestion verbatim, ready to be sent on as seed 004's regAddress.
	var raw struct {
		Data struct {
			Address struct {
				Data struct {
					Metro []struct{ Name string } `json:"metro"`
				} `json:"data"`
			} `json:"address"`
		} `json:"data"`
	}
	if err := json.Unmarshal(ifr.Raw, &raw); err != nil || len(raw.Data.Address.Data.Metro) != 1 || raw.Data.Address.Data.Metro[0].Name != "Октябрьское поле" {
		t.Errorf("raw lost fields: %v %s", err, ifr.Raw)
	}

	for _, bad := range []string{`<html>502 Bad Gateway</html>`, `{"suggestions": [1]}`, ``} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse(%q) accepted", bad)
		}
	}
	if ps, err := parse([]byte(`{"suggestions": []}`)); err != nil || ps == nil || len(ps) != 0 {
		t.Errorf("empty answer: %v, %v", ps, err)
	}
}

// recorder is a fake DaData that answers status and body and records the request.
type recorder struct {
	status  int
	header  http.Header
	body    string
	req     *http.Request
	reqBody string
	calls   int
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.calls++
	rc.req = r
	b, _ := io.ReadAll(r.Body)
	rc.reqBody = string(b)
	for k, v := range rc.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rc.status)
	_, _ = io.WriteString(w, rc.body)
}

func TestRequests(t *testing.T) {
	rc := &recorder{status: 200, body: `{"suggestions": [` + apiSuggestion + `]}`}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	c := New(srv.URL+"/", testKey)
	ctx := context.Background()
	long := strings.Repeat("я", 400)
	tests := []struct {
		name     string
		call     func() ([]company.Party, error)
		wantPath string
		wantBody string
	}{
		{"suggest", func() ([]company.Party, error) { return c.SuggestParty(ctx, " сбербанк ", 5) }, suggestPath, `{"query":"сбербанк","count":5}`},
		{"suggest default count", func() ([]company.Party, error) { return c.SuggestParty(ctx, "сбер", 0) }, suggestPath, `{"query":"сбер","count":10}`},
		{"suggest count capped", func() ([]company.Party, error) { return c.SuggestParty(ctx, "сбер", 50) }, suggestPath, `{"query":"сбер","count":20}`},
		{"suggest long query cut", func() ([]company.Party, error) { return c.SuggestParty(ctx, long, 1) }, suggestPath, `{"query":"` + strings.Repeat("я", 300) + `","count":1}`},
		{"find by INN", func() ([]company.Party, error) { return c.FindParty(ctx, "7707083893", "") }, findByIDPath, `{"query":"7707083893"}`},
		{"find by INN and KPP", func() ([]company.Party, error) { return c.FindParty(ctx, "7707083893", " 773601001 ") }, findByIDPath, `{"query":"7707083893","kpp":"773601001"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parties, err := tc.call()
			if err != nil || len(parties) != 1 || parties[0].INN != "504712500357" {
				t.Fatalf("got %v, %v", parties, err)
			}
			r := rc.req
			if r.Method != http.MethodPost || r.URL.Path != tc.wantPath || rc.reqBody != tc.wantBody {
				t.Fatalf("sent %s %s %s; want POST %s %s", r.Method, r.URL.Path, rc.reqBody, tc.wantPath, tc.wantBody)
			}
			if r.Header.Get("Authorization") != "Token "+testKey || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Accept") != "application/json" {
				t.Fatalf("headers %v", r.Header)
			}
		})
	}

	before := rc.calls
	for _, call := range []func() ([]company.Party, error){
		func() ([]company.Party, error) { return c.SuggestParty(ctx, "   ", 10) },
		func() ([]company.Party, error) { return c.FindParty(ctx, "", "773601001") },
	} {
		if parties, err := call(); err != nil || parties == nil || len(parties) != 0 {
			t.Errorf("empty query: %v, %v", parties, err)
		}
	}
	if rc.calls != before {
		t.Errorf("an empty query called DaData")
	}
}

func TestDefaults(t *testing.T) {
	c := New("", testKey)
	if c.BaseURL != DefaultBaseURL || c.HTTP.Timeout != 5*time.Second {
		t.Fatalf("base %q, timeout %v", c.BaseURL, c.HTTP.Timeout)
	}
	if s := fmt.Sprintf("%v %+v %#v", c, *c, *c); strings.Contains(s, testKey) {
		t.Fatalf("printing a client shows the key: %s", s)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name           string
		status         int
		header         http.Header
		body           string
		wantCode       apperr.Code
		wantRetryAfter time.Duration
	}{
		{name: "401 missing key", status: 401, body: `{"family":"CLIENT_ERROR","reason":"Unauthorized"}`, wantCode: apperr.Internal},
		{name: "403 wrong key or quota", status: 403, wantCode: apperr.Internal},
		{name: "400 bad request", status: 400, body: `{"message":"Invalid JSON"}`, wantCode: apperr.Internal},
		{name: "413 too long", status: 413, wantCode: apperr.Internal},
		{name: "429 without Retry-After", status: 429, wantCode: apperr.Unavailable, wantRetryAfter: time.Second},
		{name: "429 with Retry-After", status: 429, header: http.Header{"Retry-After": {"7"}}, wantCode: apperr.Unavailable, wantRetryAfter: 7 * time.Second},
		{name: "500", status: 500, wantCode: apperr.Unavailable},
		{name: "502 from a proxy", status: 502, body: "<html>bad gateway</html>", wantCode: apperr.Unavailable},
		{name: "503 with Retry-After", status: 503, header: http.Header{"Retry-After": {"30"}}, wantCode: apperr.Unavailable, wantRetryAfter: 30 * time.Second},
		{name: "503 with a silly Retry-After", status: 503, header: http.Header{"Retry-After": {"86400"}}, wantCode: apperr.Unavailable, wantRetryAfter: 5 * time.Minute},
		{name: "200 that is not JSON", status: 200, body: "<html>maintenance</html>", wantCode: apperr.Unavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(&recorder{status: tc.status, header: tc.header, body: tc.body})
			defer srv.Close()
			_, err := New(srv.URL, testKey).SuggestParty(context.Background(), "ромашка", 5)
			checkErr(t, err, tc.wantCode, tc.wantRetryAfter)
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := New(url, testKey).FindParty(context.Background(), "7707083893", "")
		checkErr(t, err, apperr.Unavailable, 0)
	})
	t.Run("caller's deadline", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // the server notices a closed connection only after the body
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := New(srv.URL, testKey).FindParty(ctx, "7707083893", "")
		checkErr(t, err, apperr.Unavailable, 0)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("cause lost: %v", err)
		}
	})
}

// checkErr checks the code, the retry hint, the cause, permanence, and that the key is nowhere.
func checkErr(t *testing.T, err error, code apperr.Code, retryAfter time.Duration) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code || e.RetryAfter != retryAfter {
		t.Fatalf("err = %#v; want code %s, retry after %v", err, code, retryAfter)
	}
	permanent := code == apperr.Internal
	if sqsworker.IsPermanent(err) != permanent || errors.Is(err, ErrConfig) != permanent || errors.Is(err, ErrUnavailable) == permanent {
		t.Fatalf("err = %v: permanent %v, ErrConfig %v, ErrUnavailable %v", err, sqsworker.IsPermanent(err), errors.Is(err, ErrConfig), errors.Is(err, ErrUnavailable))
	}
	if strings.Contains(err.Error(), testKey) {
		t.Fatalf("the key leaks into the error: %v", err)
	}
}
