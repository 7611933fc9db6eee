package acts

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/binaries"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/money"
	"github.com/kabinet/kabinet/shared/platform/moscow"
	"github.com/kabinet/kabinet/shared/products"
)

// Service records and lists acts.
type Service struct {
	Store     Store
	Orgs      Orgs
	Catalogue Catalogue
	Files     Files
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var (
	errNoAgent   = apperr.New(apperr.NotFound, "no agent organisation has this id (see GET /api/agent)")
	errNoProduct = apperr.New(apperr.NotFound, "no product has this id (see GET /api/product)")
)

// NewAct is a create request as the path gives it, with the optional file.
type NewAct struct {
	AgentID     string
	ProductID   string
	PaymentSum  string
	Period      string
	PaymentDate string
	File        *binaries.File
}

// Create records an act for bank user actor: 400 for a malformed sum, period, date or product
// id (every field named), 404 for an unknown agent organisation or product, the file's own
// errors (400, 413, 422).
func (s *Service) Create(ctx context.Context, actor string, in NewAct) (Act, error) {
	f := apperr.Fields{}
	productID, err := strconv.ParseInt(strings.TrimSpace(in.ProductID), 10, 64)
	f.Check(err == nil && productID > 0, "product", "must be a product id, a positive integer")
	kopecks, ok := money.ParseKopecks(in.PaymentSum)
	f.Check(ok && kopecks > 0, "paymentSum", `must be a sum in roubles above zero, kopecks after a point or a comma: "1234.56", "1234,56"`)
	period, ok := ParsePeriod(in.Period)
	f.Check(ok, "period", `must be a month: "2026-10" or "10.2026"`)
	date, ok := moscow.Date(in.PaymentDate)
	f.Check(ok, "paymentdate", `must be a date: "2026-11-05" or "05.11.2026"`)
	if err := f.Err(); err != nil {
		return Act{}, err
	}
	agent, err := s.agent(ctx, in.AgentID)
	if err != nil {
		return Act{}, err
	}
	product, err := s.product(ctx, productID)
	if err != nil {
		return Act{}, err
	}
	a := Act{ID: ulid.Make().String(), Agent: agent, Product: product, PaymentKopecks: kopecks, Period: period, PaymentDate: date,
		CreatedBy: actor, CreatedAt: s.now()}
	if in.File != nil {
		o, err := s.Files.CreateAttached(ctx, actor, "act:"+a.ID, in.File.Name, in.File.MimeType, in.File.Body)
		if err != nil {
			return Act{}, err
		}
		a.BinaryID = o.ID
	}
	if a.Number, err = s.Store.NextNumber(ctx); err == nil {
		err = s.Store.Create(ctx, a)
	}
	if err != nil {
		if a.BinaryID != "" {
			slog.WarnContext(ctx, "act not written: its file stays, attached to nothing", "actId", a.ID, "binaryId", a.BinaryID)
		}
		return Act{}, err
	}
	return a, nil
}

// agent reads an agent organisation as an act shows it.
func (s *Service) agent(ctx context.Context, id string) (Agent, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Agent{}, errNoAgent
	}
	org, err := s.Orgs.Org(ctx, id)
	if errors.Is(err, identity.ErrNotFound) || err == nil && org.Kind != identity.AgentOrg {
		return Agent{}, errNoAgent
	} else if err != nil {
		return Agent{}, err
	}
	a := Agent{ID: org.ID, Name: org.Name}
	supers, err := s.Orgs.Superusers(ctx, org.ID)
	if err != nil {
		return Agent{}, err
	}
	var first time.Time
	for _, u := range supers { // the first made, when there are several
		if a.Login == "" || u.CreatedAt.Before(first) {
			a.Login, first = u.Login, u.CreatedAt
		}
	}
	return a, nil
}

// product finds a product of the directory by id, withdrawn ones included.
func (s *Service) product(ctx context.Context, id int64) (Product, error) {
	c, err := s.Catalogue.Get(ctx)
	if err != nil {
		return Product{}, err
	}
	for _, p := range products.FromCatalogue(c.Products) {
		if p.ID == id {
			return Product{ID: p.ID, Code: p.Code, Name: p.Name}, nil
		}
	}
	return Product{}, errNoProduct
}

// List returns the acts of an agent organisation and/or a product, newest first, at most
// MaxList; agentID and productID as the query gives them ("" for any).
func (s *Service) List(ctx context.Context, agentID, productID string) ([]Act, error) {
	var flt Filter
	f := apperr.Fields{}
	if agentID = strings.TrimSpace(agentID); agentID != "" {
		_, err := ulid.ParseStrict(agentID)
		f.Check(err == nil, "agentid", "must be an agent organisation's id")
		flt.AgentID = agentID
	}
	if productID = strings.TrimSpace(productID); productID != "" {
		n, err := strconv.ParseInt(productID, 10, 64)
		f.Check(err == nil && n > 0, "productid", "must be a product id, a positive integer")
		flt.ProductID = n
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.Store.List(ctx, flt, MaxList)
}
