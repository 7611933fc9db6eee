package abssettings_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/abssettings"
)

// memStore is a Store in memory that counts its reads.
type memStore struct {
	st    abssettings.Stored
	saved bool
	reads int
	err   error
}

func (m *memStore) Get(context.Context) (abssettings.Stored, bool, error) {
	m.reads++
	return m.st, m.saved, m.err
}

func (m *memStore) Put(_ context.Context, st abssettings.Stored) error {
	m.st, m.saved = st, true
	return nil
}

func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, base string
		enabled    bool
	}{
		{name: "an address", base: "https://abs.bank.example/", enabled: true},
		{name: "no address: every call off", base: " "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := abssettings.Defaults(tc.base)
			for _, k := range abs.Kinds {
				if e := s.For(k); e.Enabled != tc.enabled || e.SuccessKey != abs.RCKey || e.ErrorValue != abs.RCError {
					t.Fatalf("%s: %+v", k, e)
				}
			}
			if s.AutoReject {
				t.Fatal("auto-reject on by default")
			}
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
	if got := abssettings.Defaults("https://abs.bank.example/").NewClient.URL; got != "https://abs.bank.example/api/reservationInvoice" {
		t.Fatal(got)
	}
}

// The source keeps what it read for its TTL, then reads again; TTL 0 reads every time; a
// failed read is an error, not stale settings.
func TestSourceCache(t *testing.T) {
	ctx := context.Background()
	store := &memStore{}
	svc := &abssettings.Service{Store: store, Defaults: abssettings.Defaults("https://abs.bank.example")}
	cached := &abssettings.Source{Service: svc, TTL: 50 * time.Millisecond}
	uncached := &abssettings.Source{Service: svc}

	if s, err := cached.Settings(ctx); err != nil || s != svc.Defaults {
		t.Fatalf("defaults: %+v %v", s, err)
	}
	edited := svc.Defaults
	edited.AutoReject = true
	if _, err := svc.Save(ctx, "admin", 0, edited); err != nil {
		t.Fatal(err)
	}
	if s, _ := cached.Settings(ctx); s.AutoReject || store.reads != 1 { // the cache still holds the defaults
		t.Fatalf("within the TTL: %+v, %d reads", s, store.reads)
	}
	if s, _ := uncached.Settings(ctx); !s.AutoReject {
		t.Fatal("TTL 0 read a stale copy")
	}
	time.Sleep(60 * time.Millisecond)
	if s, _ := cached.Settings(ctx); !s.AutoReject {
		t.Fatal("after the TTL: still the old settings")
	}
	store.err = errors.New("table unavailable")
	time.Sleep(60 * time.Millisecond)
	if _, err := cached.Settings(ctx); err == nil {
		t.Fatal("a failed read answered settings")
	}
}

// Save validates (400 with the fields), trims, refuses a negative version, and keeps who and when.
func TestSave(t *testing.T) {
	ctx := context.Background()
	store := &memStore{}
	now := time.Date(2026, 11, 26, 3, 40, 0, 0, time.UTC)
	svc := &abssettings.Service{Store: store, Defaults: abssettings.Defaults(""), Now: func() time.Time { return now }}
	s := abssettings.Defaults("https://abs.bank.example")
	s.OpenAccount.URL = " https://abs.bank.example/open "
	st, err := svc.Save(ctx, "01KADMIN", 0, s)
	if err != nil || st.Version != 1 || st.UpdatedBy != "01KADMIN" || !st.UpdatedAt.Equal(now) || st.Settings.OpenAccount.URL != "https://abs.bank.example/open" {
		t.Fatalf("saved %+v %v", st, err)
	}
	if _, err := svc.Save(ctx, "01KADMIN", -1, s); err == nil {
		t.Fatal("a negative version saved")
	}
	s.NewClient.URL = "abs.bank.example"
	if _, err := svc.Save(ctx, "01KADMIN", 1, s); err == nil || store.st.Version != 1 {
		t.Fatalf("an invalid URL saved: %v", err)
	}
}
