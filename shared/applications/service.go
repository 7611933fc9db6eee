package applications

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/company"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/phone"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// Service runs the agent's side of applications and the bank's hooks.
type Service struct {
	Store Store
	Users Users
	// Products checks an application's product and prices the agent's reward when its account
	// is opened (A11). Nil accepts any code of up to 50 characters and accrues nothing.
	Products Products
	// KeyOwners and Places serve the agent API (A12, agentapi.go); only its function sets them.
	KeyOwners KeyOwners
	Places    Places
	// ABS queues the core-banking calls (E13): submitting queues InitialCheck, annulling
	// DeleteClient. Nil while the integration is not connected: no call is made and the bank
	// moves a submitted application on by hand (the status model's "review" action).
	ABS abs.Queue
	// Moves is the bank's status model (shared/review): which moves Advance and Annul may make.
	Moves Moves
	Now   func() time.Time
}

// Actor is the caller.
type Actor = identity.Actor

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var errNotFound = apperr.New(apperr.NotFound, "application not found")

// Draft is what the agent writes into an application; a nil section is left as it is.
type Draft struct {
	Company       *Company
	Contact       *Contact
	Office        *Office
	Founders      *[]Founder
	Questionnaire *map[string]string
	Comment       *string
	Product       *string // "" = none: the catalogue's default product
}

// Create makes a draft of the caller's organisation (A5); what is given is checked, nothing is
// required until submit.
func (s *Service) Create(ctx context.Context, a Actor, d Draft) (Application, error) {
	caller, err := s.Users.User(ctx, a.UserID)
	if err != nil {
		return Application{}, fmt.Errorf("read caller: %w", err)
	}
	return s.create(ctx, caller, d)
}

// create makes a draft by user (the caller, or the agent an agent-API call names).
func (s *Service) create(ctx context.Context, user identity.User, d Draft) (Application, error) {
	now := s.now()
	app := Application{ID: ulid.Make().String(), OrgID: user.OrgID, CreatedBy: user.ID, GroupID: user.GroupID,
		Status: StatusDraft, CreatedAt: now, UpdatedAt: now, Version: 1}
	apply(&app, d)
	if err := validate(app, false); err != nil {
		return Application{}, err
	}
	if err := s.checkProduct(ctx, app.Product); err != nil {
		return Application{}, err
	}
	n, err := s.Store.NextNumber(ctx, app.OrgID)
	if err != nil {
		return Application{}, err
	}
	app.Number = n
	h := HistoryEntry{At: now, By: user.ID, To: StatusDraft}
	if err := s.Store.Create(ctx, app, h, Tally{Day: day(now), Field: StatCreated}); err != nil {
		return Application{}, err
	}
	return app, nil
}

// Get returns an application the caller may see.
func (s *Service) Get(ctx context.Context, a Actor, id string) (Application, error) {
	scope, err := s.scope(ctx, a)
	if err != nil {
		return Application{}, err
	}
	return s.visible(ctx, a, scope, id)
}

// Update edits a draft or an application returned for rework; version is the one the caller
// read (optimistic locking: a stale version is a 409).
func (s *Service) Update(ctx context.Context, a Actor, id string, version int64, d Draft) (Application, error) {
	scope, err := s.scope(ctx, a)
	if err != nil {
		return Application{}, err
	}
	app, err := s.visible(ctx, a, scope, id)
	if err != nil {
		return Application{}, err
	}
	if !Editable(app.Status) {
		return Application{}, apperr.Newf(apperr.Conflict, "an application in status %s cannot be edited", app.Status)
	}
	if app.Version != version {
		return Application{}, apperr.New(apperr.Conflict, "the application changed meanwhile: read it again and repeat the edit")
	}
	apply(&app, d)
	if err := validate(app, false); err != nil {
		return Application{}, err
	}
	if d.Product != nil { // a product chosen earlier and since withdrawn is caught on submit
		if err := s.checkProduct(ctx, app.Product); err != nil {
			return Application{}, err
		}
	}
	app.UpdatedAt = s.now()
	return s.save(ctx, app, nil, nil)
}

