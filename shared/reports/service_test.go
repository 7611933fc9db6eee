package reports

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

func TestCheck(t *testing.T) {
	ok := Spec{Columns: []string{"inn", "status"}, From: "2026-11-01", To: "2026-11-30", Format: FormatCSV, Delivery: DeliveryEmail}
	tests := []struct {
		name   string
		edit   func(*Spec)
		fields []string // the fields with errors
	}{
		{"valid", func(*Spec) {}, nil},
		{"one day", func(s *Spec) { s.To = s.From }, nil},
		{"366 days", func(s *Spec) { s.From, s.To = "2028-01-01", "2028-12-31" }, nil}, // a leap year
		{"367 days", func(s *Spec) { s.From, s.To = "2026-01-01", "2027-01-02" }, []string{"to"}},
		{"no columns", func(s *Spec) { s.Columns = nil }, []string{"columns"}},
		{"unknown column", func(s *Spec) { s.Columns = []string{"inn", "salary"} }, []string{"columns[1]"}},
		{"twice", func(s *Spec) { s.Columns = []string{"inn", "status", "inn"} }, []string{"columns[2]"}},
		{"bad dates", func(s *Spec) { s.From, s.To = "01.11.2026", "2026-02-30" }, []string{"from", "to"}},
		{"to before from", func(s *Spec) { s.From, s.To = "2026-11-02", "2026-11-01" }, []string{"to"}},
		{"format", func(s *Spec) { s.Format = "pdf" }, []string{"format"}},
		{"delivery", func(s *Spec) { s.Delivery = "fax" }, []string{"delivery"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp := ok
			sp.Columns = append([]string(nil), ok.Columns...)
			tc.edit(&sp)
			f := check(sp)
			if len(f) != len(tc.fields) {
				t.Fatalf("errors %v, want on %v", f, tc.fields)
			}
			for _, name := range tc.fields {
				if f[name] == "" {
					t.Errorf("no error on %s: %v", name, f)
				}
			}
		})
	}
}

// memStore is a Store in memory with the same conditions as reportsdb.
type memStore struct{ rs map[string]Report }

func (m *memStore) Create(_ context.Context, r Report) error { m.rs[r.ID] = r; return nil }
func (m *memStore) Get(_ context.Context, userID, id string) (Report, error) {
	r, ok := m.rs[id]
	if !ok || r.UserID != userID {
		return Report{}, ErrNotFound
	}
	return r, nil
}
func (m *memStore) List(context.Context, string, string, int) ([]Report, string, error) {
	return nil, "", nil
}
func (m *memStore) waiting(id string) (Report, bool) {
	r, ok := m.rs[id]
	return r, ok && (r.Status == StatusQueued || r.Status == StatusBuilding)
}
func (m *memStore) Requeued(_ context.Context, _, id string, prev, at time.Time) error {
	r, ok := m.waiting(id)
	if !ok || !r.EnqueuedAt.Equal(prev) {
		return ErrStale
	}
	r.EnqueuedAt = at
	m.rs[id] = r
	return nil
}
func (m *memStore) Start(_ context.Context, _, id string, at time.Time) (Report, error) {
	r, ok := m.waiting(id)
	if !ok {
		return Report{}, ErrStale
	}
	r.Status, r.StartedAt = StatusBuilding, at
	r.Attempts++
	m.rs[id] = r
	return r, nil
}
func (m *memStore) Finish(_ context.Context, _, id string, rows int, key string, at time.Time) error {
	r := m.rs[id]
	if r.Status != StatusBuilding {
		return ErrStale
	}
	r.Status, r.Rows, r.Key, r.ReadyAt = StatusReady, rows, key, at
	m.rs[id] = r
	return nil
}
func (m *memStore) Fail(_ context.Context, _, id, reason string, _ time.Time) error {
	r, ok := m.waiting(id)
	if !ok {
		return ErrStale
	}
	r.Status, r.Failure = StatusFailed, reason
	m.rs[id] = r
	return nil
}

type fakeUsers map[string]identity.User

func (f fakeUsers) User(_ context.Context, id string) (identity.User, error) {
	u, ok := f[id]
	if !ok {
		return identity.User{}, identity.ErrNotFound
	}
	return u, nil
}

type fakeApps struct {
	apps []applications.Application
	err  error
	seen applications.Actor
	q    applications.Query
}

func (f *fakeApps) Each(_ context.Context, a applications.Actor, q applications.Query, fn func(applications.Application) error) error {
	f.seen, f.q = a, q
	if f.err != nil {
		return f.err
	}
	for _, app := range f.apps {
		if err := fn(app); err != nil {
			return err
		}
	}
	return nil
}

type fakeFiles struct {
	puts int
	err  error
}

