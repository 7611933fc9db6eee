// Package abssettings keeps the core-banking (ABS) integration's settings the bank's
// administrator edits in the back office (E13; seed 004: the "dynamic fields" of each call,
// "настраиваются в личном кабинете администратора, раздел Интеграция с АБС", and the
// auto-reject switch): GET / PUT /v1/abs-settings on the back-office API, role Administrator.
//
// The settings are one versioned document (abssettingsdb, optimistic locking: a PUT carries the
// version it read, a stale one is a 409), with who saved it and when. Until first saved the
// defaults are what the environment gives (Defaults under the template's AbsUrl), so nothing
// needs provisioning.
//
// Source is the abs.SettingsSource the ABS consumer (functions/abs/abs-caller) and the review
// flow read: the stored settings, cached per Lambda container for TTL (30 s in the functions).
// An edit therefore takes effect within that time of its save; a container that cannot read the
// store keeps no stale copy (the call is retried, the review flow answers an error).
package abssettings

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Stored is the settings document: the settings, its version (0 for the defaults, never
// saved) and the audit of its last save.
type Stored struct {
	Version   int64
	Settings  abs.Settings
	UpdatedAt time.Time
	UpdatedBy string // the bank user's id
}

// Store keeps the document.
type Store interface {
	// Get returns the saved document, or ok false when none was ever saved.
	Get(ctx context.Context) (st Stored, ok bool, err error)
	// Put saves st when the saved version is st.Version-1 (none saved when that is 0);
	// otherwise an apperr.Conflict.
	Put(ctx context.Context, st Stored) error
}

// Defaults are the settings until the administrator first saves: abs.DefaultSettings under
// baseURL (the template's AbsUrl), or, when the integration has no address, every call
// disabled (the steps are done by hand) with the seed's keys.
func Defaults(baseURL string) abs.Settings {
	if strings.TrimSpace(baseURL) != "" {
		return abs.DefaultSettings(baseURL)
	}
	off := abs.DefaultEndpoint("")
	off.Enabled = false
	return abs.Settings{InitialCheck: off, NewClient: off, OpenAccount: off, DeleteClient: off}
}

// Service reads and saves the settings.
type Service struct {
	Store    Store
	Defaults abs.Settings
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Get returns the saved settings, or the defaults (version 0).
func (s *Service) Get(ctx context.Context) (Stored, error) {
	st, ok, err := s.Store.Get(ctx)
	if err != nil {
		return Stored{}, err
	}
	if !ok {
		return Stored{Settings: s.Defaults}, nil
	}
	return st, nil
}

// Save replaces the settings when version is the current one (0 while the defaults are in
// use): 400 with the invalid fields, 409 when another save came first.
func (s *Service) Save(ctx context.Context, userID string, version int64, settings abs.Settings) (Stored, error) {
	if version < 0 {
		return Stored{}, apperr.InvalidField("version", "must not be negative")
	}
	for _, k := range abs.Kinds { // stored as they will be compared: trimmed
		e := endpoint(&settings, k)
		e.URL = strings.TrimSpace(e.URL)
		e.SuccessKey, e.ErrorKey, e.CommentKey = strings.TrimSpace(e.SuccessKey), strings.TrimSpace(e.ErrorKey), strings.TrimSpace(e.CommentKey)
		e.DateFromKey, e.DateToKey = strings.TrimSpace(e.DateFromKey), strings.TrimSpace(e.DateToKey)
	}
	if err := settings.Validate(); err != nil {
		return Stored{}, err
	}
	st := Stored{Version: version + 1, Settings: settings, UpdatedAt: s.now(), UpdatedBy: userID}
	if err := s.Store.Put(ctx, st); err != nil {
		return Stored{}, err
	}
	return st, nil
}

func endpoint(s *abs.Settings, k abs.Kind) *abs.Endpoint {
	switch k {
	case abs.InitialCheck:
		return &s.InitialCheck
	case abs.NewClient:
		return &s.NewClient
	case abs.OpenAccount:
		return &s.OpenAccount
	}
	return &s.DeleteClient
}

// DefaultTTL is how long a container keeps the settings it read: an administrator's edit takes
// effect within it.
const DefaultTTL = 30 * time.Second

// Source is the stored settings as an abs.SettingsSource, cached for TTL (0: read at every
// call, as tests do).
type Source struct {
	Service *Service
	TTL     time.Duration

	mu   sync.Mutex
	at   time.Time
	have bool
	last abs.Settings
}

var _ abs.SettingsSource = (*Source)(nil)

// Settings returns the cached settings while fresh, else reads them again.
func (s *Source) Settings(ctx context.Context) (abs.Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.have && s.TTL > 0 && time.Since(s.at) < s.TTL {
		return s.last, nil
	}
	st, err := s.Service.Get(ctx)
	if err != nil {
		return abs.Settings{}, err
	}
	s.last, s.at, s.have = st.Settings, time.Now(), true
	return s.last, nil
}