// Submit sends a draft or a reworked application to the bank, once every required field is
// filled in and valid.
func (s *Service) Submit(ctx context.Context, a Actor, id string) (Application, error) {
	scope, err := s.scope(ctx, a)
	if err != nil {
		return Application{}, err
	}
	app, err := s.visible(ctx, a, scope, id)
	if err != nil {
		return Application{}, err
	}
	if !Editable(app.Status) {
		return Application{}, apperr.Newf(apperr.Conflict, "an application in status %s cannot be submitted", app.Status)
	}
	if err := validate(app, true); err != nil {
		return Application{}, err
	}
	if err := s.checkProduct(ctx, app.Product); err != nil { // still offered
		return Application{}, err
	}
	now := s.now()
	h := HistoryEntry{At: now, By: a.UserID, From: app.Status, To: StatusSubmitted}
	var t *Tally
	if app.Status == StatusDraft { // the first submission; a resubmission after rework is not counted again
		t = &Tally{Day: day(now), Field: StatSubmitted}
	}
	app.Status, app.UpdatedAt, app.SubmittedAt = StatusSubmitted, now, now
	// Every submission, a resubmission after rework included, is checked again (E13 step 1):
	// the requisites may have changed in rework.
	var job *abs.Job
	app.Bank.InitialCheck, app.Bank.ABSPending, app.Bank.ABSJob = "", "", ""
	if s.ABS != nil {
		job = &abs.Job{ID: ulid.Make().String(), ApplicationID: app.ID, Kind: abs.InitialCheck, RequestedBy: a.UserID, RequestedAt: now}
		app.Bank.InitialCheck, app.Bank.ABSPending, app.Bank.ABSJob = "pending", string(abs.InitialCheck), job.ID
	}
	saved, err := s.save(ctx, app, &h, t)
	if err != nil || job == nil {
		return saved, err
	}
	// Queued after the save, so the consumer finds the call due. When the queue refuses it,
	// the application is not held: the pending mark is taken back and the bank moves it on by
	// hand.
	if qerr := s.ABS.Enqueue(ctx, *job); qerr != nil {
		slog.ErrorContext(ctx, "queue the InitialCheck call", "applicationId", app.ID, "error", qerr)
		saved.Bank.InitialCheck, saved.Bank.ABSPending, saved.Bank.ABSJob = "", "", ""
		if again, err := s.save(ctx, saved, nil, nil); err == nil {
			saved = again
		}
	}
	return saved, nil
}

