package declarations

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/money"
	"github.com/kabinet/kabinet/shared/platform/moscow"
	"github.com/kabinet/kabinet/shared/products"
	"github.com/kabinet/kabinet/shared/review"
	"github.com/kabinet/kabinet/shared/rewards"
)

var (
	errNoDeclaration = apperr.New(apperr.NotFound, "no such declaration: an application has one once its account is opened and the agent's reward accrued")
	errChanged       = apperr.New(apperr.Conflict, "the declaration changed since it was read: read it again and repeat")
)

// Declaration is seed 004's declaration (the fields it names) with ours after them.
type Declaration struct {
	ID                 string             `json:"id"` // the application id
	OrgNameShort       string             `json:"orgnameshort"`
	Fictive            bool               `json:"fictive"`
	Number             string             `json:"number"` // the application's number in its organisation
	Product            products.Product   `json:"product"`
	CreateDate         string             `json:"createdate"` // the declaration's: the day the reward was accrued
	PaymentDate        string             `json:"paymentdate"`
	AccountOpeningDate string             `json:"accountOpeningDate"`
	Client             Client             `json:"client"`
	INN                string             `json:"inn"`
	ContactPerson      string             `json:"contactPerson"`
	ContactPhone       string             `json:"contactPhone"`
	ContactEmail       string             `json:"contactEmail"`
	Agent              Agent              `json:"agent"`
	PaidAmount         string             `json:"paidamount"` // roubles, "" until paid
	Bank               Bank               `json:"bank"`
	ActualStatus       Status             `json:"actualStatus"` // the application's status now
	AppCreateDate      string             `json:"appcreatedate"`
	Documents          map[string]DocType `json:"documents"` // by document type id

	// Ours.
	RewardAmount  string        `json:"rewardamount"` // the reward accrued, roubles
	RewardKopecks int64         `json:"rewardKopecks"`
	PaidKopecks   *int64        `json:"paidKopecks"`
	Closed        bool          `json:"declaration_is_closed"`
	ClosedAt      string        `json:"closedAt,omitempty"` // RFC 3339
	ClosedBy      string        `json:"closedBy,omitempty"`
	Version       int64         `json:"version"` // send it back with a modification to refuse a stale one
	UpdatedAt     string        `json:"updatedAt,omitempty"`
	UpdatedBy     string        `json:"updatedBy,omitempty"`
	History       []HistoryItem `json:"history,omitempty"` // getDeclaration only, oldest first
}

// Client is the applicant company (our Client: seed 004 leaves its definition out).
type Client struct {
	INN         string `json:"inn"`
	KPP         string `json:"kpp"`
	OGRN        string `json:"ogrn"`
	ShortName   string `json:"shortName"`
	FullName    string `json:"fullName"`
	ABSClientID int64  `json:"absClientId,omitempty"` // the core-banking system's client id
}

// Bank is the account the bank opened (our Bank).
type Bank struct {
	AccountNumber string `json:"accountNumber"`
	AccountType   string `json:"accountType"`
	OpeningDate   string `json:"openingDate"`
	PRKOProduct   int64  `json:"prkoProduct,omitempty"`
}

// Status is a status of the model as GET /api/status lists it.
type Status struct {
	ID   int    `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// DocType is one entry of documents: the type's name and its documents.
type DocType struct {
	Type      string     `json:"type"`
	Documents []Document `json:"documents"`
}

// Document is an uploaded document (the fields of seed 004's uploadSysFile answer).
type Document struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Mimetype   string `json:"mimetype"`
	CreateDate string `json:"createDate"` // Moscow time without a zone
	Size       int64  `json:"size"`       // KB, rounded up
	ByBank     bool   `json:"byBank"`
}

// HistoryItem is one modification in an answer.
type HistoryItem struct {
	At      string        `json:"at"` // RFC 3339
	By      string        `json:"by"`
	Changes []FieldChange `json:"changes"`
}

var (
	ulidRE   = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`)
	digitsRE = regexp.MustCompile(`^[0-9]{1,12}$`)
)

