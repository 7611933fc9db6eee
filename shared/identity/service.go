package identity

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/identity/access"
	"github.com/kabinet/kabinet/shared/phone"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
	"github.com/kabinet/kabinet/shared/sms"
)

// Limiter enforces rate limits (an apperr TooManyRequests error past a limit).
type Limiter interface {
	Allow(ctx context.Context, rule ratelimit.Rule, key string) error
}

// Outbox queues SMS.
type Outbox interface {
	Send(ctx context.Context, m sms.Message) error
}

// CodeHasher hashes one-time codes.
type CodeHasher interface {
	Hash(subject, code string) string
	Verify(subject, code, stored string) bool
}

// Passwords hashes and verifies passwords (argon2id in production).
type Passwords struct {
	Hash   func(string) (string, error)
	Verify func(pw, hash string) (bool, error)
}

// Policy holds the numbers of logins and codes.
type Policy struct {
	LockAfter     int           // failed logins before the first lock
	FirstLock     time.Duration // doubled with each further failure
	MaxLock       time.Duration
	CodeTTL       time.Duration
	ResendAfter   time.Duration
	MaxAttempts   int
	ChallengeTTL  time.Duration
	LoginPerLogin ratelimit.Rule
	LoginPerIP    ratelimit.Rule
	LoginPerOrg   ratelimit.Rule
	CodesPerPhone ratelimit.Rule
	CodesPerIP    ratelimit.Rule
	CodesPerOrg   ratelimit.Rule
}

// DefaultPolicy is the production policy. The SMS rules share their names with onboarding's,
// so one phone's and one address's SMS budget covers every flow.
var DefaultPolicy = Policy{
	LockAfter: 5, FirstLock: time.Minute, MaxLock: time.Hour,
	CodeTTL: 10 * time.Minute, ResendAfter: 3 * time.Minute, MaxAttempts: 5, ChallengeTTL: time.Hour,
	LoginPerLogin: ratelimit.Rule{Name: "login-id", Limit: 20, Window: 15 * time.Minute, Message: "too many login attempts for this login, try again later"},
	LoginPerIP:    ratelimit.Rule{Name: "login-ip", Limit: 100, Window: 15 * time.Minute, Message: "too many login attempts from this address, try again later"},
	LoginPerOrg:   ratelimit.Rule{Name: "login-org", Limit: 2000, Window: 15 * time.Minute, Message: "too many login attempts for your organisation, try again later"},
	CodesPerPhone: ratelimit.Rule{Name: "sms-phone", Limit: 5, Window: time.Hour, Message: "too many codes sent to this phone, try again later"},
	CodesPerIP:    ratelimit.Rule{Name: "sms-ip", Limit: 20, Window: time.Hour, Message: "too many codes requested from this address, try again later"},
	CodesPerOrg:   ratelimit.Rule{Name: "sms-org", Limit: 200, Window: time.Hour, Message: "too many codes sent to your organisation's users, try again later"},
}

