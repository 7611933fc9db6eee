package backoffice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/access"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// Service runs the back office's logins and staff queries. Identity checks passwords (with its
// lockout and rate limits) and keeps users and sessions.
type Service struct {
	Identity *identity.Service
	Store    Store
	Now      func() time.Time
	// SavedFilter reads a user's saved list filter (seed 004 saveFilter: shared/banklist),
	// the JSON of its filter object or nil, shown as filterSettings; nil shows {}.
	SavedFilter func(ctx context.Context, userID string) ([]byte, error)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var errBadLogin = apperr.New(apperr.Unauthorized, "wrong login or password")

// member returns a bank user with its profile; identity.ErrNotFound when the user is not one.
func (s *Service) member(ctx context.Context, u identity.User) (Member, error) {
	bank, err := s.Store.BankOrg(ctx)
	if err != nil {
		return Member{}, err
	}
	if u.OrgID != bank {
		return Member{}, identity.ErrNotFound
	}
	p, err := s.Store.Profile(ctx, u.ID)
	if err != nil {
		return Member{}, err
	}
	return Member{User: u, Profile: p}, nil
}

// Member returns the bank user with id userID (identity.ErrNotFound when it is not one).
func (s *Service) Member(ctx context.Context, userID string) (Member, error) {
	u, err := s.Identity.Store.User(ctx, userID)
	if err != nil {
		return Member{}, err
	}
	return s.member(ctx, u)
}

// Login checks a bank user's username and password and opens a session; it returns the
// value of the session cookie. Identity's lockout, rate limits and audit apply. Anyone who is
// not a bank user gets exactly the answer of an unknown login.
func (s *Service) Login(ctx context.Context, username, password, ip string) (string, Member, error) {
	f := apperr.Fields{}
	f.Check(strings.TrimSpace(username) != "", "username", "required")
	f.Check(password != "", "password", "required")
	if err := f.Err(); err != nil {
		return "", Member{}, err
	}
	login := identity.NormalizeLogin(username)
	u, err := s.Identity.Store.UserByLogin(ctx, login)
	var m Member
	if err == nil {
		m, err = s.member(ctx, u)
	}
	if errors.Is(err, identity.ErrNotFound) { // unknown, or not staff of the bank: as identity answers an unknown login
		pol := s.Identity.Policy
		if err := s.Identity.Limits.Allow(ctx, pol.LoginPerIP, ip); err != nil {
			return "", Member{}, err
		}
		if err := s.Identity.Limits.Allow(ctx, pol.LoginPerLogin, login); err != nil {
			return "", Member{}, err
		}
		_, _ = s.Identity.Passwords.Verify(password, s.Identity.DummyHash)
		return "", Member{}, errBadLogin
	}
	if err != nil {
		return "", Member{}, err
	}
	issued, err := s.Identity.Login(ctx, username, password, ip)
	if err != nil {
		return "", Member{}, err
	}
	sid, oldHash, ok := access.SplitRefresh(issued.RefreshToken)
	if !ok {
		return "", Member{}, errors.New("identity issued a malformed refresh token")
	}
	cookie, hash, err := boauth.NewCookie(sid, issued.UserID)
	if err != nil {
		return "", Member{}, err
	}
	if err := s.Store.BindSession(ctx, sid, oldHash, hash, s.now().Add(boauth.SessionTTL)); err != nil {
		return "", Member{}, fmt.Errorf("bind session: %w", err)
	}
	if m.User, err = s.Identity.Store.User(ctx, issued.UserID); err != nil {
		return "", Member{}, err
	}
	return cookie, m, nil
}

// Logout ends the caller's session (an API-key call has none: nothing to end).
func (s *Service) Logout(ctx context.Context, p httpapi.Principal, ip string) error {
	if p.Session == "" {
		return nil
	}
	return s.Identity.Logout(ctx, access.Access{UserID: p.Subject, OrgID: p.Org, SessionID: p.Session}, ip)
}

// List returns the bank's active users that pick accepts, by name.
func (s *Service) List(ctx context.Context, pick func(Member) bool) ([]Member, error) {
	bank, err := s.Store.BankOrg(ctx)
	if errors.Is(err, identity.ErrNotFound) {
		return nil, nil // no bank yet, no staff
	}
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Members(ctx, bank)
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(all))
	for _, m := range all {
		if m.Active() && (pick == nil || pick(m)) {
			out = append(out, m)
		}
	}
	return out, nil
}