func (f *fakeFiles) Put(context.Context, string, string, []byte) error {
	if f.err != nil {
		return f.err
	}
	f.puts++
	return nil
}
func (f *fakeFiles) Link(context.Context, string, string) (string, time.Time, error) {
	return "https://files.test/x", time.Time{}, nil
}

type fakeQueue struct {
	jobs []Job
	err  error
}

func (q *fakeQueue) Enqueue(_ context.Context, j Job) error {
	if q.err != nil {
		return q.err
	}
	q.jobs = append(q.jobs, j)
	return nil
}

type fakeMail struct{ sent []email.Message }

func (f *fakeMail) Send(_ context.Context, m email.Message) error {
	f.sent = append(f.sent, m)
	return nil
}

// TestBuild covers the builder's outcomes: built once, a done report untouched, refusals and
// faults that fail it, transient errors retried until MaxAttempts.
func TestBuild(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	user := identity.User{ID: "u1", OrgID: "o1", Role: identity.Administrator, GroupID: "g1", Status: identity.StatusActive, FullName: "Анна", Email: "anna@example.ru"}
	queued := Report{ID: "r1", OrgID: "o1", UserID: "u1", Status: StatusQueued, Format: FormatCSV, Delivery: DeliveryEmail,
		Columns: []string{"inn"}, From: "2026-11-01", To: "2026-11-30", EnqueuedAt: now}
	app := applications.Application{Company: applications.Company{INN: "7707083893"}}
	transient := errors.New("throttled")
	tests := []struct {
		name        string
		report      func(r *Report)
		user        func(u *identity.User)
		appsErr     error
		filesErr    error
		rows        int
		wantErr     string // "" none, "permanent", "transient"
		wantStatus  string
		wantFailure string
		wantPuts    int
		wantMails   int
	}{
		{name: "built", rows: 2, wantStatus: StatusReady, wantPuts: 1, wantMails: 1},
		{name: "ready: nothing", report: func(r *Report) { r.Status = StatusReady }, wantStatus: StatusReady},
		{name: "failed: nothing", report: func(r *Report) { r.Status = StatusFailed }, wantStatus: StatusFailed},
		{name: "taken over after a crash", report: func(r *Report) { r.Status, r.Attempts = StatusBuilding, 1 }, rows: 1, wantStatus: StatusReady, wantPuts: 1, wantMails: 1},
		{name: "download: no e-mail", report: func(r *Report) { r.Delivery = DeliveryDownload }, rows: 1, wantStatus: StatusReady, wantPuts: 1},
		{name: "blocked requester", user: func(u *identity.User) { u.Status = identity.StatusBlocked }, wantStatus: StatusFailed, wantFailure: "blocked"},
		{name: "requester moved away", user: func(u *identity.User) { u.OrgID = "o2" }, wantStatus: StatusFailed, wantFailure: "no longer exists"},
		{name: "e-mail removed", user: func(u *identity.User) { u.Email = "" }, wantStatus: StatusFailed, wantFailure: "no e-mail"},
		{name: "transient, retried", filesErr: transient, rows: 1, wantErr: "transient", wantStatus: StatusBuilding},
		{name: "transient on the last attempt", report: func(r *Report) { r.Attempts = MaxAttempts - 1 }, filesErr: transient, rows: 1,
			wantErr: "permanent", wantStatus: StatusFailed, wantFailure: failedReason},
		{name: "attempts used up by crashes", report: func(r *Report) { r.Status, r.Attempts = StatusBuilding, MaxAttempts },
			wantErr: "permanent", wantStatus: StatusFailed, wantFailure: failedReason},
		{name: "permanent fault", appsErr: sqsworker.Permanent(errors.New("bad data")), wantErr: "permanent", wantStatus: StatusFailed, wantFailure: failedReason},
		{name: "too many rows", rows: MaxRows + 1, wantStatus: StatusFailed, wantFailure: "shorter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, u := queued, user
			if tc.report != nil {
				tc.report(&r)
			}
			if tc.user != nil {
				tc.user(&u)
			}
			apps := &fakeApps{err: tc.appsErr}
			for range tc.rows {
				apps.apps = append(apps.apps, app)
			}
			store, files, mail := &memStore{rs: map[string]Report{r.ID: r}}, &fakeFiles{err: tc.filesErr}, &fakeMail{}
			s := &Service{Store: store, Users: fakeUsers{u.ID: u}, Applications: apps, Files: files, Mail: mail,
				CabinetURL: "https://cabinet.test/", Now: func() time.Time { return now }}
			err := s.Build(context.Background(), Job{ReportID: r.ID, UserID: r.UserID, OrgID: r.OrgID})
			switch {
			case tc.wantErr == "" && err != nil, tc.wantErr != "" && err == nil:
				t.Fatalf("err %v, want %s", err, tc.wantErr)
			case tc.wantErr == "permanent" && !sqsworker.IsPermanent(err), tc.wantErr == "transient" && sqsworker.IsPermanent(err):
				t.Fatalf("err %v, want %s", err, tc.wantErr)
			}
			got := store.rs[r.ID]
			if got.Status != tc.wantStatus || !strings.Contains(got.Failure, tc.wantFailure) {
				t.Fatalf("status %s (%q), want %s (%q)", got.Status, got.Failure, tc.wantStatus, tc.wantFailure)
			}
			if files.puts != tc.wantPuts || len(mail.sent) != tc.wantMails {
				t.Fatalf("%d files, %d e-mails; want %d, %d", files.puts, len(mail.sent), tc.wantPuts, tc.wantMails)
			}
			if tc.wantPuts > 0 && (got.Rows != tc.rows || got.Key != "reports/o1/r1.csv") {
				t.Fatalf("ready report %+v", got)
			}
			if tc.wantPuts > 0 {
				// The requester's current scope, over the period's Moscow days.
				wantQ := applications.Query{CreatedFrom: time.Date(2026, 10, 31, 21, 0, 0, 0, time.UTC), CreatedTo: time.Date(2026, 11, 30, 21, 0, 0, 0, time.UTC)}
				if apps.seen != (applications.Actor{UserID: "u1", OrgID: "o1", Role: identity.Administrator}) || apps.q != wantQ {
					t.Fatalf("read as %+v over %+v", apps.seen, apps.q)
				}
			}
			if len(mail.sent) == 1 {
				m := mail.sent[0]
				if m.ID != "report-r1" || m.To[0] != "anna@example.ru" || !strings.Contains(m.Text, "https://cabinet.test/reports/r1") ||
					!strings.Contains(m.Text, "с 01.11.2026 по 30.11.2026") {
					t.Fatalf("e-mail %+v", m)
				}
			}
		})
	}
}

