package onboarding

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/otp"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
	"github.com/kabinet/kabinet/shared/sms"
)

// memStore is an in-memory Store with the same versioning rules as the DynamoDB one.
type memStore struct {
	regs   map[string]Registration
	phones map[string]string
	users  map[string]identity.User
}

func newMemStore() *memStore {
	return &memStore{regs: map[string]Registration{}, phones: map[string]string{}, users: map[string]identity.User{}}
}
func (m *memStore) PhoneTaken(_ context.Context, p string) (bool, error) {
	_, ok := m.phones[p]
	return ok, nil
}
func (m *memStore) CreateRegistration(_ context.Context, r Registration) error {
	r.Version = 1
	m.regs[r.ID] = r
	return nil
}
func (m *memStore) GetRegistration(_ context.Context, id string) (Registration, error) {
	r, ok := m.regs[id]
	if !ok {
		return r, ErrNotFound
	}
	return r, nil
}
func (m *memStore) SaveRegistration(_ context.Context, r Registration) error {
	if m.regs[r.ID].Version != r.Version {
		return ErrStale
	}
	r.Version++
	m.regs[r.ID] = r
	return nil
}
func (m *memStore) Complete(ctx context.Context, r Registration, _ identity.Org, u identity.User) error {
	if _, ok := m.phones[u.Phone]; ok {
		return ErrPhoneTaken
	}
	if err := m.SaveRegistration(ctx, r); err != nil {
		return err
	}
	m.phones[u.Phone] = u.ID
	m.users[u.ID] = u
	return nil
}

type memOutbox struct {
	sent []sms.Message
	err  error
}

func (o *memOutbox) Send(_ context.Context, m sms.Message) error {
	if o.err != nil {
		return o.err
	}
	o.sent = append(o.sent, m)
	return nil
}

type memLimiter struct{ counts map[string]int }

func (l *memLimiter) Allow(_ context.Context, r ratelimit.Rule, key string) error {
	l.counts[r.Name+key]++
	if l.counts[r.Name+key] > r.Limit {
		return apperr.TooMany(r.Message, time.Hour)
	}
	return nil
}

type fixture struct {
	svc    *Service
	store  *memStore
	outbox *memOutbox
	now    time.Time
	code   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	h, err := otp.NewHasher(strings.Repeat("k", 32))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: newMemStore(), outbox: &memOutbox{}, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	n := 0
	f.svc = &Service{
		Store: f.store, Outbox: f.outbox, Limits: &memLimiter{counts: map[string]int{}}, Codes: h,
		HashPassword: func(pw string) (string, error) { return "hashed:" + pw, nil },
		NewCode: func() (string, error) {
			n++
			f.code = fmt.Sprintf("%06d", 100000+n)
			return f.code, nil
		},
		Now:    func() time.Time { return f.now },
		Policy: DefaultPolicy,
	}
	return f
}

var validInput = StartInput{Kind: Individual, Phone: "8 916 123-45-67", FullName: "Иванов Иван", Email: "ivan@example.ru", Consent: true, IP: "10.0.0.1"}

func codeOf(err error) apperr.Code { return apperr.CodeOf(err) }

func TestStartValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*StartInput)
		field  string
	}{
		{"bad phone", func(in *StartInput) { in.Phone = "12345" }, "phone"},
		{"missing consent", func(in *StartInput) { in.Consent = false }, "consent"},
		{"unknown type", func(in *StartInput) { in.Kind = "company" }, "type"},
		{"short name", func(in *StartInput) { in.FullName = "И" }, "fullName"},
		{"bad email", func(in *StartInput) { in.Email = "ivan@" }, "email"},
		{"missing email", func(in *StartInput) { in.Email = "" }, "email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			in := validInput
			tc.mutate(&in)
			_, err := f.svc.Start(context.Background(), in)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Validation || e.Fields[tc.field] == "" {
				t.Fatalf("err = %v", err)
			}
			if len(f.outbox.sent) != 0 {
				t.Fatal("sms sent for an invalid form")
			}
		})
	}
}

