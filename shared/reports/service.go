package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Limits of a report.
const (
	MaxDays     = 366     // the longest period, like the statistics (A10)
	MaxRows     = 100_000 // more applications fail the report: a shorter period is asked for
	MaxAttempts = 5       // builds started before a report fails (ReportQueue's maxReceiveCount)
	// StallAfter is how long a queued or building report may wait before a read enqueues it
	// again: beyond the builder's retries (visibility timeout 12 min) so that a job in flight
	// is seldom doubled, and a double builds once anyway.
	StallAfter = 30 * time.Minute
)

// Service runs report requests (client API) and their building (the report builder).
type Service struct {
	Store        Store
	Queue        Queue
	Users        Users
	Files        Files
	Applications Applications // builder only
	Mail         Mailer       // builder only
	CabinetURL   string       // builder only: e-mail links point at <CabinetURL>/reports/<id>
	Now          func() time.Time
}

// Actor is the caller.
type Actor = identity.Actor

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var errNotFound = apperr.New(apperr.NotFound, "report not found")

// Spec is what the agent asks for (A9).
type Spec struct {
	Columns  []string
	From, To string // Moscow days, 2006-01-02, inclusive
	Format   string // xlsx (default) or csv
	Delivery string // download (default) or email
}

// unprocessable is a well-formed request that cannot be served as asked (422).
func unprocessable(f apperr.Fields) error {
	if len(f) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.Unprocessable, Message: "the report cannot be made as asked", Fields: f}
}

// check validates sp: known columns, at least one, none twice; dates; the period's length;
// the format and delivery.
func check(sp Spec) apperr.Fields {
	f := apperr.Fields{}
	f.Check(len(sp.Columns) > 0, "columns", "tick at least one column")
	seen := map[string]bool{}
	for i, id := range sp.Columns {
		field := fmt.Sprintf("columns[%d]", i)
		switch _, known := columnByID[id]; {
		case !known:
			f.Add(field, fmt.Sprintf("unknown column %q; GET /v1/reports/columns lists them", id))
		case seen[id]:
			f.Add(field, fmt.Sprintf("column %q is ticked twice", id))
		}
		seen[id] = true
	}
	df, errF := time.Parse(time.DateOnly, sp.From)
	dt, errT := time.Parse(time.DateOnly, sp.To)
	f.Check(errF == nil, "from", "must be a date, e.g. 2026-11-01")
	f.Check(errT == nil, "to", "must be a date, e.g. 2026-11-30")
	if errF == nil && errT == nil {
		f.Check(!dt.Before(df), "to", "must not be before from")
		f.Check(dt.Sub(df) < MaxDays*24*time.Hour, "to", fmt.Sprintf("the period is at most %d days", MaxDays))
	}
	f.Check(sp.Format == FormatXLSX || sp.Format == FormatCSV, "format", "must be xlsx or csv")
	f.Check(sp.Delivery == DeliveryDownload || sp.Delivery == DeliveryEmail, "delivery", "must be download or email")
	return f
}

// Request records a report request of the caller and puts it on the queue (A9): 422 when it
// cannot be served as asked. The record comes first: when the enqueue fails the report stays
// queued with no enqueue time and the next read of it enqueues it (repair), so the request is
// neither lost nor stuck, and a retried request (Idempotency-Key) gets the same report back.
func (s *Service) Request(ctx context.Context, a Actor, sp Spec) (Report, error) {
	if sp.Format == "" {
		sp.Format = FormatXLSX
	}
	if sp.Delivery == "" {
		sp.Delivery = DeliveryDownload
	}
	f := check(sp)
	if sp.Delivery == DeliveryEmail && f["delivery"] == "" {
		// The seed: the report goes to the address given at registration.
		u, err := s.Users.User(ctx, a.UserID)
		if err != nil {
			return Report{}, fmt.Errorf("read caller: %w", err)
		}
		f.Check(strings.TrimSpace(u.Email) != "", "delivery", "your profile has no e-mail address: choose download")
	}
	if err := unprocessable(f); err != nil {
		return Report{}, err
	}
	now := s.now()
	r := Report{ID: ulid.Make().String(), OrgID: a.OrgID, UserID: a.UserID, Status: StatusQueued, Format: sp.Format,
		Delivery: sp.Delivery, Columns: slices.Clone(sp.Columns), From: sp.From, To: sp.To, CreatedAt: now, EnqueuedAt: now}
	if err := s.Store.Create(ctx, r); err != nil {
		return Report{}, err
	}
	if err := s.Queue.Enqueue(ctx, job(r)); err != nil {
		slog.WarnContext(ctx, "report not enqueued; reading it enqueues it again", "reportId", r.ID, "error", err.Error())
		if err := s.Store.Requeued(ctx, r.UserID, r.ID, now, time.Time{}); err == nil {
			r.EnqueuedAt = time.Time{}
		} // else it is repaired once StallAfter has passed
	}
	return r, nil
}

