// Package review is the bank's work on applications in the back office (issue 5, seed 004;
// E2–E5, E13): the status model (statuses and transitions stored in DynamoDB and editable by
// administrators, Default until first saved), nextStep with role checks and optimistic locking
// (of two clerks moving one application exactly one wins), the statuses an application went
// through, take to work / release, life date, signers, manual account reservation, the status
// list, and the application flow's side of the core-banking (ABS) calls (Outcomes): a step
// with an ABS call queues it (abs.Queue) and the answer moves the application.
//
// Decisions:
//   - InitialCheck runs on every submission, a resubmission after rework included (the
//     requisites may have changed). Its answer moves submitted → in_review; an error answer
//     annuls the application when abs.Settings.AutoReject is on, else is recorded
//     ("Ошибка АБС: …" in the history) and the application goes to in_review all the same. Its
//     _notes4staff are kept as check items (reviewdb). When the queue is not connected
//     (applications.Service.ABS nil) nothing is called and the bank uses the "review" action.
//   - NewClient and OpenAccount steps mark the application (Bank.ABSPending, Bank.ABSJob) and
//     answer at once with the status unchanged; the answer moves it (OK) or writes "Ошибка
//     АБС: <comment>" to the history (error, the status stays). Another step while one is in
//     flight is a 409. An OpenAccount step of an account the ABS does not know (no
//     _client_id, or reserved by hand: reserveaccount) moves at once with a history note.
//   - The ABS settings (shared/abs/abssettings, edited by the administrator, read through a
//     short cache) decide which calls are made: NewClient off is a 409 (reserve by hand),
//     OpenAccount off moves at once with a note, DeleteClient off calls nothing; auto-reject.
//   - DeleteClient (annul) moves at once; the call follows when the ABS knows the client,
//     also after an auto-reject (an InitialCheck error answer that names the client).
//   - applicationStatuses lists every history entry: an ABS error shows as its status again
//     with the error as info.
//   - signers are set by a step's body {"signers":[userIds]}; a step a designated signer
//     takes in the Signer role is their signature (Bank.SignedAt). GET …/signature/ answers
//     the seed's list {applicationid, employeeid, datetime, signed} plus userId and userFio.
package review

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// Members reads bank users (backoffice.Service).
type Members interface {
	Member(ctx context.Context, userID string) (backoffice.Member, error)
}

// Service is the bank's review flow.
type Service struct {
	Apps    *applications.Service // its Store reads applications; Move and SaveBank write them
	Models  ModelStore
	Checks  CheckStore
	Members Members
	// Queue takes the ABS calls; nil while the integration is not connected: NewClient and
	// OpenAccount steps answer 503 (reserve the account by hand: reserveaccount).
	Queue abs.Queue
	// Settings give the auto-reject switch; nil: abs defaults (off).
	Settings abs.SettingsSource
	Now      func() time.Time
}

// Caller is the bank user acting and its active role.
type Caller struct {
	UserID string
	Role   backoffice.RoleID
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var (
	errNotFound = apperr.New(apperr.NotFound, "application not found")
	errBusy     = apperr.New(apperr.Conflict, "the core-banking system (ABS) is working on this application: wait for its answer")
)

// Model returns the saved model, or Default (version 0).
func (s *Service) Model(ctx context.Context) (Model, error) {
	m, ok, err := s.Models.Get(ctx)
	if err != nil {
		return Model{}, err
	}
	if !ok {
		return Default(), nil
	}
	return m, nil
}

// Allowed implements applications.Moves from the current model.
func (s *Service) Allowed(ctx context.Context, from, to string) (bool, error) {
	m, err := s.Model(ctx)
	if err != nil {
		return false, err
	}
	return m.Allowed(from, to), nil
}

// SaveModel replaces the model when version is the current one (0 while Default is in use).
func (s *Service) SaveModel(ctx context.Context, userID string, version int64, statuses []Status, actions []Action) (Model, error) {
	if version < 0 {
		return Model{}, apperr.InvalidField("version", "must not be negative")
	}
	if err := Validate(statuses, actions); err != nil {
		return Model{}, err
	}
	m := Model{Version: version + 1, Statuses: statuses, Actions: actions, UpdatedAt: s.now(), UpdatedBy: userID}
	if err := s.Models.Put(ctx, m); err != nil {
		return Model{}, err
	}
	return m, nil
}

// Application reads an application for the bank (every organisation's).
func (s *Service) Application(ctx context.Context, id string) (applications.Application, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return applications.Application{}, errNotFound
	}
	a, err := s.Apps.Store.Get(ctx, id)
	if errors.Is(err, applications.ErrNotFound) {
		return applications.Application{}, errNotFound
	}
	return a, err
}

