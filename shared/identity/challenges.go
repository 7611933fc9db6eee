package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/otp"
	"github.com/kabinet/kabinet/shared/phone"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/sms"
)

// Sent tells the client which challenge to confirm and when it may ask for another code.
type Sent struct {
	ChallengeID   string
	ResendAfter   time.Duration
	CodeExpiresIn time.Duration
}

var smsText = map[string]string{
	PurposeLogin:          "Код для входа в личный кабинет: %s. Никому не сообщайте его.",
	PurposeRecovery:       "Код для восстановления пароля: %s. Никому не сообщайте его.",
	PurposePasswordChange: "Код для смены пароля: %s. Никому не сообщайте его.",
}

// StartPhoneLogin sends a login code to a phone (B1, C11). A phone without an account gets
// the same answer and no SMS, so the endpoint does not tell which phones have accounts.
func (s *Service) StartPhoneLogin(ctx context.Context, rawPhone, ip string) (Sent, error) {
	ph, err := phone.Normalize(rawPhone)
	if err != nil {
		return Sent{}, apperr.InvalidField("phone", "must be a valid phone number, e.g. +79161234567")
	}
	return s.startChallenge(ctx, PurposeLogin, ph, "", ip)
}

// StartRecovery checks the new password and sends a code to confirm it (A3).
func (s *Service) StartRecovery(ctx context.Context, rawPhone, newPassword, repeat, ip string) (Sent, error) {
	ph, err := phone.Normalize(rawPhone)
	if err != nil {
		return Sent{}, apperr.InvalidField("phone", "must be a valid phone number, e.g. +79161234567")
	}
	if err := CheckNewPassword(newPassword, repeat, ph); err != nil {
		return Sent{}, err
	}
	return s.startChallenge(ctx, PurposeRecovery, ph, newPassword, ip)
}

// StartPasswordChange checks the new password and sends a code to the caller's phone (A4).
func (s *Service) StartPasswordChange(ctx context.Context, u User, newPassword, repeat, ip string) (Sent, error) {
	if err := CheckNewPassword(newPassword, repeat, u.Phone); err != nil {
		return Sent{}, err
	}
	if u.Phone == "" {
		return Sent{}, apperr.New(apperr.Conflict, "the user has no phone number to confirm the change")
	}
	return s.startChallenge(ctx, PurposePasswordChange, u.Phone, newPassword, ip)
}

func (s *Service) startChallenge(ctx context.Context, purpose, ph, newPassword, ip string) (Sent, error) {
	if err := s.Limits.Allow(ctx, s.Policy.CodesPerPhone, ph); err != nil {
		return Sent{}, err
	}
	if err := s.Limits.Allow(ctx, s.Policy.CodesPerIP, ip); err != nil {
		return Sent{}, err
	}
	now := s.now()
	c := Challenge{ID: ulid.Make().String(), Purpose: purpose, Phone: ph, IP: ip, CreatedAt: now, ExpiresAt: now.Add(s.Policy.ChallengeTTL)}
	u, err := s.Store.UserByLogin(ctx, ph)
	switch {
	case err == nil && u.Status != StatusBlocked && u.Status != StatusRefused:
		c.UserID = u.ID
		if err := s.Limits.Allow(ctx, s.Policy.CodesPerOrg, u.OrgID); err != nil {
			return Sent{}, err
		}
	case err != nil && !errors.Is(err, ErrNotFound):
		return Sent{}, fmt.Errorf("find user: %w", err)
	}
	if c.UserID != "" && newPassword != "" {
		if c.NewPasswordHash, err = s.Passwords.Hash(newPassword); err != nil {
			return Sent{}, err
		}
	}
	code, err := s.issueCode(&c, now)
	if err != nil {
		return Sent{}, err
	}
	if err := s.Store.CreateChallenge(ctx, c); err != nil {
		return Sent{}, fmt.Errorf("create challenge: %w", err)
	}
	if err := s.sendCode(ctx, c, code); err != nil {
		return Sent{}, err
	}
	return Sent{ChallengeID: c.ID, ResendAfter: s.Policy.ResendAfter, CodeExpiresIn: s.Policy.CodeTTL}, nil
}

// Resend sends a new code for a challenge once ResendAfter has passed; the old code stops working.
func (s *Service) Resend(ctx context.Context, id, ip string) (Sent, error) {
	c, err := s.challenge(ctx, id)
	if err != nil {
		return Sent{}, err
	}
	now := s.now()
	if wait := c.SentAt.Add(s.Policy.ResendAfter).Sub(now); wait > 0 {
		return Sent{}, apperr.TooMany("a new code can be requested once the wait is over", wait)
	}
	if err := s.Limits.Allow(ctx, s.Policy.CodesPerPhone, c.Phone); err != nil {
		return Sent{}, err
	}
	if err := s.Limits.Allow(ctx, s.Policy.CodesPerIP, ip); err != nil {
		return Sent{}, err
	}
	code, err := s.issueCode(&c, now)
	if err != nil {
		return Sent{}, err
	}
	if err := s.Store.SaveChallenge(ctx, c); err != nil {
		if errors.Is(err, ErrStale) {
			return Sent{}, apperr.New(apperr.Conflict, "the request changed meanwhile, try again")
		}
		return Sent{}, err
	}
	if err := s.sendCode(ctx, c, code); err != nil {
		return Sent{}, err
	}
	return Sent{ChallengeID: c.ID, ResendAfter: s.Policy.ResendAfter, CodeExpiresIn: s.Policy.CodeTTL}, nil
}