func job(r Report) Job { return Job{ReportID: r.ID, UserID: r.UserID, OrgID: r.OrgID} }

// Get returns a report of the caller; anyone else's, another organisation's included, is
// "not found". A report stalled on its way to the builder is enqueued again.
func (s *Service) Get(ctx context.Context, a Actor, id string) (Report, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Report{}, errNotFound
	}
	r, err := s.Store.Get(ctx, a.UserID, id)
	if errors.Is(err, ErrNotFound) || err == nil && r.OrgID != a.OrgID {
		return Report{}, errNotFound
	}
	if err != nil {
		return Report{}, err
	}
	return s.repair(ctx, r), nil
}

// List returns the caller's reports, newest first; stalled ones are enqueued again.
func (s *Service) List(ctx context.Context, a Actor, pageToken string, limit int) ([]Report, string, error) {
	rs, next, err := s.Store.List(ctx, a.UserID, pageToken, limit)
	if err != nil {
		return nil, "", err
	}
	out := rs[:0]
	for _, r := range rs {
		if r.OrgID == a.OrgID {
			out = append(out, s.repair(ctx, r))
		}
	}
	return out, next, nil
}

// Link returns a fresh download link of a ready report and when it expires.
func (s *Service) Link(ctx context.Context, r Report) (string, time.Time, error) {
	if r.Status != StatusReady || r.Key == "" {
		return "", time.Time{}, nil
	}
	return s.Files.Link(ctx, r.Key, Filename(r))
}

// Filename is the name a downloaded report gets.
func Filename(r Report) string { return fmt.Sprintf("Заявки_%s_%s.%s", r.From, r.To, r.Format) }

// stalled tells whether r should be on the queue but may not be: its enqueue failed, or it
// has waited or been building longer than StallAfter.
func (s *Service) stalled(r Report) bool {
	switch r.Status {
	case StatusQueued, StatusBuilding:
		last := r.EnqueuedAt
		if last.IsZero() {
			return true
		}
		if r.StartedAt.After(last) {
			last = r.StartedAt
		}
		return s.now().Sub(last) > StallAfter
	}
	return false
}

// repair enqueues a stalled report again. The conditional Requeued lets one reader of many
// do it; the builder's idempotency makes a double harmless. Failures are logged: the next
// read tries again.
func (s *Service) repair(ctx context.Context, r Report) Report {
	if !s.stalled(r) {
		return r
	}
	now := s.now()
	if err := s.Store.Requeued(ctx, r.UserID, r.ID, r.EnqueuedAt, now); err != nil {
		if !errors.Is(err, ErrStale) {
			slog.WarnContext(ctx, "stalled report not repaired", "reportId", r.ID, "error", err.Error())
		}
		return r
	}
	if err := s.Queue.Enqueue(ctx, job(r)); err != nil {
		slog.WarnContext(ctx, "stalled report not enqueued", "reportId", r.ID, "error", err.Error())
		_ = s.Store.Requeued(ctx, r.UserID, r.ID, now, time.Time{})
		return r
	}
	slog.InfoContext(ctx, "stalled report enqueued again", "reportId", r.ID, "status", r.Status)
	r.EnqueuedAt = now
	return r
}