// StepInput is nextStep's optional body ("Доп. значения при переходе").
type StepInput struct {
	Comment string   `json:"comment"`
	Signers []string `json:"signers"`
}

func pending(a applications.Application) bool {
	p := abs.Kind(a.Bank.ABSPending)
	return p == abs.NewClient || p == abs.OpenAccount
}

// Step moves an application by the action code of the model from its current status: 404 for
// an unknown application or action code, 409 when the action does not leave the current status
// or an ABS call is in flight or the application changed meanwhile, 403 when the caller's
// active role may not, 400 without a required comment or with signers who do not sign.
func (s *Service) Step(ctx context.Context, c Caller, id, code string, in StepInput) (applications.Application, error) {
	app, err := s.Application(ctx, id)
	if err != nil {
		return app, err
	}
	m, err := s.Model(ctx)
	if err != nil {
		return app, err
	}
	act, ok, known := m.Action(code, app.Status)
	if !known {
		return app, apperr.Newf(apperr.NotFound, "the status model has no action %q", code)
	}
	if !ok {
		return app, apperr.Newf(apperr.Conflict, "action %s does not apply to an application in status %s", code, app.Status)
	}
	if !slices.Contains(act.Roles, int(c.Role)) {
		return app, apperr.Newf(apperr.Forbidden, "the active role may not %s: switch to one that may (POST /api/user/role/{roleid})", act.Name)
	}
	in.Comment = strings.TrimSpace(in.Comment)
	f := apperr.Fields{}
	f.Check(!act.CommentRequired || in.Comment != "", "comment", "is required for this step")
	f.Check(utf8.RuneCountInString(in.Comment) <= 2000, "comment", "must be at most 2000 characters")
	f.Check(len(in.Signers) <= 20, "signers", "at most 20 signers")
	if err := f.Err(); err != nil {
		return app, err
	}
	if in.Signers != nil {
		signers, err := s.signers(ctx, in.Signers)
		if err != nil {
			return app, err
		}
		app.Bank.Signers = signers
	}
	if pending(app) {
		return app, errBusy
	}
	now := s.now()
	if c.Role == backoffice.Signer && slices.Contains(app.Bank.Signers, c.UserID) && app.Bank.SignedAt[c.UserID].IsZero() {
		if app.Bank.SignedAt == nil {
			app.Bank.SignedAt = map[string]time.Time{}
		}
		app.Bank.SignedAt[c.UserID] = now // a designated signer's step is their signature
	}
	kind := abs.Kind(act.ABS)
	var settings abs.Settings
	if kind != "" {
		if settings, err = s.ABSSettings(ctx); err != nil {
			return app, err
		}
	}
	// OpenAccount is done by hand, without a call, for an account the ABS does not know: no
	// client of the ABS, reserved by hand (reserveaccount), or the call switched off.
	note := ""
	switch {
	case kind != abs.OpenAccount:
	case app.Bank.AccountByHand:
		note = "Счёт зарезервирован вручную, АБС его не знает: открыт без вызова АБС"
	case !settings.OpenAccount.Enabled:
		note = "Открытие счёта в АБС отключено в настройках: открыт без вызова АБС"
	}
	byHand := kind == abs.OpenAccount && (app.Bank.ABSClientID == 0 || note != "")
	if (kind == abs.NewClient || kind == abs.OpenAccount) && !byHand {
		if s.Queue == nil {
			return app, apperr.New(apperr.Unavailable, "the core-banking system (ABS) is not connected: reserve the account by hand (reserveaccount)")
		}
		if kind == abs.NewClient && !settings.NewClient.Enabled {
			return app, apperr.New(apperr.Conflict, "the ABS reservation (NewClient) is switched off in the ABS settings: reserve the account by hand (reserveaccount)")
		}
		if kind == abs.OpenAccount && app.Bank.AccountNumber == "" {
			return app, apperr.New(apperr.Conflict, "no account is reserved for this application")
		}
		job := abs.Job{ID: ulid.Make().String(), ApplicationID: app.ID, Kind: kind, Step: act.Code, RequestedBy: c.UserID, RequestedAt: now}
		app.Bank.ABSPending, app.Bank.ABSJob = string(kind), job.ID
		saved, err := s.Apps.SaveBank(ctx, app)
		if err != nil {
			return app, err
		}
		if err := s.Queue.Enqueue(ctx, job); err != nil {
			slog.ErrorContext(ctx, "queue an ABS call", "applicationId", app.ID, "kind", kind, "error", err)
			saved.Bank.ABSPending, saved.Bank.ABSJob = "", ""
			if _, err := s.Apps.SaveBank(ctx, saved); err != nil { // left pending, steps get 409 until it is cleared
				slog.ErrorContext(ctx, "undo the pending ABS call", "applicationId", app.ID, "kind", kind, "error", err)
			}
			return app, apperr.New(apperr.Unavailable, "the core-banking system (ABS) queue is not available: try again later")
		}
		return s.Application(ctx, app.ID) // an in-process queue may have applied the answer already
	}
	h := applications.HistoryEntry{At: now, By: c.UserID, ByBank: true, From: app.Status, To: act.To, Comment: joinComment(in.Comment, note)}
	if m.Final(act.To) {
		app.Bank.ClosedAt = now
	}
	var job *abs.Job
	if kind == abs.DeleteClient && app.Bank.ABSClientID != 0 && s.Queue != nil && settings.DeleteClient.Enabled {
		job = &abs.Job{ID: ulid.Make().String(), ApplicationID: app.ID, Kind: kind, Step: act.Code, RequestedBy: c.UserID, RequestedAt: now}
		app.Bank.ABSPending, app.Bank.ABSJob = string(kind), job.ID
	}
	saved, err := s.Apps.Move(ctx, app, act.To, h)
	if err != nil || job == nil {
		return saved, err
	}
	if err := s.Queue.Enqueue(ctx, *job); err != nil { // moved all the same; the ABS keeps the client
		slog.ErrorContext(ctx, "queue the DeleteClient call", "applicationId", app.ID, "error", err)
	}
	return s.Application(ctx, app.ID)
}