func TestRegistrationFlow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	st, err := f.svc.Start(ctx, validInput)
	if err != nil {
		t.Fatal(err)
	}
	if st.Phone != "+79161234567" || len(f.outbox.sent) != 1 || !strings.Contains(f.outbox.sent[0].Text, f.code) {
		t.Fatalf("started %+v, sent %+v", st, f.outbox.sent)
	}
	reg := f.store.regs[st.RegistrationID]
	if strings.Contains(reg.CodeHash, f.code) || reg.CodeHash == "" {
		t.Fatal("code not stored hashed")
	}
	first := f.code

	// Resend before 3 minutes: 429 with the remaining wait.
	f.now = f.now.Add(time.Minute)
	_, err = f.svc.Resend(ctx, st.RegistrationID, "10.0.0.1")
	if e, ok := apperr.As(err); !ok || e.Code != apperr.TooManyRequests || e.RetryAfter != 2*time.Minute {
		t.Fatalf("early resend: %v", err)
	}
	// After 3 minutes a new code; the old one stops working.
	f.now = f.now.Add(2 * time.Minute)
	if _, err := f.svc.Resend(ctx, st.RegistrationID, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Confirm(ctx, st.RegistrationID, first); codeOf(err) != apperr.Validation {
		t.Fatalf("old code: %v", err)
	}
	acc, err := f.svc.Confirm(ctx, st.RegistrationID, f.code)
	if err != nil {
		t.Fatal(err)
	}
	u := f.store.users[acc.UserID]
	if acc.Status != identity.StatusAwaitingActivation || u.Role != identity.Superuser || u.OrgID == "" || !acc.MustChangePassword || u.PasswordHash != "hashed:"+f.code || acc.Login != "+79161234567" {
		t.Fatalf("account %+v user %+v", acc, u)
	}
	// Single use.
	if _, err := f.svc.Confirm(ctx, st.RegistrationID, f.code); codeOf(err) != apperr.Conflict {
		t.Fatalf("second confirm: %v", err)
	}
	// The phone now has an account.
	if _, err := f.svc.Start(ctx, validInput); codeOf(err) != apperr.Conflict {
		t.Fatalf("second registration: %v", err)
	}
}

func TestConfirmFailures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(f *fixture, id string) string // returns the code to try
		want  apperr.Code
		msg   string
	}{
		{"unknown registration", func(f *fixture, id string) string { return f.code }, apperr.NotFound, ""},
		{"malformed code", func(f *fixture, id string) string { return "12ab56" }, apperr.Validation, "6 digits"},
		{"expired code", func(f *fixture, id string) string { f.now = f.now.Add(10 * time.Minute); return f.code }, apperr.Validation, "expired"},
		{"wrong code", func(f *fixture, id string) string { return "000000" }, apperr.Validation, "4 attempts left"},
		{"five wrong codes void the code", func(f *fixture, id string) string {
			for range 5 {
				_, _ = f.svc.Confirm(ctx, id, "000000")
			}
			return f.code
		}, apperr.Validation, "no longer works"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			st, err := f.svc.Start(ctx, validInput)
			if err != nil {
				t.Fatal(err)
			}
			id := st.RegistrationID
			if tc.want == apperr.NotFound {
				id = "01JAAAAAAAAAAAAAAAAAAAAAAA"
			}
			_, err = f.svc.Confirm(ctx, id, tc.setup(f, st.RegistrationID))
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.want || (tc.msg != "" && !strings.Contains(e.Fields["code"], tc.msg)) {
				t.Fatalf("err = %v %+v", err, e)
			}
		})
	}
}

func TestLimitsAndOutage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for i := range 5 {
		in := validInput
		in.Phone = fmt.Sprintf("+7916000000%d", i)
		if _, err := f.svc.Start(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	// Per phone: the 6th code to one phone within the hour is refused.
	for i := range 5 {
		_, err := f.svc.Start(ctx, validInput)
		if i < 5 && err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Start(ctx, validInput); codeOf(err) != apperr.TooManyRequests {
		t.Fatalf("per-phone limit: %v", err)
	}
	// Per IP: 20 per hour from one address.
	g := newFixture(t)
	var err error
	for i := range 21 {
		in := validInput
		in.Phone = fmt.Sprintf("+791600001%02d", i)
		_, err = g.svc.Start(ctx, in)
	}
	if codeOf(err) != apperr.TooManyRequests {
		t.Fatalf("per-IP limit: %v", err)
	}
	// Queue down: 503, the caller may retry.
	h := newFixture(t)
	h.outbox.err = errors.New("sqs down")
	if _, err := h.svc.Start(ctx, validInput); codeOf(err) != apperr.Unavailable {
		t.Fatalf("outbox down: %v", err)
	}
}