// Annul is the agent's withdrawal of an application (issue 5): allowed from the statuses the
// bank's status model annuls from, not while an account call of the ABS is in flight (409);
// when the ABS knows the client, DeleteClient is queued.
func (s *Service) Annul(ctx context.Context, a Actor, id, comment string) (Application, error) {
	scope, err := s.scope(ctx, a)
	if err != nil {
		return Application{}, err
	}
	app, err := s.visible(ctx, a, scope, id)
	if err != nil {
		return Application{}, err
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > 2000 {
		return Application{}, apperr.InvalidField("comment", "must be at most 2000 characters")
	}
	if ok, err := s.allowed(ctx, app.Status, StatusAnnulled); err != nil {
		return Application{}, err
	} else if !ok {
		return Application{}, apperr.Newf(apperr.Conflict, "an application in status %s cannot be annulled", app.Status)
	}
	if p := app.Bank.ABSPending; p == string(abs.NewClient) || p == string(abs.OpenAccount) {
		return Application{}, apperr.New(apperr.Conflict, "the bank's core-banking system is working on the account: try again later")
	}
	now := s.now()
	h := HistoryEntry{At: now, By: a.UserID, From: app.Status, To: StatusAnnulled, Comment: comment}
	app.Bank.ClosedAt = now
	var job *abs.Job
	if s.ABS != nil && app.Bank.ABSClientID != 0 {
		job = &abs.Job{ID: ulid.Make().String(), ApplicationID: app.ID, Kind: abs.DeleteClient, RequestedBy: a.UserID, RequestedAt: now}
		app.Bank.ABSPending, app.Bank.ABSJob = string(job.Kind), job.ID
	}
	saved, err := s.Move(ctx, app, StatusAnnulled, h)
	if err != nil || job == nil {
		return saved, err
	}
	if err := s.ABS.Enqueue(ctx, *job); err != nil { // annulled all the same; the ABS keeps the client
		slog.ErrorContext(ctx, "queue the DeleteClient call", "applicationId", app.ID, "error", err)
	}
	return saved, nil
}

// allowed asks the status model whether from → to is a move of it.
func (s *Service) allowed(ctx context.Context, from, to string) (bool, error) {
	if s.Moves == nil {
		return false, errors.New("applications: no status model (Service.Moves)")
	}
	return s.Moves.Allowed(ctx, from, to)
}

// History returns the status transitions of an application the caller may see (A6).
func (s *Service) History(ctx context.Context, a Actor, id string) ([]HistoryEntry, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.Store.History(ctx, id)
}

// Query is a list request (A8).
type Query struct {
	Q, Status              string
	CreatedFrom, CreatedTo time.Time
}

// List returns the applications the caller may see, newest first (by INN or name with q).
func (s *Service) List(ctx context.Context, a Actor, q Query, pageToken string, limit int) ([]Application, string, error) {
	scope, err := s.scope(ctx, a)
	if err != nil {
		return nil, "", err
	}
	f := Filter{Status: q.Status, CreatedFrom: q.CreatedFrom, CreatedTo: q.CreatedTo, CreatedBy: scope.createdBy, GroupID: scope.groupID}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return nil, "", apperr.InvalidField("status", "must be one of: "+strings.Join(Statuses, ", "))
	}
	text := strings.Join(strings.Fields(q.Q), " ")
	switch {
	case text == "":
	case digits(text):
		if len(text) > 12 {
			return nil, "", apperr.InvalidField("q", "an INN has at most 12 digits")
		}
		f.INNPrefix = text
	default:
		if utf8.RuneCountInString(text) > 100 {
			return nil, "", apperr.InvalidField("q", "must be at most 100 characters")
		}
		f.NamePrefix = strings.ToLower(text)
	}
	return s.Store.List(ctx, a.OrgID, f, pageToken, limit)
}

// ReturnForRework is the bank's return of a submitted application to the agent with a reason
// (A7), which the history shows. The back office does it with its "rework" step
// (shared/review).
func (s *Service) ReturnForRework(ctx context.Context, applicationID, bankUserID, reason string) (Application, error) {
	if strings.TrimSpace(reason) == "" {
		return Application{}, apperr.InvalidField("reason", "is required")
	}
	return s.Advance(ctx, applicationID, StatusRework, bankUserID, reason)
}

// Advance moves an application to status to on the bank's behalf, with a comment for the
// history, when the status model has that move (roles and ABS calls aside: the back office's
// steps are shared/review's). Tests and tools use it to put an application in a status.
func (s *Service) Advance(ctx context.Context, applicationID, to, bankUserID, comment string) (Application, error) {
	app, err := s.Store.Get(ctx, applicationID)
	if errors.Is(err, ErrNotFound) {
		return Application{}, errNotFound
	}
	if err != nil {
		return Application{}, err
	}
	if ok, err := s.allowed(ctx, app.Status, to); err != nil {
		return Application{}, err
	} else if !ok {
		return Application{}, apperr.Newf(apperr.Conflict, "an application in status %s cannot go to %s", app.Status, to)
	}
	now := s.now()
	h := HistoryEntry{At: now, By: bankUserID, ByBank: true, From: app.Status, To: to, Comment: strings.TrimSpace(comment)}
	return s.Move(ctx, app, to, h)
}

// Move saves app, as read (app.Version) and with whatever its caller changed, in status to
// with the history entry h, in one transaction with the statistics tally (A10) and, when the
// account is opened, the agent's reward (A11). The caller (shared/review, Annul, Advance) has
// checked the move; an application changed since it was read is a 409. to may be the current
// status: h then records an event of it (an ABS error) and nothing is counted.
func (s *Service) Move(ctx context.Context, app Application, to string, h HistoryEntry) (Application, error) {
	var t *Tally
	var r *Accrual
	var err error
	if to != app.Status {
		switch to {
		case StatusAccountOpened:
			t = &Tally{Day: day(h.At), Field: StatOpened}
			if r, err = s.accrual(ctx, app, h.At); err != nil {
				return Application{}, err
			}
		case StatusRejected:
			t = &Tally{Day: day(h.At), Field: StatRejected}
		}
	}
	app.Status, app.UpdatedAt = to, h.At
	return s.saveWith(ctx, app, &h, t, r)
}