// Service runs logins, sessions and password flows.
type Service struct {
	Store     Store
	Tokens    *access.Tokens
	Passwords Passwords
	Codes     CodeHasher
	Outbox    Outbox
	Limits    Limiter
	NewCode   func() (string, error)
	Now       func() time.Time
	Policy    Policy
	// dummyHash is verified against when a login is unknown, so timing does not tell.
	DummyHash string
	// DenyOrgKinds are organisations whose users may not log in here (bank staff use the
	// back office, not the client API).
	DenyOrgKinds []OrgKind
	// Allowlist, when set, refuses logins from addresses outside the organisation's IP
	// allowlist (D6); IPAlerts, when set, is told of each such refusal. Nil: no check.
	Allowlist IPAllowlist
	IPAlerts  IPAlerter
	// LoggedIn, when set, is told of each successful login (the bank's client report keeps
	// the last one, E10); its failure is logged and does not fail the login.
	LoggedIn func(ctx context.Context, u User, at time.Time) error
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Issued is a pair of tokens for one session.
type Issued struct {
	AccessToken        string
	AccessExpires      time.Time
	RefreshToken       string
	UserID             string
	MustChangePassword bool
	Limited            string
}

var errBadLogin = apperr.New(apperr.Unauthorized, "wrong login or password")

// NormalizeLogin turns what a user types as a login into the stored form: a phone number in
// E.164, or a lower-case e-mail.
func NormalizeLogin(login string) string {
	login = strings.TrimSpace(login)
	if strings.Contains(login, "@") {
		return strings.ToLower(login)
	}
	if p, err := phone.Normalize(login); err == nil {
		return p
	}
	return strings.ToLower(login)
}

// Login checks a login and password and opens a session.
func (s *Service) Login(ctx context.Context, login, password, ip string) (Issued, error) {
	login = NormalizeLogin(login)
	if login == "" || password == "" {
		f := apperr.Fields{}
		f.Check(login != "", "login", "required")
		f.Check(password != "", "password", "required")
		return Issued{}, f.Err()
	}
	if err := s.Limits.Allow(ctx, s.Policy.LoginPerIP, ip); err != nil {
		return Issued{}, err
	}
	if err := s.Limits.Allow(ctx, s.Policy.LoginPerLogin, login); err != nil {
		return Issued{}, err
	}
	u, err := s.Store.UserByLogin(ctx, login)
	if errors.Is(err, ErrNotFound) {
		_, _ = s.Passwords.Verify(password, s.DummyHash)
		return Issued{}, errBadLogin
	}
	if err != nil {
		return Issued{}, fmt.Errorf("find user: %w", err)
	}
	if err := s.Limits.Allow(ctx, s.Policy.LoginPerOrg, u.OrgID); err != nil {
		return Issued{}, err
	}
	now := s.now()
	if wait := u.LockedUntil.Sub(now); wait > 0 {
		return Issued{}, apperr.TooMany("too many failed logins; the account is locked for a while", wait)
	}
	ok, err := s.Passwords.Verify(password, u.PasswordHash)
	if err != nil {
		return Issued{}, fmt.Errorf("verify password: %w", err)
	}
	if !ok {
		failures := u.FailedLogins + 1
		var until time.Time
		if failures >= s.Policy.LockAfter {
			lock := s.Policy.FirstLock << min(failures-s.Policy.LockAfter, 16)
			until = now.Add(min(lock, s.Policy.MaxLock))
		}
		if err := s.Store.RecordLoginFailure(ctx, u.ID, failures, until); err != nil {
			return Issued{}, err
		}
		s.audit(ctx, AuditEntry{OrgID: u.OrgID, Action: "login_failed", Target: u.ID, IP: ip})
		return Issued{}, errBadLogin
	}
	if err := s.checkIP(ctx, u, login, ip); err != nil {
		return Issued{}, err
	}
	return s.open(ctx, u, ip, "login")
}

// open checks that u may log in and starts a session.
func (s *Service) open(ctx context.Context, u User, ip, how string) (Issued, error) {
	switch u.Status {
	case StatusBlocked:
		return Issued{}, apperr.New(apperr.Forbidden, "the user is blocked")
	case StatusRefused:
		return Issued{}, apperr.New(apperr.Forbidden, "the user has refused the invitation")
	}
	if len(s.DenyOrgKinds) > 0 {
		org, err := s.Store.Org(ctx, u.OrgID)
		if err != nil {
			return Issued{}, fmt.Errorf("read organisation: %w", err)
		}
		if slices.Contains(s.DenyOrgKinds, org.Kind) {
			return Issued{}, apperr.New(apperr.Forbidden, "this account logs in to the back office")
		}
	}
	if u.FailedLogins > 0 || u.Status == StatusAwaitingConfirmation {
		if err := s.Store.RecordLoginSuccess(ctx, u.ID, u.Status == StatusAwaitingConfirmation); err != nil {
			return Issued{}, err
		}
	}
	now := s.now()
	sess := Session{ID: ulid.Make().String(), UserID: u.ID, OrgID: u.OrgID, Epoch: u.SessionEpoch, IP: ip,
		CreatedAt: now, RefreshedAt: now, ExpiresAt: now.Add(SessionTTL)}
	refresh, hash, err := access.NewRefresh(sess.ID)
	if err != nil {
		return Issued{}, err
	}
	sess.CurrentHash = hash
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return Issued{}, fmt.Errorf("create session: %w", err)
	}
	if s.LoggedIn != nil {
		if err := s.LoggedIn(ctx, u, now); err != nil {
			slog.ErrorContext(ctx, "last login not recorded", "userId", u.ID, "error", err.Error())
		}
	}
	s.audit(ctx, AuditEntry{OrgID: u.OrgID, Action: how, Actor: u.ID, Target: u.ID, IP: ip})
	return s.issue(u, sess.ID, refresh)
}

