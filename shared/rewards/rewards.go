// Package rewards is the agent's reward for the accounts its applications open (A11,
// «Результаты» of seed 000) and the bank's product catalogue that prices it.
//
// The catalogue is small and read-mostly, so it is one document with a version for optimistic
// locking, like the departments directory; until the bank first saves it, reads give the
// default catalogue (Default). A product has a fixed reward per opened account; exactly one
// product is the default, the one of an application that names none.
//
// A reward is accrued when the bank opens an application's account (applications.Service.Advance,
// priced through Catalogue.Product), in the same transaction as the status change, once per
// application, and added to the organisation's total of the Moscow month (rewardsdb). The agent
// reads a month's rewards with their total, searches them by INN or name, and opens one with
// its application; what a caller sees is scoped by role like the applications (A17).
package rewards

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Product is a product of the catalogue.
type Product struct {
	ID            string `json:"id"`            // a code: rko-start
	Name          string `json:"name"`          // Расчётный счёт «Старт»
	RewardKopecks int64  `json:"rewardKopecks"` // the agent's fixed reward per opened account
	Active        bool   `json:"active"`        // offered: new applications may name it
	Default       bool   `json:"default"`       // the product of an application that names none
}

// Catalogue is the whole product catalogue. Version is 0 for the default one, never saved.
type Catalogue struct {
	Version   int64
	Products  []Product
	UpdatedAt time.Time
	UpdatedBy string
}

// CatalogueStore keeps the catalogue.
type CatalogueStore interface {
	// Get returns the saved catalogue, or ok false when none was ever saved.
	Get(ctx context.Context) (c Catalogue, ok bool, err error)
	// Put saves c with version c.Version when the saved one has version c.Version-1 (none
	// saved when that is 0); otherwise an apperr.Conflict.
	Put(ctx context.Context, c Catalogue) error
}

// Limits of the catalogue.
const (
	MaxProducts      = 100
	MaxRewardKopecks = 1_000_000_000 // 10 000 000 ₽
	maxNameLen       = 200
)

// idPattern is a product code: lower-case Latin letters, digits and hyphens, at most 50
// characters (the length an application's product may have).
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,49}$`)

// Validate checks a catalogue: at least one product, ids well-formed and unique, names
// given, rewards 0 to MaxRewardKopecks, and exactly one default product, which is active.
// What is wrong is a 400 with the fields.
func Validate(products []Product) error {
	f := apperr.Fields{}
	f.Check(len(products) > 0, "products", "at least one product is required")
	f.Check(len(products) <= MaxProducts, "products", fmt.Sprintf("at most %d products", MaxProducts))
	seen := map[string]bool{}
	defaults := 0
	for i, p := range products {
		at := fmt.Sprintf("products[%d].", i)
		switch {
		case !idPattern.MatchString(p.ID):
			f.Add(at+"id", "1 to 50 characters: lower-case Latin letters, digits and hyphens, e.g. rko-start")
		case seen[p.ID]:
			f.Add(at+"id", "duplicate product id "+p.ID)
		}
		seen[p.ID] = true
		name := strings.TrimSpace(p.Name)
		f.Check(name != "", at+"name", "must not be empty")
		f.Check(utf8.RuneCountInString(name) <= maxNameLen, at+"name", fmt.Sprintf("at most %d characters", maxNameLen))
		f.Check(p.RewardKopecks >= 0 && p.RewardKopecks <= MaxRewardKopecks, at+"rewardKopecks",
			fmt.Sprintf("0 to %d kopecks", MaxRewardKopecks))
		if p.Default {
			defaults++
			f.Check(p.Active, at+"active", "the default product must be active")
		}
	}
	if len(products) > 0 {
		f.Check(defaults == 1, "products", "exactly one product must be the default")
	}
	return f.Err()
}

// Lookup finds product id in products, or the default product for id "".
func Lookup(products []Product, id string) (Product, bool) {
	for _, p := range products {
		if (id == "" && p.Default) || (id != "" && p.ID == id) {
			return p, true
		}
	}
	return Product{}, false
}

// Products is the catalogue service: the bank reads and replaces the catalogue, agents read
// the active products, applications check and price products through it.
type Products struct {
	Store CatalogueStore
	Now   func() time.Time
}

var _ applications.Products = (*Products)(nil)

func (s *Products) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Get returns the saved catalogue, or the default one (version 0) when none was saved.
func (s *Products) Get(ctx context.Context) (Catalogue, error) {
	c, ok, err := s.Store.Get(ctx)
	if err != nil {
		return Catalogue{}, err
	}
	if !ok {
		return Catalogue{Products: Default()}, nil
	}
	return c, nil
}

// Active returns the products offered now, in the catalogue's order.
func (s *Products) Active(ctx context.Context) ([]Product, error) {
	c, err := s.Get(ctx)
	if err != nil {
		return nil, err
	}
	out := []Product{}
	for _, p := range c.Products {
		if p.Active {
			out = append(out, p)
		}
	}
	return out, nil
}

// Product implements applications.Products: product id, or the default product for "".
func (s *Products) Product(ctx context.Context, id string) (applications.ProductInfo, bool, error) {
	c, err := s.Get(ctx)
	if err != nil {
		return applications.ProductInfo{}, false, err
	}
	p, ok := Lookup(c.Products, id)
	if !ok {
		return applications.ProductInfo{}, false, nil
	}
	return applications.ProductInfo{ID: p.ID, Name: p.Name, RewardKopecks: p.RewardKopecks, Active: p.Active}, true, nil
}

// Replace saves products as the whole catalogue when version is the current one (0 while the
// default is in use): 409 otherwise. Rewards already accrued keep their amounts.
func (s *Products) Replace(ctx context.Context, userID string, version int64, products []Product) (Catalogue, error) {
	if version < 0 {
		return Catalogue{}, apperr.InvalidField("version", "must not be negative")
	}
	tidy := make([]Product, len(products))
	for i, p := range products {
		p.ID, p.Name = strings.TrimSpace(p.ID), strings.Join(strings.Fields(p.Name), " ")
		tidy[i] = p
	}
	if err := Validate(tidy); err != nil {
		return Catalogue{}, err
	}
	c := Catalogue{Version: version + 1, Products: tidy, UpdatedAt: s.now().UTC(), UpdatedBy: userID}
	if err := s.Store.Put(ctx, c); err != nil {
		return Catalogue{}, err
	}
	return c, nil
}