// ABSSettings are the ABS settings the steps and re-check (shared/checks) follow (which calls
// are on); without a source (not wired) every call is on and auto-reject off, abs's defaults.
// An unreadable source is a 503.
func (s *Service) ABSSettings(ctx context.Context) (abs.Settings, error) {
	if s.Settings == nil {
		return abs.DefaultSettings(""), nil
	}
	st, err := s.Settings.Settings(ctx)
	if err != nil {
		return abs.Settings{}, &apperr.Error{Code: apperr.Unavailable, Message: "the ABS settings could not be read: try again later", Err: err}
	}
	return st, nil
}

// joinComment is the clerk's comment and the flow's note, in one history comment.
func joinComment(comment, note string) string {
	switch {
	case note == "":
		return comment
	case comment == "":
		return note
	}
	return comment + "; " + note
}

// signers checks that every id is a bank user whose roles sign (duplicates dropped).
func (s *Service) signers(ctx context.Context, ids []string) ([]string, error) {
	out := []string{}
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if slices.Contains(out, id) {
			continue
		}
		mem, err := s.Members.Member(ctx, id)
		if errors.Is(err, identity.ErrNotFound) || err == nil && (!mem.Signs() || !mem.Active()) {
			return nil, apperr.InvalidField(fmt.Sprintf("signers[%d]", i), "not a bank user who signs (GET /api/user/signer)")
		}
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// StatusEntry is one status the application went through.
type StatusEntry struct {
	Status  Status
	At      time.Time
	By      string
	ByBank  bool
	Comment string
}

// Statuses lists the statuses an application went through, oldest first (its history).
func (s *Service) Statuses(ctx context.Context, id string) ([]StatusEntry, error) {
	if _, err := s.Application(ctx, id); err != nil {
		return nil, err
	}
	hs, err := s.Apps.Store.History(ctx, id)
	if err != nil {
		return nil, err
	}
	m, err := s.Model(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]StatusEntry, 0, len(hs))
	for _, h := range hs {
		st, ok := m.Status(h.To)
		if !ok {
			st = Status{Code: h.To, Name: h.To}
		}
		out = append(out, StatusEntry{Status: st, At: h.At, By: h.By, ByBank: h.ByBank, Comment: h.Comment})
	}
	return out, nil
}