// Active returns the open declarations matching searchStr and product (nil: any), newest
// accrual first, at most MaxActive.
func (s *Service) Active(ctx context.Context, searchStr string, product *int64) ([]Declaration, error) {
	search := strings.Join(strings.Fields(searchStr), " ")
	if utf8.RuneCountInString(search) > maxSearch {
		return nil, apperr.InvalidField("searchStr", fmt.Sprintf("at most %d characters", maxSearch))
	}
	cat, err := s.Catalogue.Get(ctx)
	if err != nil {
		return nil, err
	}
	var f Filter
	if product != nil {
		i := slices.IndexFunc(cat.Products, func(p rewards.Product) bool { return products.Number(p.ID) == *product })
		if i < 0 {
			return nil, apperr.InvalidField("product", "unknown product: one of the ids of GET /api/product")
		}
		f.Product = cat.Products[i].ID
	}
	var found []rewards.Reward
	switch {
	case ulidRE.MatchString(strings.ToUpper(search)):
		r, open, err := s.Store.Reward(ctx, strings.ToUpper(search))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if err == nil && open && (f.Product == "" || r.Product == f.Product) {
			found = append(found, r)
		}
	default:
		if digitsRE.MatchString(search) {
			f.INNPrefix = search
			f.Number, _ = strconv.ParseInt(search, 10, 64)
		} else if search != "" {
			f.NamePart = strings.ToLower(search)
		}
		if found, err = s.Store.Open(ctx, f, MaxActive); err != nil {
			return nil, err
		}
	}
	return s.assemble(ctx, found, cat, false)
}

// Get returns one declaration with its history (404 when the application has none).
func (s *Service) Get(ctx context.Context, id string) (Declaration, error) {
	r, _, err := s.reward(ctx, id)
	if err != nil {
		return Declaration{}, err
	}
	return s.one(ctx, r)
}

// one builds the declaration of reward r with its history.
func (s *Service) one(ctx context.Context, r rewards.Reward) (Declaration, error) {
	cat, err := s.Catalogue.Get(ctx)
	if err != nil {
		return Declaration{}, err
	}
	out, err := s.assemble(ctx, []rewards.Reward{r}, cat, true)
	if err != nil {
		return Declaration{}, err
	}
	if len(out) == 0 {
		return Declaration{}, errNoDeclaration
	}
	return out[0], nil
}

func (s *Service) reward(ctx context.Context, id string) (rewards.Reward, bool, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return rewards.Reward{}, false, errNoDeclaration
	}
	r, open, err := s.Store.Reward(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return rewards.Reward{}, false, errNoDeclaration
	}
	return r, open, err
}

