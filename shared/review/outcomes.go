package review

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Check is the record of a check the ABS ran (InitialCheck's _notes4staff, E13), for the
// checks part of the back office.
type Check struct {
	Kind    abs.Kind
	JobID   string
	At      time.Time // when the call was asked for: one item per call, a replay rewrites it
	OK      bool
	Comment string
	Notes   []abs.Note
	Failure string // the call failed for good: no answer
}

// CheckStore keeps checks.
type CheckStore interface {
	PutCheck(ctx context.Context, applicationID string, c Check) error
}

// systemUser is the history's "by" of the flow's own moves (ABS answers).
const systemUser = "system:abs"

var _ abs.Outcomes = (*Service)(nil)

// due reports whether j is the call the application waits for.
func due(a applications.Application, j abs.Job) bool {
	return a.Bank.ABSJob == j.ID && a.Bank.ABSPending == string(j.Kind)
}

// Request builds the call of j from the application as it is now; a job the application no
// longer waits for (or of an application that is gone) is a permanent error.
func (s *Service) Request(ctx context.Context, j abs.Job) (abs.Request, error) {
	a, err := s.Apps.Store.Get(ctx, j.ApplicationID)
	if errors.Is(err, applications.ErrNotFound) {
		return abs.Request{}, sqsworker.Permanent(fmt.Errorf("application %s is gone", j.ApplicationID))
	}
	if err != nil {
		return abs.Request{}, err
	}
	if !due(a, j) {
		return abs.Request{}, sqsworker.Permanent(fmt.Errorf("the %s call %s of application %s is no longer due", j.Kind, j.ID, a.ID))
	}
	return RequestOf(a, j.Kind), nil
}

// RequestOf is the call kind for application a: its company, addresses, office as branch,
// OKVED codes, questionnaire as bankForm, and the ABS's client and account.
func RequestOf(a applications.Application, kind abs.Kind) abs.Request {
	okved := make([]abs.OKVED, len(a.Company.OKVED))
	for i, c := range a.Company.OKVED {
		okved[i] = abs.OKVED{Code: c}
	}
	r := abs.Request{Kind: kind, ApplicationID: a.ID, INN: a.Company.INN, KPP: a.Company.KPP, OGRN: a.Company.OGRN,
		OKPO: a.Company.OKPO, OrgNameShort: a.Company.ShortName, OrgNameFull: a.Company.FullName,
		RegAddress: abs.AddressOf(a.Company.RegAddress), RegActualAddress: abs.AddressOf(a.Company.ActualAddress),
		RegDate: a.CreatedAt, Branch: a.Office.Office, OKVED: okved, BankForm: a.Questionnaire,
		ClientID: a.Bank.ABSClientID, AccountNumber: a.Bank.AccountNumber}
	if a.Number > 0 {
		r.Number = strconv.FormatInt(a.Number, 10)
	}
	return r
}

// Apply records the outcome of j: res when the ABS answered, failure when the call failed for
// good. A job the application no longer waits for (applied already, or overtaken) is a no-op.
func (s *Service) Apply(ctx context.Context, j abs.Job, res abs.Result, failure error) error {
	a, err := s.Apps.Store.Get(ctx, j.ApplicationID)
	if errors.Is(err, applications.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !due(a, j) {
		slog.InfoContext(ctx, "ABS outcome no longer due", "applicationId", a.ID, "kind", j.Kind, "job", j.ID)
		return nil
	}
	ok := failure == nil && res.OK
	problem := ""
	switch {
	case errors.Is(failure, abs.ErrDisabled): // switched off after it was queued
		slog.InfoContext(ctx, "ABS call switched off in the settings", "applicationId", a.ID, "kind", j.Kind, "job", j.ID)
		problem = "Ошибка АБС: вызов " + string(j.Kind) + " отключён в настройках АБС"
	case failure != nil:
		slog.ErrorContext(ctx, "ABS call failed for good", "applicationId", a.ID, "kind", j.Kind, "job", j.ID, "error", failure)
		problem = "Ошибка АБС: вызов " + string(j.Kind) + " не выполнен"
	case !res.OK:
		problem = "Ошибка АБС: " + res.Comment
	}
	m, err := s.Model(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	a.Bank.ABSPending, a.Bank.ABSJob = "", ""
	h := applications.HistoryEntry{At: now, By: systemUser, ByBank: true, From: a.Status, To: a.Status, Comment: problem}
	stay := func() error { // the status stays; an error goes to the history
		if problem == "" {
			_, err := s.Apps.SaveBank(ctx, a)
			return err
		}
		_, err := s.Apps.Move(ctx, a, a.Status, h)
		return err
	}
	move := func(to string) error {
		h.To = to
		if m.Final(to) {
			a.Bank.ClosedAt = now
		}
		_, err := s.Apps.Move(ctx, a, to, h)
		return err
	}
	// The client id: NewClient's is the account's; InitialCheck's (the ABS's client of the
	// INN, also in an error answer: the seed's example names it) only until there is one.
	answered := ok || failure == nil && j.Kind == abs.InitialCheck
	if answered && res.ClientID != 0 && (j.Kind == abs.NewClient || a.Bank.ABSClientID == 0) {
		a.Bank.ABSClientID = res.ClientID
	}
	switch j.Kind {
	case abs.InitialCheck:
		c := Check{Kind: j.Kind, JobID: j.ID, At: j.RequestedAt, OK: ok, Comment: res.Comment, Notes: res.Notes}
		switch {
		case errors.Is(failure, abs.ErrDisabled): // not made: the bank checks by hand
			c.Failure = "the call is switched off in the ABS settings"
		case failure != nil:
			c.Failure = "the call failed"
		}
		if err := s.Checks.PutCheck(ctx, a.ID, c); err != nil {
			return err
		}
		a.Bank.InitialCheck = "passed"
		if !ok {
			a.Bank.InitialCheck = "failed"
		}
		if a.Status != applications.StatusSubmitted { // moved by hand meanwhile
			return stay()
		}
		if failure == nil && !res.OK && s.autoReject(ctx) {
			// Annulled like the annul step: the ABS forgets the client it named.
			del := s.deleteClient(ctx, &a, j, now)
			if err := move(applications.StatusAnnulled); err != nil {
				return err
			}
			if del != nil {
				if err := s.Queue.Enqueue(ctx, *del); err != nil { // annulled all the same; the ABS keeps the client
					slog.ErrorContext(ctx, "queue the DeleteClient call of an auto-reject", "applicationId", a.ID, "error", err)
				}
			}
			return nil
		}
		return move(applications.StatusInReview)
	case abs.NewClient, abs.OpenAccount:
		if !ok {
			return stay()
		}
		to := applications.StatusAccountReserved
		if j.Kind == abs.OpenAccount {
			to = applications.StatusAccountOpened
		}
		if act, found, _ := m.Action(j.Step, a.Status); found {
			to = act.To
		}
		if j.Kind == abs.NewClient {
			a.Bank.AccountNumber, a.Bank.AccountByHand = res.AccountNumber, false
			h.Comment = "Счёт зарезервирован в АБС: " + res.AccountNumber
		}
		return move(to)
	default: // DeleteClient: the status moved when it was asked for
		return stay()
	}
}

// deleteClient marks a for the DeleteClient call that makes the ABS forget its client, when
// the ABS named one, the queue is connected and the call is on; nil otherwise. The caller
// moves a, then enqueues the job.
func (s *Service) deleteClient(ctx context.Context, a *applications.Application, j abs.Job, now time.Time) *abs.Job {
	if a.Bank.ABSClientID == 0 || s.Queue == nil {
		return nil
	}
	if st, err := s.ABSSettings(ctx); err != nil || !st.DeleteClient.Enabled {
		if err != nil {
			slog.ErrorContext(ctx, "read the ABS settings: no DeleteClient after the auto-reject", "applicationId", a.ID, "error", err)
		}
		return nil
	}
	del := &abs.Job{ID: ulid.Make().String(), ApplicationID: a.ID, Kind: abs.DeleteClient, Step: "auto-reject", RequestedBy: j.RequestedBy, RequestedAt: now}
	a.Bank.ABSPending, a.Bank.ABSJob = string(abs.DeleteClient), del.ID
	return del
}

func (s *Service) autoReject(ctx context.Context) bool {
	if s.Settings == nil {
		return false
	}
	st, err := s.Settings.Settings(ctx)
	if err != nil {
		slog.ErrorContext(ctx, "read the ABS settings: auto-reject taken as off", "error", err)
		return false
	}
	return st.AutoReject
}