// Take takes an application to work for the caller, whose active role must take applications
// ("Может брать в работу"): 409 when someone else has it; taking one's own again is a no-op.
func (s *Service) Take(ctx context.Context, c Caller, id string) (applications.Application, error) {
	if !backoffice.Roles[c.Role].Taker {
		return applications.Application{}, apperr.New(apperr.Forbidden, "the active role does not take applications to work (GET /api/user/takers)")
	}
	app, err := s.open(ctx, id)
	if err != nil {
		return app, err
	}
	switch app.Bank.TakerID {
	case c.UserID:
		return app, nil
	case "":
	default:
		return app, apperr.New(apperr.Conflict, "another bank user has taken the application to work")
	}
	app.Bank.TakerID, app.Bank.TakenAt = c.UserID, s.now()
	return s.Apps.SaveBank(ctx, app)
}

// Release releases an application from work: only its taker or an administrator (403).
func (s *Service) Release(ctx context.Context, c Caller, id string) (applications.Application, error) {
	app, err := s.Application(ctx, id)
	if err != nil || app.Bank.TakerID == "" {
		return app, err
	}
	if app.Bank.TakerID != c.UserID && c.Role != backoffice.Administrator {
		return app, apperr.New(apperr.Forbidden, "only the bank user who took the application, or an administrator, releases it")
	}
	app.Bank.TakerID, app.Bank.TakenAt = "", time.Time{}
	return s.Apps.SaveBank(ctx, app)
}

// open reads an application that is not in a final status (409 otherwise).
func (s *Service) open(ctx context.Context, id string) (applications.Application, error) {
	app, err := s.Application(ctx, id)
	if err != nil {
		return app, err
	}
	m, err := s.Model(ctx)
	if err != nil {
		return app, err
	}
	if m.Final(app.Status) {
		return app, apperr.Newf(apperr.Conflict, "the application is closed (%s)", app.Status)
	}
	return app, nil
}

// SetLifeDate sets the application's life date (changeLifeDate): an ISO 8601 date
// (2026-12-31) or date-time, after today in Moscow; a date lapses at the end of that Moscow day.
func (s *Service) SetLifeDate(ctx context.Context, id, raw string) (applications.Application, error) {
	var at time.Time
	if d, err := time.ParseInLocation(time.DateOnly, raw, moscow.Zone); err == nil {
		at = d.AddDate(0, 0, 1).Add(-time.Nanosecond)
	} else if t, err := time.Parse(time.RFC3339, raw); err == nil {
		at = t
	} else {
		return applications.Application{}, apperr.InvalidField("date", "must be an ISO 8601 date, e.g. 2026-12-31, or date-time with an offset")
	}
	if !at.After(s.now()) {
		return applications.Application{}, apperr.InvalidField("date", "must be in the future")
	}
	app, err := s.open(ctx, id)
	if err != nil {
		return app, err
	}
	app.Bank.LifeDate = at.UTC()
	return s.Apps.SaveBank(ctx, app)
}

