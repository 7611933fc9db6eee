package applications_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

func items(t *testing.T, r testenv.Reply) []map[string]any {
	t.Helper()
	raw, ok := r.Body["items"].([]any)
	if !ok {
		t.Fatalf("no items: %v", r.Body)
	}
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i] = it.(map[string]any)
	}
	return out
}

func innsOf(ps []map[string]any) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i], _ = p["inn"].(string)
	}
	return out
}

// validINN completes 9 digits with the check digit of a legal entity's INN.
func validINN(nine string) string {
	sum := 0
	for i, w := range []int{2, 4, 10, 3, 5, 9, 4, 6, 8} {
		sum += int(nine[i]-'0') * w
	}
	return nine + fmt.Sprint(sum%11%10)
}

// TestCompanySuggestions: the application form's company lookup (A5) — suggestions by name or
// INN prefix, and choosing one fills the requisites by the exact INN.
func TestCompanySuggestions(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	tok := c.Ready().Token()
	romashka := dadatasim.Companies()[2] // ООО "РОМАШКА"
	suggest := func(q, extra string) testenv.Reply {
		return c.Call("GET", "/v1/company-suggestions?q="+url.QueryEscape(q)+extra, "", tok)
	}

	t.Run("by name, any case", func(t *testing.T) {
		for _, q := range []string{"ромашка", "РоМаШкА"} {
			r := suggest(q, "")
			expect(t, r, 200, "suggest "+q)
			ps := items(t, r)
			i := slices.Index(innsOf(ps), romashka.INN)
			if i < 0 {
				t.Fatalf("%q: no %s in %v", q, romashka.INN, innsOf(ps))
			}
			p := ps[i]
			want := map[string]any{"inn": romashka.INN, "kpp": romashka.KPP, "ogrn": romashka.OGRN, "okpo": romashka.OKPO,
				"okved": romashka.OKVED, "kind": "LEGAL", "fullName": romashka.FullWithOPF, "shortName": romashka.ShortWithOPF,
				"status": "ACTIVE", "value": romashka.ShortWithOPF}
			for k, v := range want {
				if p[k] != v {
					t.Errorf("%q: %s = %v, want %v", q, k, p[k], v)
				}
			}
			if p["address"] != romashka.Address.Source {
				t.Errorf("address = %v, want %q", p["address"], romashka.Address.Source)
			}
			if m, _ := p["management"].(map[string]any); m["name"] != romashka.Manager.Name {
				t.Errorf("management = %v", p["management"])
			}
		}
	})

	t.Run("by INN prefix, count", func(t *testing.T) {
		r := suggest("7707", "")
		expect(t, r, 200, "suggest by INN")
		got := innsOf(items(t, r))
		if !slices.Contains(got, "7707083893") {
			t.Fatalf("no Sberbank in %v", got)
		}
		for _, inn := range got {
			if !strings.HasPrefix(inn, "7707") {
				t.Errorf("INN %s does not start with 7707", inn)
			}
		}
		r = suggest("ООО", "&count=1")
		expect(t, r, 200, "suggest with count")
		if n := len(items(t, r)); n != 1 {
			t.Errorf("count=1 gave %d items", n)
		}
	})

	t.Run("bad queries", func(t *testing.T) {
		for _, tc := range []struct{ path, field string }{
			{"/v1/company-suggestions", "q"},
			{"/v1/company-suggestions?q=%20%20", "q"},
			{"/v1/company-suggestions?q=" + url.QueryEscape("р"), "q"},
			{"/v1/company-suggestions?q=" + strings.Repeat("a", 301), "q"},
			{"/v1/company-suggestions?q=ab&count=0", "count"},
			{"/v1/company-suggestions?q=ab&count=21", "count"},
		} {
			r := c.Call("GET", tc.path, "", tok)
			expect(t, r, 400, tc.path)
			if r.Field(tc.field) == "" {
				t.Errorf("%s: no error on %s: %v", tc.path, tc.field, r.Body)
			}
		}
	})

	t.Run("find by INN", func(t *testing.T) {
		r := c.Call("GET", "/v1/company-suggestions/"+romashka.INN, "", tok)
		expect(t, r, 200, "find")
		ps := items(t, r)
		if len(ps) != 1 || ps[0]["inn"] != romashka.INN || ps[0]["kpp"] != romashka.KPP || ps[0]["ogrn"] != romashka.OGRN {
			t.Fatalf("find %s: %v", romashka.INN, ps)
		}
		expect(t, c.Call("GET", "/v1/company-suggestions/"+romashka.INN+"?kpp="+romashka.KPP, "", tok), 200, "find with kpp")
		expect(t, c.Call("GET", "/v1/company-suggestions/"+romashka.INN+"?kpp=773601001", "", tok), 404, "find with another kpp")
		expect(t, c.Call("GET", "/v1/company-suggestions/"+romashka.INN+"?kpp=12", "", tok), 400, "bad kpp")
	})

	t.Run("bad INN", func(t *testing.T) {
		for inn, msg := range map[string]string{
			"7707083894": "INN check digit is wrong",
			"770708389":  "INN must be 10 digits for a legal entity or 12 digits for an individual",
			"77070838ab": "INN must contain only digits",
		} {
			calls := c.Env.Dadata.Calls()
			r := c.Call("GET", "/v1/company-suggestions/"+inn, "", tok)
			expect(t, r, 400, "INN "+inn)
			if r.Field("inn") != msg {
				t.Errorf("INN %s: %q, want %q", inn, r.Field("inn"), msg)
			}
			if c.Env.Dadata.Calls() != calls {
				t.Errorf("INN %s: the directory was asked", inn)
			}
		}
	})

	t.Run("unknown INN", func(t *testing.T) {
		inn := validINN("500100732")
		for _, co := range dadatasim.Companies() {
			if co.INN == inn {
				t.Fatalf("%s is a simulated company", inn)
			}
		}
		r := c.Call("GET", "/v1/company-suggestions/"+inn, "", tok)
		expect(t, r, 404, "unknown INN")
	})

	t.Run("directory down", func(t *testing.T) {
		c.Env.Dadata.SetFault(&dadatasim.Fault{Mode: "down"})
		t.Cleanup(func() { c.Env.Dadata.SetFault(nil) })
		for _, path := range []string{"/v1/company-suggestions?q=" + url.QueryEscape("ромашка"), "/v1/company-suggestions/" + romashka.INN} {
			r := c.Call("GET", path, "", tok)
			expect(t, r, 503, path)
			if r.Code() != "unavailable" || r.Header.Get("Retry-After") == "" {
				t.Errorf("%s: code %q, Retry-After %q", path, r.Code(), r.Header.Get("Retry-After"))
			}
		}
	})
}