// assemble builds the declarations of rs: their applications, the bank's records, agents,
// statuses and (concurrently) documents. A reward whose application is gone is left out.
func (s *Service) assemble(ctx context.Context, rs []rewards.Reward, cat rewards.Catalogue, history bool) ([]Declaration, error) {
	if len(rs) == 0 {
		return []Declaration{}, nil
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ApplicationID
	}
	list, err := s.Apps.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	apps := map[string]applications.Application{}
	var orgs []string
	for _, a := range list {
		apps[a.ID] = a
		orgs = append(orgs, a.OrgID)
	}
	slices.Sort(orgs)
	agents, err := s.Agents.AgentOrgsByID(ctx, slices.Compact(orgs))
	if err != nil {
		return nil, err
	}
	recs, err := s.Store.Records(ctx, ids)
	if err != nil {
		return nil, err
	}
	model, err := s.Statuses.Model(ctx)
	if err != nil {
		return nil, err
	}
	docs, err := s.documents(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Declaration, 0, len(rs))
	for _, r := range rs {
		a, ok := apps[r.ApplicationID]
		if !ok {
			continue
		}
		d := view(a, r, recs[a.ID], agents[a.OrgID], model, cat, docs[a.ID])
		if history {
			cs, err := s.Store.History(ctx, a.ID)
			if err != nil {
				return nil, err
			}
			d.History = []HistoryItem{}
			for _, c := range cs {
				d.History = append(d.History, HistoryItem{At: c.At.Format(time.RFC3339), By: c.By, Changes: c.Fields})
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// docWorkers bounds the concurrent document reads of a list (one Query per application).
const docWorkers = 8

// documents reads the uploaded documents of each application, docWorkers at a time.
func (s *Service) documents(ctx context.Context, ids []string) (map[string][]appdocs.Document, error) {
	out := make(map[string][]appdocs.Document, len(ids))
	var mu sync.Mutex
	var first error
	sem := make(chan struct{}, docWorkers)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			docs, _, err := s.Docs.List(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			for _, d := range docs {
				if d.Status == appdocs.StatusUploaded {
					out[id] = append(out[id], d)
				}
			}
		}()
	}
	wg.Wait()
	return out, first
}

func view(a applications.Application, r rewards.Reward, rec Record, org identitydb.AgentOrg, m review.Model, cat rewards.Catalogue,
	docs []appdocs.Document) Declaration {
	st, ok := m.Status(a.Status)
	if !ok {
		st = review.Status{ID: applications.StatusIDs[a.Status], Code: a.Status, Name: a.Status}
	}
	product := products.Product{ID: products.Number(r.Product), Name: r.ProductName, Code: r.Product}
	if p, ok := rewards.Lookup(cat.Products, r.Product); ok && r.Product != "" {
		product.Active = p.Active
	}
	d := Declaration{
		ID: a.ID, OrgNameShort: a.Company.ShortName, Number: strconv.FormatInt(a.Number, 10), Product: product,
		CreateDate: moscow.Day(r.AccruedAt), PaymentDate: rec.PaymentDate, AccountOpeningDate: openingDay(a, r, rec),
		Client: Client{INN: a.Company.INN, KPP: a.Company.KPP, OGRN: a.Company.OGRN, ShortName: a.Company.ShortName,
			FullName: a.Company.FullName, ABSClientID: a.Bank.ABSClientID},
		INN: a.Company.INN, ContactPerson: a.Contact.FullName, ContactPhone: a.Contact.Phone, ContactEmail: a.Contact.Email,
		Agent:        Agent{ID: a.OrgID, FIO: org.Name, Login: org.FounderLogin, Status: org.Status},
		Bank:         Bank{AccountNumber: a.Bank.AccountNumber, AccountType: a.Bank.AccountType, OpeningDate: a.Bank.OpeningDate, PRKOProduct: a.Bank.PRKOProduct},
		ActualStatus: Status{ID: st.ID, Code: st.Code, Name: st.Name}, AppCreateDate: moscow.Day(a.CreatedAt),
		Documents:    map[string]DocType{},
		RewardAmount: money.FormatKopecks(r.AmountKopecks), RewardKopecks: r.AmountKopecks, PaidKopecks: rec.PaymentKopecks,
		Closed: rec.Closed, ClosedBy: rec.ClosedBy, Version: rec.Version, UpdatedBy: rec.UpdatedBy,
	}
	if rec.AppCreateDate != "" {
		d.AppCreateDate = rec.AppCreateDate
	}
	if rec.PaymentKopecks != nil {
		d.PaidAmount = money.FormatKopecks(*rec.PaymentKopecks)
	}
	if !rec.ClosedAt.IsZero() {
		d.ClosedAt = rec.ClosedAt.Format(time.RFC3339)
	}
	if !rec.UpdatedAt.IsZero() {
		d.UpdatedAt = rec.UpdatedAt.Format(time.RFC3339)
	}
	for _, doc := range docs {
		key := strconv.FormatInt(doc.TypeID, 10)
		g := d.Documents[key]
		if g.Type == "" {
			g.Type = doc.TypeName
		}
		g.Documents = append(g.Documents, Document{ID: doc.ID, Name: doc.FileName, Mimetype: doc.ContentType,
			CreateDate: doc.CreatedAt.In(moscow.Zone).Format("2006-01-02T15:04:05.000"), Size: (doc.Size + 1023) / 1024, ByBank: doc.ByBank})
		d.Documents[key] = g
	}
	return d
}

// openingDay is the account's opening day the declaration shows: the bank's correction, else
// the opening date of the account, else the day the account was opened in the flow (the
// reward's accrual).
func openingDay(a applications.Application, r rewards.Reward, rec Record) string {
	if rec.AppOpenDate != "" {
		return rec.AppOpenDate
	}
	if a.Bank.OpeningDate != "" {
		if d, ok := moscow.Date(a.Bank.OpeningDate); ok {
			return d
		}
	}
	return moscow.Day(r.AccruedAt)
}

// Modification is the body of modifyDeclaration: every field optional, absent = unchanged.
type Modification struct {
	AppCreate      *string `json:"appcreate"`
	AppOpenDate    *string `json:"appopendate"`
	SelectedStatus *int    `json:"selectedStatus"`
	PaymentSum     *string `json:"paymentsum"`
	PaymentDate    *string `json:"paymentdate"`
	Closed         *bool   `json:"declaration_is_closed"`
	// Version (ours) is the declaration's version as read: a stale one is a 409. Without it
	// the modification applies to the declaration as it is now.
	Version *int64 `json:"version"`
}

// Validate checks the shapes; Modify checks against the declaration.
func (m Modification) Validate() error {
	f := apperr.Fields{}
	day := func(name string, v *string) {
		if v != nil && strings.TrimSpace(*v) != "" {
			_, ok := moscow.Date(*v)
			f.Check(ok, name, "a date, 2006-01-02 or 02.01.2006, or \"\" to clear")
		}
	}
	day("appcreate", m.AppCreate)
	day("appopendate", m.AppOpenDate)
	day("paymentdate", m.PaymentDate)
	if m.PaymentSum != nil && strings.TrimSpace(*m.PaymentSum) != "" {
		_, ok := money.ParseKopecks(*m.PaymentSum)
		f.Check(ok, "paymentsum", "a sum of roubles such as 1234.56 or 1234,56 (at most two decimals, no sign), or \"\" to clear")
	}
	if m.SelectedStatus != nil {
		f.Check(*m.SelectedStatus > 0, "selectedStatus", "a status id of GET /api/status")
	}
	if m.Version != nil {
		f.Check(*m.Version >= 0, "version", "must not be negative")
	}
	return f.Err()
}

// Modify applies the bank user's corrections to the declaration of application id (A11, seed
// 004 modifyDeclaration) and returns it.
func (s *Service) Modify(ctx context.Context, userID, id string, m Modification) (Declaration, error) {
	if err := m.Validate(); err != nil {
		return Declaration{}, err
	}
	r, _, err := s.reward(ctx, id)
	if err != nil {
		return Declaration{}, err
	}
	recs, err := s.Store.Records(ctx, []string{id})
	if err != nil {
		return Declaration{}, err
	}
	rec, ok := recs[id]
	if !ok {
		rec = Record{ApplicationID: id}
	}
	if m.Version != nil && *m.Version != rec.Version {
		return Declaration{}, errChanged
	}
	if m.SelectedStatus != nil {
		if err := s.checkStatus(ctx, id, *m.SelectedStatus); err != nil {
			return Declaration{}, err
		}
	}
	now := s.now()
	next := rec
	var changes []FieldChange
	set := func(field string, v *string, dst *string, norm func(string) string) {
		if v == nil {
			return
		}
		val := ""
		if strings.TrimSpace(*v) != "" {
			val = norm(*v)
		}
		if val != *dst {
			changes = append(changes, FieldChange{Field: field, From: *dst, To: val})
			*dst = val
		}
	}
	day := func(v string) string { d, _ := moscow.Date(v); return d }
	set("appcreate", m.AppCreate, &next.AppCreateDate, day)
	set("appopendate", m.AppOpenDate, &next.AppOpenDate, day)
	set("paymentdate", m.PaymentDate, &next.PaymentDate, day)
	if m.PaymentSum != nil {
		var sum *int64
		if strings.TrimSpace(*m.PaymentSum) != "" {
			n, _ := money.ParseKopecks(*m.PaymentSum)
			sum = &n
		}
		from, to := amount(rec.PaymentKopecks), amount(sum)
		if from != to {
			changes = append(changes, FieldChange{Field: "paymentsum", From: from, To: to})
			next.PaymentKopecks = sum
		}
	}
	if m.Closed != nil && *m.Closed != rec.Closed {
		changes = append(changes, FieldChange{Field: "declaration_is_closed", From: strconv.FormatBool(rec.Closed), To: strconv.FormatBool(*m.Closed)})
		next.Closed = *m.Closed
		next.ClosedAt, next.ClosedBy = now, userID
		if !next.Closed {
			next.ClosedAt, next.ClosedBy = time.Time{}, ""
		}
	}
	if len(changes) == 0 { // nothing to change: the declaration as it is
		return s.one(ctx, r)
	}
	next.Version, next.UpdatedAt, next.UpdatedBy = rec.Version+1, now, userID
	err = s.Store.Save(ctx, next, Change{At: now, By: userID, Fields: changes}, r)
	if errors.Is(err, ErrStale) {
		return Declaration{}, errChanged
	}
	if err != nil {
		return Declaration{}, err
	}
	return s.one(ctx, r) // the reward itself is unchanged: only its place on the open index moved
}

func amount(k *int64) string {
	if k == nil {
		return ""
	}
	return money.FormatKopecks(*k)
}

// checkStatus accepts the application's current status id only: the status itself moves
// through the status model's steps.
func (s *Service) checkStatus(ctx context.Context, id string, statusID int) error {
	m, err := s.Statuses.Model(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(m.Statuses, func(st review.Status) bool { return st.ID == statusID }) {
		return apperr.InvalidField("selectedStatus", "unknown status id: one of GET /api/status")
	}
	a, err := s.Apps.Get(ctx, id)
	if errors.Is(err, applications.ErrNotFound) {
		return errNoDeclaration
	}
	if err != nil {
		return err
	}
	if cur, ok := m.Status(a.Status); ok && cur.ID == statusID {
		return nil
	}
	return apperr.Newf(apperr.Conflict, "the application is in status %s: its status changes through the status model, POST /api/application/%s/step/{action}", a.Status, id)
}