// SaveBank saves app, as read and with its Bank side changed, without a status change (409
// when it changed since it was read).
func (s *Service) SaveBank(ctx context.Context, app Application) (Application, error) {
	app.UpdatedAt = s.now()
	return s.save(ctx, app, nil, nil)
}

func (s *Service) save(ctx context.Context, app Application, h *HistoryEntry, t *Tally) (Application, error) {
	return s.saveWith(ctx, app, h, t, nil)
}

// saveWith is save with the agent's reward for an opened account (A11) in the same
// transaction.
func (s *Service) saveWith(ctx context.Context, app Application, h *HistoryEntry, t *Tally, r *Accrual) (Application, error) {
	app.Version++
	err := s.Store.Save(ctx, app, h, t, r)
	if errors.Is(err, ErrAccrued) {
		// The account was opened once before (a redo): that reward stands and none is added.
		slog.WarnContext(ctx, "reward already accrued; the application changes without a new one", "applicationId", app.ID)
		err = s.Store.Save(ctx, app, h, t, nil)
	}
	if errors.Is(err, ErrStale) {
		return Application{}, apperr.New(apperr.Conflict, "the application changed meanwhile: read it again and repeat")
	} else if err != nil {
		return Application{}, err
	}
	return app, nil
}

// checkProduct refuses a product the catalogue does not offer (A11): unknown or inactive is a
// 400 on "product". "" (the default product) always passes.
func (s *Service) checkProduct(ctx context.Context, id string) error {
	if s.Products == nil || id == "" {
		return nil
	}
	p, ok, err := s.Products.Product(ctx, id)
	if err != nil {
		return fmt.Errorf("read the product catalogue: %w", err)
	}
	if !ok || !p.Active {
		return apperr.InvalidField("product", "unknown or inactive product: choose one of GET /v1/products")
	}
	return nil
}

// accrual prices the agent's reward for the account of app opened at `at` (A11): the reward of
// its product, or of the default product when it names none or the bank has since removed
// its product from the catalogue (an inactive one still pays: it was offered when chosen).
// Nil without a catalogue or when the reward is zero: nothing is accrued.
func (s *Service) accrual(ctx context.Context, app Application, at time.Time) (*Accrual, error) {
	if s.Products == nil {
		return nil, nil
	}
	p, ok, err := s.Products.Product(ctx, app.Product)
	if err == nil && !ok && app.Product != "" {
		p, ok, err = s.Products.Product(ctx, "")
	}
	if err != nil {
		return nil, fmt.Errorf("price the reward: %w", err)
	}
	if !ok || p.RewardKopecks <= 0 {
		return nil, nil
	}
	return &Accrual{Month: month(at), Product: p.ID, ProductName: p.Name, AmountKopecks: p.RewardKopecks, At: at}, nil
}

// month is the Moscow month of t, the period of the rewards (A11).
func month(t time.Time) string { return t.In(moscow.Zone).Format("2006-01") }

// day is the Moscow date of t, the day of the statistics counters (A10).
func day(t time.Time) string { return t.In(moscow.Zone).Format(time.DateOnly) }

// maxStatsDays is the longest statistics period.
const maxStatsDays = 366