// SetActiveRole makes role the caller's active role; 404 when the caller does not hold it.
func (s *Service) SetActiveRole(ctx context.Context, p httpapi.Principal, role RoleID, ip string) (Member, error) {
	if err := s.Store.SetActiveRole(ctx, p.Subject, role); errors.Is(err, identity.ErrNotFound) {
		return Member{}, apperr.Newf(apperr.NotFound, "the user does not have role %d", role)
	} else if err != nil {
		return Member{}, err
	}
	s.audit(ctx, identity.AuditEntry{OrgID: p.Org, Action: "active_role_changed", Actor: p.Subject, Target: p.Subject, IP: ip, Detail: Roles[role].Name})
	return s.Member(ctx, p.Subject)
}

// FirstLogin replaces the caller's temporary password (POST /api/lkbuser/firstlogin). Every
// session of the user ends; a caller with a session gets a new one, whose cookie it returns.
func (s *Service) FirstLogin(ctx context.Context, p httpapi.Principal, userID, value, ip string) (string, Member, error) {
	if userID != "" && userID != p.Subject {
		return "", Member{}, apperr.New(apperr.Forbidden, "userid must be the caller's own id: a user sets only its own first password")
	}
	m, err := s.Member(ctx, p.Subject)
	if err != nil {
		return "", Member{}, err
	}
	if !m.User.MustChangePassword {
		return "", Member{}, apperr.New(apperr.Forbidden, "the password is not temporary: firstlogin replaces only the temporary password")
	}
	if err := identity.CheckNewPassword(value, value, m.User.Phone); err != nil {
		return "", Member{}, apperr.InvalidField("value", "the password must be "+identity.PasswordRules)
	}
	if same, _ := s.Identity.Passwords.Verify(value, m.User.PasswordHash); same {
		return "", Member{}, apperr.InvalidField("value", "the new password must differ from the temporary one")
	}
	hash, err := s.Identity.Passwords.Hash(value)
	if err != nil {
		return "", Member{}, err
	}
	epoch, err := s.Identity.Store.SetPassword(ctx, m.User.ID, hash)
	if err != nil {
		return "", Member{}, err
	}
	s.audit(ctx, identity.AuditEntry{OrgID: m.User.OrgID, Action: "password_changed", Actor: m.User.ID, Target: m.User.ID, IP: ip, Detail: "first login"})
	cookie := ""
	if p.Session != "" {
		now := s.now()
		sess := identity.Session{ID: ulid.Make().String(), UserID: m.User.ID, OrgID: m.User.OrgID, Epoch: epoch, IP: ip,
			CreatedAt: now, RefreshedAt: now, ExpiresAt: now.Add(boauth.SessionTTL)}
		if cookie, sess.CurrentHash, err = boauth.NewCookie(sess.ID, m.User.ID); err != nil {
			return "", Member{}, err
		}
		if err := s.Identity.Store.CreateSession(ctx, sess); err != nil {
			return "", Member{}, fmt.Errorf("create session: %w", err)
		}
		s.audit(ctx, identity.AuditEntry{OrgID: m.User.OrgID, Action: "login_after_password_change", Actor: m.User.ID, Target: m.User.ID, IP: ip})
	}
	m, err = s.Member(ctx, m.User.ID)
	return cookie, m, err
}

func (s *Service) audit(ctx context.Context, e identity.AuditEntry) {
	if e.OrgID == "" {
		return
	}
	e.ID = ulid.Make().String()
	e.At = s.now()
	if err := s.Identity.Store.Audit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit entry lost", "action", e.Action, "error", err.Error())
	}
}