// Signature is a signer of the application.
type Signature struct {
	UserID     string
	FullName   string
	EmployeeID string
	SignedAt   time.Time // zero: not signed yet
}

// Signatures lists the application's signers.
func (s *Service) Signatures(ctx context.Context, id string) ([]Signature, error) {
	app, err := s.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Signature, 0, len(app.Bank.Signers))
	for _, uid := range app.Bank.Signers {
		sg := Signature{UserID: uid, SignedAt: app.Bank.SignedAt[uid]}
		if m, err := s.Members.Member(ctx, uid); err == nil {
			sg.FullName, sg.EmployeeID = m.User.FullName, m.Profile.EmployeeID
		} else if !errors.Is(err, identity.ErrNotFound) {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, nil
}

// Account is a manual reservation (reserveAccount).
type Account struct {
	Type          string `json:"type"`
	AccountNumber string `json:"accountnumber"`
	OpeningDate   string `json:"openingdate"`
	PRKOProduct   int64  `json:"prkoproduct"`
}

var accountRE = regexp.MustCompile(`^[0-9]{20}$`)

// Validate checks the account: 20 digits (the control key needs the bank's BIK, which is not
// configured yet), an ISO date, a type.
func (a Account) Validate() error {
	f := apperr.Fields{}
	f.Check(accountRE.MatchString(a.AccountNumber), "accountnumber", "must be 20 digits")
	f.Check(strings.TrimSpace(a.Type) != "" && len(a.Type) <= 50, "type", "must be 1 to 50 characters")
	_, err := time.Parse(time.DateOnly, a.OpeningDate)
	f.Check(a.OpeningDate == "" || err == nil, "openingdate", "must be an ISO 8601 date, e.g. 2026-03-01")
	f.Check(a.PRKOProduct >= 0, "prkoproduct", "must not be negative")
	return f.Err()
}

// ReserveAccount records an account the bank reserved by hand when the ABS could not: the
// application takes the NewClient action of the model from its status (in_review by default;
// 409 when there is none, or while an ABS call is in flight), the caller's role must be one of
// that action's, and the history says so. The ABS never reserved that account, so even when it
// knows the client (InitialCheck's _client_id) an OpenAccount would be refused ("Номер счета не
// совпадает…"): the account is marked AccountByHand and its open step moves without a call,
// the account being opened outside RADAR (seed 004, steps 2 and 3: after an ABS error the
// account is reserved "только в ручном режиме" and opened "только вне системы РАДАР").
func (s *Service) ReserveAccount(ctx context.Context, c Caller, id string, acc Account) (applications.Application, error) {
	if err := acc.Validate(); err != nil {
		return applications.Application{}, err
	}
	app, err := s.Application(ctx, id)
	if err != nil {
		return app, err
	}
	m, err := s.Model(ctx)
	if err != nil {
		return app, err
	}
	i := slices.IndexFunc(m.Actions, func(a Action) bool { return a.From == app.Status && a.ABS == string(abs.NewClient) })
	if i < 0 {
		return app, apperr.Newf(apperr.Conflict, "an account is not reserved in status %s", app.Status)
	}
	act := m.Actions[i]
	if !slices.Contains(act.Roles, int(c.Role)) {
		return app, apperr.Newf(apperr.Forbidden, "the active role may not %s", act.Name)
	}
	if pending(app) {
		return app, errBusy
	}
	now := s.now()
	app.Bank.AccountNumber, app.Bank.AccountType, app.Bank.AccountByHand = acc.AccountNumber, strings.TrimSpace(acc.Type), true
	app.Bank.OpeningDate, app.Bank.PRKOProduct = acc.OpeningDate, acc.PRKOProduct
	h := applications.HistoryEntry{At: now, By: c.UserID, ByBank: true, From: app.Status, To: act.To,
		Comment: "Счёт зарезервирован вручную: " + acc.AccountNumber}
	return s.Apps.Move(ctx, app, act.To, h)
}