func (s *Service) issue(u User, sessionID, refresh string) (Issued, error) {
	lim := access.LimitedReason(u.MustChangePassword, u.Status)
	tok, exp, err := s.Tokens.Sign(access.Access{UserID: u.ID, OrgID: u.OrgID, SessionID: sessionID, Role: string(u.Role), Epoch: u.SessionEpoch, Limited: lim})
	if err != nil {
		return Issued{}, err
	}
	return Issued{AccessToken: tok, AccessExpires: exp, RefreshToken: refresh, UserID: u.ID, MustChangePassword: u.MustChangePassword, Limited: lim}, nil
}

var errBadRefresh = apperr.New(apperr.Unauthorized, "the refresh token is not valid; log in again")

// Refresh exchanges a refresh token for new tokens. Each refresh token works once: presenting
// one already used means it was stolen or replayed, and the whole session ends.
func (s *Service) Refresh(ctx context.Context, token, ip string) (Issued, error) {
	sid, hash, ok := access.SplitRefresh(token)
	if !ok {
		return Issued{}, errBadRefresh
	}
	sess, err := s.Store.Session(ctx, sid)
	if errors.Is(err, ErrNotFound) {
		return Issued{}, errBadRefresh
	}
	if err != nil {
		return Issued{}, err
	}
	now := s.now()
	if sess.Revoked != "" || !now.Before(sess.ExpiresAt) {
		return Issued{}, errBadRefresh
	}
	if subtle.ConstantTimeCompare([]byte(hash), []byte(sess.CurrentHash)) != 1 {
		for _, used := range sess.UsedHashes {
			if subtle.ConstantTimeCompare([]byte(hash), []byte(used)) == 1 {
				if err := s.Store.RevokeSession(ctx, sid, "refresh token reused"); err != nil {
					return Issued{}, err
				}
				slog.WarnContext(ctx, "refresh token reuse: session revoked", "sessionId", sid, "userId", sess.UserID, "ip", ip)
				s.audit(ctx, AuditEntry{OrgID: sess.OrgID, Action: "refresh_reuse", Target: sess.UserID, IP: ip, Detail: "session " + sid + " revoked"})
				return Issued{}, errBadRefresh
			}
		}
		return Issued{}, errBadRefresh
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return Issued{}, err
	}
	if u.SessionEpoch != sess.Epoch || u.Status == StatusBlocked || u.Status == StatusRefused {
		_ = s.Store.RevokeSession(ctx, sid, "ended for the user")
		return Issued{}, errBadRefresh
	}
	if err := s.checkIP(ctx, u, u.Login, ip); err != nil { // the allowlist holds for refreshes too (D6)
		return Issued{}, err
	}
	refresh, newHash, err := access.NewRefresh(sid)
	if err != nil {
		return Issued{}, err
	}
	if err := s.Store.RotateSession(ctx, sid, hash, newHash, now); err != nil {
		if errors.Is(err, ErrStale) { // a concurrent refresh with the same token won
			return Issued{}, errBadRefresh
		}
		return Issued{}, err
	}
	return s.issue(u, sid, refresh)
}

// Logout ends the caller's session.
func (s *Service) Logout(ctx context.Context, a access.Access, ip string) error {
	if err := s.Store.RevokeSession(ctx, a.SessionID, "logout"); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{OrgID: a.OrgID, Action: "logout", Actor: a.UserID, Target: a.UserID, IP: ip})
	return nil
}

func (s *Service) audit(ctx context.Context, e AuditEntry) {
	if e.OrgID == "" {
		return
	}
	e.ID = ulid.Make().String()
	e.At = s.now()
	if err := s.Store.Audit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit entry lost", "action", e.Action, "error", err.Error())
	}
}
