// Package checks is the bank's view of the automatic checks of an application in the back
// office (seed 004 E9, the ABS's InitialCheck of E13): the check runs with their checks, a
// manual result and comments per check, the XLSX journal of checks, and re-running the checks.
//
// Decisions:
//   - A run is one InitialCheck call of the ABS, recorded by the review flow (shared/review,
//     reviewdb's APP#<id> / CHECK#<kind>#<at> items); its {executetime} is the stamp of when the
//     call was asked for, UTC with fixed-width nanoseconds (dynamo.StampLayout,
//     "2026-11-26T09:15:00.123456789Z"). A check is one entry of the run's _notes4staff; its
//     {checktype} is its number within the run ("1", "2", …, in the ABS's order), as the ABS gives
//     no code of its own (the «Тип Проверки» text is returned as "type"). API Gateway takes one
//     parameter name per path position, so the seed's {abstractid} and {checkobjecttype} are
//     {applicationid} and {checktype} here (the same positions; clients do not see names).
//   - Reads: GET /api/check/{applicationid} (ours; the seed has no read of checks) lists the
//     runs newest first with their checks, manual results and comments, and "executetime" and
//     "id" to build the seed's URLs. Open to every bank role and to the API key alone.
//   - A manual result is "passed" or "failed" (the seed's "1" / "0" are taken for them); the
//     latest wins and shows who set it and when. Comments are 1–2000 characters, kept in full.
//     Both need a bank user (boauth.CurrentUser) in role Administrator, Operator or Executor.
//     Neither touches the ABS's record, so a replayed ABS answer keeps them (checksdb). They
//     stay possible on a closed application: the journal may be completed after the decision.
//   - The report (generateReport) answers the XLSX bytes themselves (the checks' API stack
//     declares binary media types, so API Gateway passes them): one sheet «Проверки», a row per
//     check, bold frozen header. {executetime} is a run or "all" (every run, newest first);
//     {checktype} is a check of it or "all".
//   - Re-check (recheckApplication) queues InitialCheck again (abs.Queue), as a submission
//     does, and answers at once with the new run's executetime; the review flow records the
//     answer as a new run (reviewdb) and keeps the status (a submitted application still moves
//     to in_review). 409 while any ABS call is in flight, for a draft, in a final status, and
//     when InitialCheck is switched off in the ABS settings; 503 when the ABS queue is not
//     connected. The body {id, type} is optional: "id", when given, must be the application's
//     id, and "type" InitialCheck, the only check the ABS runs.
//   - The application's view (GET /api/application/{applicationid}/, shared/banklist) carries
//     the same runs as "checks" (CheckRuns, through banklist.Checks).
package checks

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/review"
)

// Runs reads the check runs the review flow recorded (reviewdb.Store).
type Runs interface {
	Checks(ctx context.Context, applicationID string) ([]review.Check, error)
}

// Mark is a manual result or a comment of one check.
type Mark struct {
	Run       string // the run's executetime
	Check     string // the check's number within the run
	CheckType string // its «Тип Проверки», for the record
	Comment   bool   // a comment (Content, ID) rather than a result (Result)
	ID        string // the comment's ULID
	Content   string
	Result    string // "passed" / "failed"
	By        string // bank user id
	ByName    string // its full name when it acted
	At        time.Time
}

// Store keeps the marks (checksdb).
type Store interface {
	PutMark(ctx context.Context, applicationID string, m Mark) error
	Marks(ctx context.Context, applicationID string) ([]Mark, error)
}

// Service is the checks part of the back office.
type Service struct {
	// Review reads applications and the status model, saves the application's bank side, holds
	// the ABS queue (nil: re-check answers 503) and reads bank users' names.
	Review *review.Service
	Runs   Runs
	Store  Store
	Now    func() time.Time
}

// Run is one check run with its checks.
type Run struct {
	ExecuteTime string // the {executetime} of the URLs
	At          time.Time
	Kind        abs.Kind
	JobID       string
	OK          bool   // the ABS's success key
	Comment     string // its comment
	Failure     string // the call failed for good: no checks
	Checks      []Check
}

// Check is one check of a run.
type Check struct {
	ID       string // the {checktype} of the URLs
	Type     string // «Тип Проверки»
	Passed   bool   // «Прошла»
	Message  string // «Сообщение»
	Manual   *Mark  // the latest manual result; nil when none
	Comments []Mark // oldest first
}

