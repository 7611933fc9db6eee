package applications

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// catalogue is a Products of fixed products; "" finds the default.
type catalogue struct {
	products map[string]ProductInfo
	def      string
	err      error
}

func (c catalogue) Product(_ context.Context, id string) (ProductInfo, bool, error) {
	if id == "" {
		id = c.def
	}
	p, ok := c.products[id]
	return p, ok, c.err
}

var testCatalogue = catalogue{def: "rko-start", products: map[string]ProductInfo{
	"rko-start":    {ID: "rko-start", Name: "Расчётный счёт «Старт»", RewardKopecks: 150000, Active: true},
	"rko-business": {ID: "rko-business", Name: "Расчётный счёт «Бизнес»", RewardKopecks: 300000, Active: true},
	"rko-old":      {ID: "rko-old", Name: "Расчётный счёт «Архив»", RewardKopecks: 50000, Active: false},
	"rko-free":     {ID: "rko-free", Name: "Расчётный счёт «Без вознаграждения»", RewardKopecks: 0, Active: true},
}}

// A11: the reward of an opened account is its product's, or the default product's.
func TestAccrual(t *testing.T) {
	// 21:30 UTC on 31 October is already 1 November in Moscow: the reward is November's.
	at := time.Date(2026, 10, 31, 21, 30, 0, 0, time.UTC)
	cases := []struct {
		name     string
		products Products
		product  string
		want     *Accrual // nil = nothing accrued
	}{
		{"the application's product", testCatalogue, "rko-business",
			&Accrual{Month: "2026-11", Product: "rko-business", ProductName: "Расчётный счёт «Бизнес»", AmountKopecks: 300000, At: at}},
		{"no product: the default", testCatalogue, "",
			&Accrual{Month: "2026-11", Product: "rko-start", ProductName: "Расчётный счёт «Старт»", AmountKopecks: 150000, At: at}},
		{"withdrawn since chosen: still its reward", testCatalogue, "rko-old",
			&Accrual{Month: "2026-11", Product: "rko-old", ProductName: "Расчётный счёт «Архив»", AmountKopecks: 50000, At: at}},
		{"removed from the catalogue: the default", testCatalogue, "rko-gone",
			&Accrual{Month: "2026-11", Product: "rko-start", ProductName: "Расчётный счёт «Старт»", AmountKopecks: 150000, At: at}},
		{"a zero reward accrues nothing", testCatalogue, "rko-free", nil},
		{"no catalogue accrues nothing", nil, "rko-business", nil},
		{"a catalogue without a default", catalogue{products: testCatalogue.products}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Service{Products: c.products}
			got, err := s.accrual(context.Background(), Application{ID: "01KAXQ7ZJ3M1P2Q3R4S5T6V7W8", Product: c.product}, at)
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
	s := &Service{Products: catalogue{err: errors.New("table down")}}
	if _, err := s.accrual(context.Background(), Application{}, at); err == nil {
		t.Fatal("a catalogue failure priced a reward")
	}
}

// Only an offered product may be named: unknown or inactive is a 400 on "product".
func TestCheckProduct(t *testing.T) {
	cases := []struct {
		name     string
		products Products
		product  string
		want     apperr.Code // "" = accepted
	}{
		{"active", testCatalogue, "rko-business", ""},
		{"none: the default", testCatalogue, "", ""},
		{"inactive", testCatalogue, "rko-old", apperr.Validation},
		{"unknown", testCatalogue, "rko-none", apperr.Validation},
		{"no catalogue: any code", nil, "whatever", ""},
		{"catalogue down", catalogue{err: errors.New("table down")}, "rko-start", apperr.Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := (&Service{Products: c.products}).checkProduct(context.Background(), c.product)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if apperr.CodeOf(err) != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
			if e, _ := apperr.As(err); c.want == apperr.Validation && e.Fields["product"] == "" {
				t.Fatalf("no product field: %v", err)
			}
		})
	}
	// The code's length is checked with the draft, catalogue or not.
	long := Application{Product: "rko-" + strings.Repeat("x", 47)} // 51 characters
	if e, _ := apperr.As(validate(long, false)); e == nil || e.Fields["product"] == "" {
		t.Fatalf("a %d-character product accepted", len(long.Product))
	}
}
