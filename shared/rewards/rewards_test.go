package rewards

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// The catalogue's rules (A11): what the bank may save.
func TestValidate(t *testing.T) {
	p := func(id string, reward int64, active, def bool) Product {
		return Product{ID: id, Name: "Счёт " + id, RewardKopecks: reward, Active: active, Default: def}
	}
	long := "rko-" + strings.Repeat("x", 47) // 51 characters
	cases := []struct {
		name     string
		products []Product
		fields   []string // nil = valid
	}{
		{"the default catalogue", Default(), nil},
		{"one product", []Product{p("rko-start", 150000, true, true)}, nil},
		{"zero and the largest reward", []Product{p("a", 0, true, true), p("b", MaxRewardKopecks, false, false)}, nil},
		{"50-character id", []Product{p(long[:50], 1, true, true)}, nil},
		{"none", nil, []string{"products"}},
		{"no default", []Product{p("a", 1, true, false), p("b", 1, true, false)}, []string{"products"}},
		{"two defaults", []Product{p("a", 1, true, true), p("b", 1, true, true)}, []string{"products"}},
		{"inactive default", []Product{p("a", 1, false, true)}, []string{"products[0].active"}},
		{"duplicate id", []Product{p("a", 1, true, true), p("a", 2, true, false)}, []string{"products[1].id"}},
		{"negative reward", []Product{p("a", -1, true, true)}, []string{"products[0].rewardKopecks"}},
		{"reward above the limit", []Product{p("a", MaxRewardKopecks+1, true, true)}, []string{"products[0].rewardKopecks"}},
		{"empty id", []Product{p("", 1, true, true)}, []string{"products[0].id"}},
		{"51-character id", []Product{p(long, 1, true, true)}, []string{"products[0].id"}},
		{"upper case and spaces in the id", []Product{p("RKO start", 1, true, true)}, []string{"products[0].id"}},
		{"id starting with a hyphen", []Product{p("-rko", 1, true, true)}, []string{"products[0].id"}},
		{"empty name", []Product{{ID: "a", Name: "  ", Active: true, Default: true}}, []string{"products[0].name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(c.products)
			if c.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Validation {
				t.Fatalf("got %v, want a 400", err)
			}
			if got := slices.Sorted(maps.Keys(e.Fields)); !slices.Equal(got, c.fields) {
				t.Fatalf("fields %v, want %v", e.Fields, c.fields)
			}
		})
	}
	many := make([]Product, MaxProducts+1)
	for i := range many {
		many[i] = p("p"+string(rune('a'+i%26))+string(rune('a'+i/26)), 1, true, i == 0)
	}
	if e, _ := apperr.As(Validate(many)); e == nil || e.Fields["products"] == "" {
		t.Fatalf("%d products accepted", len(many))
	}
}

func TestLookup(t *testing.T) {
	ps := []Product{
		{ID: "rko-start", Default: true, Active: true},
		{ID: "rko-old", Active: false},
	}
	for _, c := range []struct {
		id, want string
		ok       bool
	}{
		{"", "rko-start", true}, // no product named: the default
		{"rko-start", "rko-start", true},
		{"rko-old", "rko-old", true}, // inactive products are still found (priced)
		{"rko-none", "", false},
	} {
		got, ok := Lookup(ps, c.id)
		if ok != c.ok || got.ID != c.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", c.id, got.ID, ok, c.want, c.ok)
		}
	}
	if _, ok := Lookup([]Product{{ID: "a"}}, ""); ok {
		t.Error("a catalogue without a default found one")
	}
}