// refusal is a reason a report cannot be built that retrying does not change; it is shown to
// the requester as the report's failure.
type refusal struct{ reason string }

func (r refusal) Error() string { return r.reason }

// failedReason is the failure shown when retries ran out.
const failedReason = "the report could not be built; request it again"

// Build builds the report of j (the report builder's work). It is idempotent: a job of a
// ready or failed report does nothing, and a report whose builds keep failing fails after
// MaxAttempts. Errors are transient unless marked sqsworker.Permanent.
func (s *Service) Build(ctx context.Context, j Job) error {
	r, err := s.Store.Get(ctx, j.UserID, j.ReportID)
	if errors.Is(err, ErrNotFound) {
		return sqsworker.Permanent(fmt.Errorf("report %s not found", j.ReportID))
	}
	if err != nil {
		return err
	}
	if r.OrgID != j.OrgID {
		return sqsworker.Permanent(fmt.Errorf("report %s: job of another organisation", j.ReportID))
	}
	switch {
	case r.Status == StatusReady || r.Status == StatusFailed:
		slog.InfoContext(ctx, "report already done", "reportId", r.ID, "status", r.Status)
		return nil
	case r.Attempts >= MaxAttempts: // the builds before this one died without saying why
		return s.fail(ctx, r, failedReason, fmt.Errorf("%d builds started, none finished", r.Attempts))
	}
	r, err = s.Store.Start(ctx, r.UserID, r.ID, s.now())
	if errors.Is(err, ErrStale) {
		return nil // done meanwhile
	}
	if err != nil {
		return err
	}
	slog.InfoContext(ctx, "report build started", "reportId", r.ID, "attempt", r.Attempts, "format", r.Format)
	err = s.build(ctx, r)
	var ref refusal
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ref): // an answer, not a fault: nothing to inspect in the DLQ
		slog.WarnContext(ctx, "report refused", "reportId", r.ID, "reason", ref.reason)
		return s.fail(ctx, r, ref.reason, nil)
	case sqsworker.IsPermanent(err) || r.Attempts >= MaxAttempts:
		return s.fail(ctx, r, failedReason, err)
	}
	return err // transient: SQS delivers the job again
}

// fail marks r failed with reason. With a cause it returns a permanent error, so the job goes
// to the dead-letter queue for inspection; without one the job is done.
func (s *Service) fail(ctx context.Context, r Report, reason string, cause error) error {
	if err := s.Store.Fail(ctx, r.UserID, r.ID, reason, s.now()); err != nil && !errors.Is(err, ErrStale) {
		return err // transient: the job comes again and fails it then
	}
	if cause == nil {
		return nil
	}
	slog.ErrorContext(ctx, "report failed", "reportId", r.ID, "attempt", r.Attempts, "error", cause.Error())
	return sqsworker.Permanent(fmt.Errorf("report %s failed: %w", r.ID, cause))
}