// Manual result values.
const (
	Passed = "passed"
	Failed = "failed"
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// List returns the application's runs, newest first (404 for an unknown application).
func (s *Service) List(ctx context.Context, applicationID string) ([]Run, error) {
	if _, err := s.Review.Application(ctx, applicationID); err != nil {
		return nil, err
	}
	return s.runs(ctx, applicationID)
}

func (s *Service) runs(ctx context.Context, applicationID string) ([]Run, error) {
	recorded, err := s.Runs.Checks(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	marks, err := s.Store.Marks(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	runs := make([]Run, 0, len(recorded))
	for _, c := range recorded {
		r := Run{ExecuteTime: dynamo.Stamp(c.At), At: c.At, Kind: c.Kind, JobID: c.JobID, OK: c.OK, Comment: c.Comment,
			Failure: c.Failure, Checks: make([]Check, len(c.Notes))}
		for i, n := range c.Notes {
			r.Checks[i] = Check{ID: strconv.Itoa(i + 1), Type: n.Check, Passed: n.Passed, Message: n.Message, Comments: []Mark{}}
		}
		runs = append(runs, r)
	}
	for _, m := range marks {
		ch := find(runs, m.Run, m.Check)
		switch {
		case ch == nil: // of a run or check no longer recorded: not shown
		case m.Comment:
			ch.Comments = append(ch.Comments, m)
		default:
			ch.Manual = &m
		}
	}
	slices.SortStableFunc(runs, func(a, b Run) int { return b.At.Compare(a.At) })
	return runs, nil
}

func find(runs []Run, run, check string) *Check {
	for i := range runs {
		if runs[i].ExecuteTime != run {
			continue
		}
		for j := range runs[i].Checks {
			if runs[i].Checks[j].ID == check {
				return &runs[i].Checks[j]
			}
		}
	}
	return nil
}

// normalRun reads an {executetime}: a stamp (any RFC 3339 time is taken) in its stored form.
func normalRun(raw string) (string, bool) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return "", false
	}
	return dynamo.Stamp(t), true
}

var (
	errNoRun   = apperr.New(apperr.NotFound, "no such check run: executetime is a run's executetime of GET /api/check/{applicationid}")
	errNoCheck = apperr.New(apperr.NotFound, "no such check in this run: checktype is a check's id of GET /api/check/{applicationid}")
)

// check finds one check of an application (404 for an unknown application, run or check).
func (s *Service) check(ctx context.Context, applicationID, run, check string) (Run, Check, error) {
	if _, err := s.Review.Application(ctx, applicationID); err != nil {
		return Run{}, Check{}, err
	}
	stamp, ok := normalRun(run)
	if !ok {
		return Run{}, Check{}, errNoRun
	}
	runs, err := s.runs(ctx, applicationID)
	if err != nil {
		return Run{}, Check{}, err
	}
	i := slices.IndexFunc(runs, func(r Run) bool { return r.ExecuteTime == stamp })
	if i < 0 {
		return Run{}, Check{}, errNoRun
	}
	j := slices.IndexFunc(runs[i].Checks, func(c Check) bool { return c.ID == check })
	if j < 0 {
		return Run{}, Check{}, errNoCheck
	}
	return runs[i], runs[i].Checks[j], nil
}

// ResultInput is setResult's body.
type ResultInput struct {
	Result string `json:"result"`
	ID     string `json:"id"` // optional: the check's id, as in the path
}

// ParseResult reads a manual result value: passed / failed, or the seed's 1 / 0.
func ParseResult(raw string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case Passed, "1":
		return Passed, true
	case Failed, "0":
		return Failed, true
	}
	return "", false
}

// SetResult sets the manual result of one check and returns the check.
func (s *Service) SetResult(ctx context.Context, c review.Caller, applicationID, run, checkID string, in ResultInput) (Check, error) {
	result, ok := ParseResult(in.Result)
	f := apperr.Fields{}
	f.Check(ok, "result", `must be "passed" or "failed" (or 1 / 0)`)
	f.Check(in.ID == "" || in.ID == checkID, "id", "must be the check's id of the path, or absent")
	if err := f.Err(); err != nil {
		return Check{}, err
	}
	r, ch, err := s.check(ctx, applicationID, run, checkID)
	if err != nil {
		return Check{}, err
	}
	m := Mark{Run: r.ExecuteTime, Check: ch.ID, CheckType: ch.Type, Result: result, By: c.UserID, ByName: s.name(ctx, c.UserID), At: s.now()}
	if err := s.Store.PutMark(ctx, applicationID, m); err != nil {
		return Check{}, err
	}
	ch.Manual = &m
	return ch, nil
}

// CommentInput is addComment's body.
type CommentInput struct {
	Content string `json:"content"`
}