// ConfirmPhoneLogin checks a login code and opens a session.
func (s *Service) ConfirmPhoneLogin(ctx context.Context, id, code, ip string) (Issued, error) {
	c, err := s.confirm(ctx, id, PurposeLogin, code)
	if err != nil {
		return Issued{}, err
	}
	u, err := s.Store.User(ctx, c.UserID)
	if err != nil {
		return Issued{}, err
	}
	if err := s.checkIP(ctx, u, u.Login, ip); err != nil {
		return Issued{}, err
	}
	return s.open(ctx, u, ip, "login_by_code")
}

// ConfirmRecovery checks the code and sets the new password; every session of the user ends.
func (s *Service) ConfirmRecovery(ctx context.Context, id, code, ip string) error {
	c, err := s.confirm(ctx, id, PurposeRecovery, code)
	if err != nil {
		return err
	}
	u, err := s.Store.User(ctx, c.UserID)
	if err != nil {
		return err
	}
	if _, err := s.Store.SetPassword(ctx, u.ID, c.NewPasswordHash); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{OrgID: u.OrgID, Action: "password_recovered", Actor: u.ID, Target: u.ID, IP: ip})
	return nil
}

// ConfirmPasswordChange checks the code, sets the new password, ends every session of the
// user and opens a new one for the caller.
func (s *Service) ConfirmPasswordChange(ctx context.Context, u User, id, code, ip string) (Issued, error) {
	c, err := s.challenge(ctx, id)
	if err != nil {
		return Issued{}, err
	}
	if c.UserID != u.ID {
		return Issued{}, apperr.New(apperr.NotFound, "confirmation not found")
	}
	if _, err := s.confirm(ctx, id, PurposePasswordChange, code); err != nil {
		return Issued{}, err
	}
	epoch, err := s.Store.SetPassword(ctx, u.ID, c.NewPasswordHash)
	if err != nil {
		return Issued{}, err
	}
	s.audit(ctx, AuditEntry{OrgID: u.OrgID, Action: "password_changed", Actor: u.ID, Target: u.ID, IP: ip})
	u.SessionEpoch, u.MustChangePassword, u.PasswordHash = epoch, false, c.NewPasswordHash
	return s.open(ctx, u, ip, "login_after_password_change")
}

// confirm checks code against challenge id of purpose and marks it done (single use). Each
// wrong code counts; after MaxAttempts the code is void.
func (s *Service) confirm(ctx context.Context, id, purpose, code string) (Challenge, error) {
	code = strings.TrimSpace(code)
	if len(code) != otp.Digits || strings.Trim(code, "0123456789") != "" {
		return Challenge{}, apperr.InvalidField("code", fmt.Sprintf("must be %d digits", otp.Digits))
	}
	for range 3 {
		c, err := s.challenge(ctx, id)
		if err != nil {
			return Challenge{}, err
		}
		if c.Purpose != purpose {
			return Challenge{}, apperr.New(apperr.NotFound, "confirmation not found")
		}
		now := s.now()
		switch {
		case c.Done:
			return Challenge{}, apperr.New(apperr.Conflict, "this code has already been used")
		case c.CodeHash == "" || c.Attempts >= s.Policy.MaxAttempts:
			return Challenge{}, apperr.InvalidField("code", "this code no longer works; request a new one")
		case !now.Before(c.CodeUntil):
			return Challenge{}, apperr.InvalidField("code", "the code has expired; request a new one")
		}
		if c.UserID == "" || !s.Codes.Verify(c.ID, code, c.CodeHash) {
			c.Attempts++
			if c.Attempts >= s.Policy.MaxAttempts {
				c.CodeHash = ""
			}
			if err := s.Store.SaveChallenge(ctx, c); errors.Is(err, ErrStale) {
				continue
			} else if err != nil {
				return Challenge{}, err
			}
			if left := s.Policy.MaxAttempts - c.Attempts; left > 0 {
				return Challenge{}, apperr.InvalidField("code", fmt.Sprintf("wrong code; %d attempts left", left))
			}
			return Challenge{}, apperr.InvalidField("code", "wrong code; no attempts left, request a new one")
		}
		c.Done, c.CodeHash = true, ""
		if err := s.Store.SaveChallenge(ctx, c); errors.Is(err, ErrStale) {
			continue
		} else if err != nil {
			return Challenge{}, err
		}
		return c, nil
	}
	return Challenge{}, apperr.New(apperr.Conflict, "the request changed meanwhile, try again")
}

func (s *Service) challenge(ctx context.Context, id string) (Challenge, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Challenge{}, apperr.New(apperr.NotFound, "confirmation not found")
	}
	c, err := s.Store.Challenge(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Challenge{}, apperr.New(apperr.NotFound, "confirmation not found")
	}
	return c, err
}

func (s *Service) issueCode(c *Challenge, now time.Time) (string, error) {
	gen := s.NewCode
	if gen == nil {
		gen = otp.Generate
	}
	code, err := gen()
	if err != nil {
		return "", err
	}
	if c.UserID != "" {
		c.CodeHash = s.Codes.Hash(c.ID, code)
	} else {
		c.CodeHash = "decoy" // never matches: confirm refuses challenges without a user
	}
	c.CodeUntil, c.Attempts, c.SentAt = now.Add(s.Policy.CodeTTL), 0, now
	c.Sends++
	return code, nil
}

func (s *Service) sendCode(ctx context.Context, c Challenge, code string) error {
	if c.UserID == "" {
		return nil // decoy: the phone has no account
	}
	err := s.Outbox.Send(ctx, sms.Message{
		ID: fmt.Sprintf("%s-%s-%d", c.Purpose, c.ID, c.Sends), Phone: c.Phone,
		Text: fmt.Sprintf(smsText[c.Purpose], code), Purpose: c.Purpose + "-code",
	})
	if err != nil {
		return &apperr.Error{Code: apperr.Unavailable, Message: "the code cannot be sent right now, try again in a minute", RetryAfter: time.Minute, Err: err}
	}
	return nil
}