// TestRequest: a request is recorded and enqueued; when the enqueue fails it is still
// recorded, marked for repair, and the next read enqueues it.
func TestRequest(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	store, q := &memStore{rs: map[string]Report{}}, &fakeQueue{}
	users := fakeUsers{"u1": {ID: "u1", OrgID: "o1", Email: "anna@example.ru"}, "u2": {ID: "u2", OrgID: "o1"}}
	s := &Service{Store: store, Queue: q, Users: users, Now: func() time.Time { return now }}
	a := Actor{UserID: "u1", OrgID: "o1", Role: identity.Member}
	sp := Spec{Columns: []string{"inn"}, From: "2026-11-01", To: "2026-11-30"}

	r, err := s.Request(context.Background(), a, sp)
	if err != nil || r.Status != StatusQueued || r.Format != FormatXLSX || r.Delivery != DeliveryDownload || len(q.jobs) != 1 || !r.EnqueuedAt.Equal(now) {
		t.Fatalf("request: %+v %v, jobs %v", r, err, q.jobs)
	}

	// The e-mail of delivery by e-mail is the caller's, read from the identity store.
	sp.Delivery = DeliveryEmail
	_, err = s.Request(context.Background(), Actor{UserID: "u2", OrgID: "o1"}, sp)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Unprocessable || e.Fields["delivery"] == "" {
		t.Fatalf("no e-mail: %v", err)
	}

	q.err = errors.New("queue down")
	r, err = s.Request(context.Background(), a, sp)
	if err != nil || !store.rs[r.ID].EnqueuedAt.IsZero() {
		t.Fatalf("enqueue failed: %+v %v", store.rs[r.ID], err)
	}
	q.err = nil
	if _, err := s.Get(context.Background(), Actor{UserID: "u1", OrgID: "o2"}, r.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("another organisation read it: %v", err)
	}
	if len(q.jobs) != 1 {
		t.Fatal("a read that found nothing repaired the report")
	}
	got, err := s.Get(context.Background(), a, r.ID)
	if err != nil || len(q.jobs) != 2 || q.jobs[1].ReportID != r.ID || !got.EnqueuedAt.Equal(now) || !store.rs[r.ID].EnqueuedAt.Equal(now) {
		t.Fatalf("repair: jobs %v, report %+v", q.jobs, store.rs[r.ID])
	}
	if s.repair(context.Background(), got); len(q.jobs) != 2 {
		t.Fatal("a report just enqueued was enqueued again")
	}
	later := *s
	later.Now = func() time.Time { return now.Add(StallAfter + time.Minute) }
	if later.repair(context.Background(), store.rs[r.ID]); len(q.jobs) != 3 {
		t.Fatal("a report waiting longer than StallAfter was not enqueued again")
	}
}