// Statistics returns the caller's organisation's counters of the Moscow days from to to
// (inclusive, 2006-01-02) (A10); the route lets only the superuser and the head in, since the
// figures are organisation-wide.
// An empty from or to is the first or the last day of the current Moscow month.
func (s *Service) Statistics(ctx context.Context, a Actor, from, to string) (Stats, error) {
	month := s.now().In(moscow.Zone)
	month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, moscow.Zone)
	if from == "" {
		from = month.Format(time.DateOnly)
	}
	if to == "" {
		to = month.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	f := apperr.Fields{}
	df, errF := time.Parse(time.DateOnly, from)
	dt, errT := time.Parse(time.DateOnly, to)
	f.Check(errF == nil, "from", "must be a date, e.g. 2026-01-01")
	f.Check(errT == nil, "to", "must be a date, e.g. 2026-01-31")
	if errF == nil && errT == nil {
		f.Check(!dt.Before(df), "to", "must not be before from")
		f.Check(dt.Sub(df) < maxStatsDays*24*time.Hour, "to", fmt.Sprintf("the period is at most %d days", maxStatsDays))
	}
	if err := f.Err(); err != nil {
		return Stats{}, err
	}
	st, err := s.Store.Statistics(ctx, a.OrgID, from, to)
	st.From, st.To = from, to
	return st, err
}

// scope is what of the organisation a caller sees (A17).
type scope struct{ createdBy, groupID string }

func (s *Service) scope(ctx context.Context, a Actor) (scope, error) {
	switch a.Role {
	case identity.Superuser, identity.Head:
		return scope{}, nil
	case identity.Administrator:
		caller, err := s.Users.User(ctx, a.UserID)
		if err != nil {
			return scope{}, fmt.Errorf("read caller: %w", err)
		}
		if caller.GroupID != "" {
			return scope{groupID: caller.GroupID}, nil
		}
	}
	return scope{createdBy: a.UserID}, nil
}

// visible returns an application in the caller's scope; anything else, another organisation's
// included, is "not found", so ids tell nothing.
func (s *Service) visible(ctx context.Context, a Actor, sc scope, id string) (Application, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Application{}, errNotFound
	}
	app, err := s.Store.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Application{}, errNotFound
	}
	if err != nil {
		return Application{}, err
	}
	if app.OrgID != a.OrgID || (sc.createdBy != "" && app.CreatedBy != sc.createdBy) || (sc.groupID != "" && app.GroupID != sc.groupID) {
		return Application{}, errNotFound
	}
	return app, nil
}

