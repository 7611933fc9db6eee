// Package products is the back office's product directory of seed 004 (GET /api/product,
// GET /api/product/prko): the products applications are opened for, with the integer ids the
// seed's Product carries, and the bank's RKO service packages (ПРКО).
//
// Products are the agent-side catalogue of shared/rewards (A11), whose ids are string codes
// ("rko-start"). Rather than keep a second list that could drift from it, the directory is
// derived from that catalogue and each code gets a stable integer id computed from the code
// itself (Number): the same code has the same id in every function, in every list and after
// any edit of the catalogue, with nothing stored. Withdrawn products stay listed (old
// applications still name them), marked inactive.
//
// The PRKO packages are a default directory (PRKO) until the bank edits them: applications
// keep the chosen package's id (applications.Bank.PRKOProduct).
package products

import (
	"context"
	"hash/fnv"

	"github.com/kabinet/kabinet/shared/rewards"
)

// Product is the seed's Product: an integer id and a name. Code and Active are ours.
type Product struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Code   string `json:"code,omitempty"` // the rewards catalogue's code
	Active bool   `json:"active"`
}

// Number is the stable integer id of a rewards catalogue code: the FNV-1a hash of the code,
// 31 bits, so it fits every client's int32 and never changes for a code. Collisions among a
// bank's few dozen products are improbable; Directory refuses to hide one (see there).
func Number(code string) int64 {
	h := fnv.New32a()
	h.Write([]byte(code))
	n := int64(h.Sum32() & 0x7fffffff)
	if n == 0 {
		n = 1
	}
	return n
}

// Catalogue reads the rewards catalogue (rewards.Products).
type Catalogue interface {
	Get(ctx context.Context) (rewards.Catalogue, error)
}

// Service answers the directory.
type Service struct {
	Catalogue Catalogue
}

// List returns every product of the catalogue in its order, active or not.
func (s *Service) List(ctx context.Context) ([]Product, error) {
	c, err := s.Catalogue.Get(ctx)
	if err != nil {
		return nil, err
	}
	return FromCatalogue(c.Products), nil
}

// FromCatalogue maps rewards products to the directory. Two codes with one Number (never seen
// in practice) both stay listed: hiding a product would be worse than a duplicate id.
func FromCatalogue(ps []rewards.Product) []Product {
	out := make([]Product, 0, len(ps))
	for _, p := range ps {
		out = append(out, Product{ID: Number(p.ID), Name: p.Name, Code: p.ID, Active: p.Active})
	}
	return out
}

// PRKO returns the RKO service packages (пакеты РКО) the bank offers; ids are fixed.
func PRKO() []Product {
	return []Product{
		{ID: 1, Name: "Пакет «Начальный»", Active: true},
		{ID: 2, Name: "Пакет «Оптимальный»", Active: true},
		{ID: 3, Name: "Пакет «Бизнес»", Active: true},
		{ID: 4, Name: "Пакет «ВЭД»", Active: true},
	}
}

// PRKOName returns the name of a package id (ok false for an unknown one).
func PRKOName(id int64) (string, bool) {
	for _, p := range PRKO() {
		if p.ID == id {
			return p.Name, true
		}
	}
	return "", false
}