func (s *Service) build(ctx context.Context, r Report) error {
	u, err := s.Users.User(ctx, r.UserID)
	if errors.Is(err, identity.ErrNotFound) || err == nil && u.OrgID != r.OrgID {
		return refusal{"the requester no longer exists"}
	}
	if err != nil {
		return fmt.Errorf("read requester: %w", err)
	}
	if u.Status == identity.StatusBlocked || u.Status == identity.StatusRefused {
		return refusal{"the requester is blocked"}
	}
	if r.Delivery == DeliveryEmail && strings.TrimSpace(u.Email) == "" {
		return refusal{"the requester's profile has no e-mail address"}
	}
	from, err := time.ParseInLocation(time.DateOnly, r.From, moscow.Zone)
	if err != nil {
		return sqsworker.Permanent(fmt.Errorf("report %s: from: %w", r.ID, err))
	}
	to, err := time.ParseInLocation(time.DateOnly, r.To, moscow.Zone)
	if err != nil {
		return sqsworker.Permanent(fmt.Errorf("report %s: to: %w", r.ID, err))
	}
	cols := pick(r.Columns)
	sh, err := newSheet(r.Format, cols)
	if err != nil {
		return err
	}
	defer sh.close()
	// The requester's scope now (A17): its role and group as they are when the file is made.
	actor := applications.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
	q := applications.Query{CreatedFrom: from.UTC(), CreatedTo: to.AddDate(0, 0, 1).UTC()}
	rows := 0
	values := make([]any, len(cols))
	err = s.Applications.Each(ctx, actor, q, func(a applications.Application) error {
		if rows++; rows > MaxRows {
			return refusal{fmt.Sprintf("more than %d applications in the period: choose a shorter one", MaxRows)}
		}
		for i, c := range cols {
			values[i] = c.value(a)
		}
		return sh.row(values)
	})
	if err != nil {
		return err
	}
	body, err := sh.finish()
	if err != nil {
		return err
	}
	key := fmt.Sprintf("reports/%s/%s.%s", r.OrgID, r.ID, r.Format)
	if err := s.Files.Put(ctx, key, contentType(r.Format), body); err != nil {
		return fmt.Errorf("store report file: %w", err)
	}
	// The e-mail goes before the report is marked ready: a retry after a failed mark sends it
	// again with the same id, which the e-mail consumer delivers once.
	if r.Delivery == DeliveryEmail {
		if err := s.Mail.Send(ctx, s.message(u, r, rows)); err != nil {
			return err
		}
	}
	if err := s.Store.Finish(ctx, r.UserID, r.ID, rows, key, s.now()); err != nil {
		if errors.Is(err, ErrStale) {
			slog.WarnContext(ctx, "report changed while building", "reportId", r.ID)
			return nil
		}
		return err
	}
	slog.InfoContext(ctx, "report ready", "reportId", r.ID, "rows", rows, "bytes", len(body), "format", r.Format, "delivery", r.Delivery)
	return nil
}

// message is the e-mail of a ready report: a link to it in the cabinet, where it is
// downloaded, rather than a link to the file that would expire in minutes.
func (s *Service) message(u identity.User, r Report, rows int) email.Message {
	day := func(d string) string {
		t, _ := time.Parse(time.DateOnly, d)
		return t.Format("02.01.2006")
	}
	link := strings.TrimRight(s.CabinetURL, "/") + "/reports/" + r.ID
	greeting := "Здравствуйте!"
	if name := strings.TrimSpace(u.FullName); name != "" {
		greeting = "Здравствуйте, " + name + "!"
	}
	text := fmt.Sprintf("%s\n\nОтчёт по заявкам за период с %s по %s готов (заявок: %d, формат %s).\n"+
		"Скачать его можно в личном кабинете:\n%s\n\nПисьмо отправлено автоматически, отвечать на него не нужно.",
		greeting, day(r.From), day(r.To), rows, strings.ToUpper(r.Format), link)
	return email.Message{ID: "report-" + r.ID, To: []string{u.Email}, Subject: "Отчёт по заявкам готов", Text: text, Purpose: "report"}
}

// NewConsumer returns the report queue's consumer: one claim per report (a job delivered or
// enqueued twice builds once), permanent failures to the dead-letter queue.
func NewConsumer(s *Service, claims sqsworker.Claims, dlq sqsworker.DeadLetter, lease time.Duration) *sqsworker.Consumer {
	return sqsworker.JSONConsumer("report", claims, dlq, lease, decodeJob, func(j Job) string { return j.ReportID },
		func(ctx context.Context, j Job, _ sqsworker.Message) error { return s.Build(ctx, j) })
}

func decodeJob(body string) (Job, error) {
	var j Job
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		return j, fmt.Errorf("malformed report job: %w", err)
	}
	if j.ReportID == "" || j.UserID == "" || j.OrgID == "" {
		return j, errors.New("malformed report job: reportId, userId and orgId are required")
	}
	return j, nil
}