// apply writes the given sections of d into app, tidying spaces.
func apply(app *Application, d Draft) {
	if d.Company != nil {
		c := *d.Company
		c.INN, c.KPP, c.OGRN, c.OKPO = strings.TrimSpace(c.INN), strings.ToUpper(strings.TrimSpace(c.KPP)), strings.TrimSpace(c.OGRN), strings.TrimSpace(c.OKPO)
		c.ShortName, c.FullName, c.RegAddress, c.ActualAddress = tidy(c.ShortName), tidy(c.FullName), tidy(c.RegAddress), tidy(c.ActualAddress)
		okved := make([]string, 0, len(c.OKVED))
		for _, code := range c.OKVED {
			okved = append(okved, strings.TrimSpace(code))
		}
		c.OKVED = okved
		app.Company = c
	}
	if d.Contact != nil {
		c := *d.Contact
		c.FullName, c.Email = tidy(c.FullName), strings.TrimSpace(c.Email)
		if p, err := phone.Normalize(c.Phone); err == nil {
			c.Phone = p
		}
		app.Contact = c
	}
	if d.Office != nil {
		app.Office = Office{City: tidy(d.Office.City), Office: tidy(d.Office.Office), CityID: strings.TrimSpace(d.Office.CityID), OfficeID: strings.TrimSpace(d.Office.OfficeID)}
	}
	if d.Founders != nil {
		fs := make([]Founder, len(*d.Founders))
		for i, f := range *d.Founders {
			fs[i] = Founder{FullName: tidy(f.FullName), Share: f.Share, INN: strings.TrimSpace(f.INN)}
		}
		app.Founders = fs
	}
	if d.Comment != nil {
		app.Comment = strings.TrimSpace(*d.Comment)
	}
	if d.Product != nil {
		app.Product = strings.TrimSpace(*d.Product)
	}
	if d.Questionnaire != nil {
		q := make(map[string]string, len(*d.Questionnaire))
		for k, v := range *d.Questionnaire {
			q[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		app.Questionnaire = q
	}
}

func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// validate checks what is filled in; full adds the fields a submission requires.
func validate(app Application, full bool) error {
	f := apperr.Fields{}
	c := app.Company
	if c.INN != "" {
		req := apperr.Fields{}
		company.Requisites{INN: c.INN, KPP: c.KPP, OGRN: c.OGRN, OKPO: c.OKPO}.Check(req, "company.")
		for k, v := range req {
			if k == "company.kpp" && c.KPP == "" && !full {
				continue // a draft may leave the KPP for later
			}
			f.Add(k, v)
		}
	} else {
		f.Check(!full, "company.inn", "is required")
		if c.KPP != "" {
			if err := company.ValidateKPP(c.KPP); err != nil {
				f.Add("company.kpp", err.Error())
			}
		}
		if c.OGRN != "" {
			if err := company.ValidateOGRN(c.OGRN); err != nil {
				if company.ValidateOGRNIP(c.OGRN) != nil {
					f.Add("company.ogrn", err.Error())
				}
			}
		}
		if c.OKPO != "" {
			if err := company.ValidateOKPO(c.OKPO); err != nil {
				f.Add("company.okpo", err.Error())
			}
		}
	}
	f.Check(len(c.OKVED) <= 100, "company.okved", "at most 100 codes")
	for i, code := range c.OKVED {
		if err := company.ValidateOKVED(code); err != nil {
			f.Add(fmt.Sprintf("company.okved[%d]", i), err.Error())
		}
	}
	text := func(field, v string, max int, required bool) {
		n := utf8.RuneCountInString(v)
		switch {
		case n == 0:
			f.Check(!required, field, "is required")
		case n > max:
			f.Add(field, fmt.Sprintf("must be at most %d characters", max))
		}
	}
	text("company.shortName", c.ShortName, 300, full)
	text("company.fullName", c.FullName, 1000, full)
	text("company.regAddress", c.RegAddress, 500, full)
	text("company.actualAddress", c.ActualAddress, 500, false)
	if full {
		f.Check(len(c.OKVED) > 0, "company.okved", "at least one code is required")
		f.Check(c.OGRN != "", "company.ogrn", "is required")
	}

	ct := app.Contact
	text("contact.fullName", ct.FullName, 200, full)
	if ct.Phone != "" {
		_, err := phone.Normalize(ct.Phone)
		f.Check(err == nil, "contact.phone", "must be a valid phone number, e.g. +79161234567")
	} else {
		f.Check(!full, "contact.phone", "is required")
	}
	if ct.Email != "" {
		addr, err := mail.ParseAddress(ct.Email)
		f.Check(err == nil && addr.Address == ct.Email && len(ct.Email) <= 254, "contact.email", "must be a valid e-mail address")
	} else {
		f.Check(!full, "contact.email", "is required")
	}
	text("office.city", app.Office.City, 100, full)
	text("office.office", app.Office.Office, 200, full)
	text("office.idCity", app.Office.CityID, 50, false)
	text("office.idOffice", app.Office.OfficeID, 50, false)
	text("comment", app.Comment, 2000, false)
	text("product", app.Product, 50, false) // the catalogue checks it (checkProduct)

	f.Check(len(app.Founders) <= 50, "founders", "at most 50 founders")
	total := 0
	for i, fd := range app.Founders {
		p := fmt.Sprintf("founders[%d].", i)
		text(p+"fullName", fd.FullName, 200, true)
		f.Check(fd.Share >= 1 && fd.Share <= 10000, p+"share", "must be 1 to 10000 basis points (0.01 % to 100 %)")
		total += fd.Share
		if fd.INN != "" {
			if err := company.ValidateINN(fd.INN); err != nil {
				f.Add(p+"inn", err.Error())
			}
		}
	}
	f.Check(total <= 10000, "founders", "shares add up to more than 100 %")

	f.Check(len(app.Questionnaire) <= 100, "questionnaire", "at most 100 answers")
	for k, v := range app.Questionnaire {
		if k == "" || utf8.RuneCountInString(k) > 100 {
			f.Add("questionnaire", "keys must be 1 to 100 characters")
		} else if utf8.RuneCountInString(v) > 4000 {
			f.Add("questionnaire."+k, "must be at most 4000 characters")
		}
	}
	return f.Err()
}