// AddComment adds a comment to one check and returns the check.
func (s *Service) AddComment(ctx context.Context, c review.Caller, applicationID, run, checkID string, in CommentInput) (Check, error) {
	content := strings.TrimSpace(in.Content)
	f := apperr.Fields{}
	f.Check(content != "", "content", "is required")
	f.Check(utf8.RuneCountInString(content) <= 2000, "content", "must be at most 2000 characters")
	if err := f.Err(); err != nil {
		return Check{}, err
	}
	r, ch, err := s.check(ctx, applicationID, run, checkID)
	if err != nil {
		return Check{}, err
	}
	m := Mark{Run: r.ExecuteTime, Check: ch.ID, CheckType: ch.Type, Comment: true, ID: ulid.Make().String(), Content: content,
		By: c.UserID, ByName: s.name(ctx, c.UserID), At: s.now()}
	if err := s.Store.PutMark(ctx, applicationID, m); err != nil {
		return Check{}, err
	}
	ch.Comments = append(ch.Comments, m)
	return ch, nil
}

// name is a bank user's full name, "" when it cannot be read (the id is kept anyway).
func (s *Service) name(ctx context.Context, userID string) string {
	if s.Review.Members == nil {
		return ""
	}
	m, err := s.Review.Members.Member(ctx, userID)
	if err != nil {
		return ""
	}
	return m.User.FullName
}

// RecheckInput is recheckApplication's optional body.
type RecheckInput struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Recheck queues InitialCheck again and returns the application and the new run's executetime.
func (s *Service) Recheck(ctx context.Context, c review.Caller, applicationID string, in RecheckInput) (applications.Application, string, error) {
	f := apperr.Fields{}
	f.Check(in.ID == "" || in.ID == applicationID, "id", "must be the application's id of the path, or absent")
	f.Check(in.Type == "" || strings.EqualFold(in.Type, string(abs.InitialCheck)), "type", "must be InitialCheck, or absent")
	if err := f.Err(); err != nil {
		return applications.Application{}, "", err
	}
	app, err := s.Review.Application(ctx, applicationID)
	if err != nil {
		return app, "", err
	}
	m, err := s.Review.Model(ctx)
	if err != nil {
		return app, "", err
	}
	switch {
	case app.Status == applications.StatusDraft:
		return app, "", apperr.New(apperr.Conflict, "the application has not been submitted: nothing to check yet")
	case m.Final(app.Status):
		return app, "", apperr.Newf(apperr.Conflict, "the application is closed (%s)", app.Status)
	case app.Bank.ABSPending != "":
		return app, "", apperr.Newf(apperr.Conflict, "the core-banking system (ABS) is working on this application (%s): wait for its answer", app.Bank.ABSPending)
	case s.Review.Queue == nil:
		return app, "", apperr.New(apperr.Unavailable, "the core-banking system (ABS) is not connected")
	}
	st, err := s.Review.ABSSettings(ctx)
	if err != nil {
		return app, "", err
	}
	if !st.InitialCheck.Enabled { // it would only record an error run
		return app, "", apperr.New(apperr.Conflict, "the ABS checks (InitialCheck) are switched off in the ABS settings")
	}
	job := abs.Job{ID: ulid.Make().String(), ApplicationID: app.ID, Kind: abs.InitialCheck, RequestedBy: c.UserID, RequestedAt: s.now()}
	previous := app.Bank.InitialCheck
	app.Bank.InitialCheck, app.Bank.ABSPending, app.Bank.ABSJob = "pending", string(abs.InitialCheck), job.ID
	saved, err := s.Review.Apps.SaveBank(ctx, app)
	if err != nil {
		return app, "", err
	}
	// Queued after the save, so the consumer finds the call due; a refused send takes the
	// mark back.
	if err := s.Review.Queue.Enqueue(ctx, job); err != nil {
		saved.Bank.InitialCheck, saved.Bank.ABSPending, saved.Bank.ABSJob = previous, "", ""
		if _, err := s.Review.Apps.SaveBank(ctx, saved); err != nil { // left pending, steps get 409 until it is cleared
			slog.ErrorContext(ctx, "undo the pending InitialCheck", "applicationId", saved.ID, "error", err)
		}
		slog.ErrorContext(ctx, "queue the InitialCheck call again", "applicationId", app.ID, "error", err)
		return app, "", apperr.New(apperr.Unavailable, "the core-banking system (ABS) queue is not available: try again later")
	}
	now, err := s.Review.Application(ctx, app.ID) // an in-process queue may have applied the answer already
	return now, dynamo.Stamp(job.RequestedAt), err
}
