package onboarding

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/otp"
	"github.com/kabinet/kabinet/shared/phone"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/sms"
)

// Service runs the registration flow.
type Service struct {
	Store        Store
	Outbox       Outbox
	Limits       Limiter
	Codes        CodeHasher
	HashPassword func(string) (string, error)
	NewCode      func() (string, error) // otp.Generate unless a test says otherwise
	Now          func() time.Time
	Policy       Policy
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// StartInput is the registration form.
type StartInput struct {
	Kind     Kind
	Phone    string
	FullName string
	Email    string
	Consent  bool
	IP       string
}

// Started tells the client what happens next.
type Started struct {
	RegistrationID string
	Phone          string
	ResendAfter    time.Duration
	CodeExpiresIn  time.Duration
}

// Start validates the form, checks limits and that the phone has no account, saves the
// registration and queues the code by SMS.
func (s *Service) Start(ctx context.Context, in StartInput) (Started, error) {
	ph, err := validateStart(in)
	if err != nil {
		return Started{}, err
	}
	if err := s.limit(ctx, ph, in.IP); err != nil {
		return Started{}, err
	}
	taken, err := s.Store.PhoneTaken(ctx, ph)
	if err != nil {
		return Started{}, fmt.Errorf("check phone: %w", err)
	}
	if taken {
		return Started{}, apperr.New(apperr.Conflict, "this phone number already has an account; log in or recover the password")
	}
	now := s.now()
	r := Registration{
		ID: ulid.Make().String(), Kind: in.Kind, Phone: ph, FullName: strings.TrimSpace(in.FullName),
		Email: strings.TrimSpace(in.Email), ConsentAt: now, IP: in.IP, Status: Pending,
		CreatedAt: now, ExpiresAt: now.Add(s.Policy.RegistrationTTL),
	}
	code, err := s.issueCode(&r, now)
	if err != nil {
		return Started{}, err
	}
	if err := s.Store.CreateRegistration(ctx, r); err != nil {
		return Started{}, fmt.Errorf("create registration: %w", err)
	}
	if err := s.sendCode(ctx, r, code); err != nil {
		return Started{}, err
	}
	return s.started(r), nil
}

// Resend sends a new code once ResendAfter has passed since the last one; the old code stops working.
func (s *Service) Resend(ctx context.Context, id, ip string) (Started, error) {
	r, err := s.get(ctx, id)
	if err != nil {
		return Started{}, err
	}
	if r.Status == Confirmed {
		return Started{}, apperr.New(apperr.Conflict, "registration is already confirmed")
	}
	now := s.now()
	if wait := r.SentAt.Add(s.Policy.ResendAfter).Sub(now); wait > 0 {
		return Started{}, apperr.TooMany("a new code can be requested once the wait is over", wait)
	}
	if err := s.limit(ctx, r.Phone, ip); err != nil {
		return Started{}, err
	}
	code, err := s.issueCode(&r, now)
	if err != nil {
		return Started{}, err
	}
	if err := s.Store.SaveRegistration(ctx, r); err != nil {
		if errors.Is(err, ErrStale) {
			return Started{}, apperr.New(apperr.Conflict, "registration changed meanwhile, try again")
		}
		return Started{}, fmt.Errorf("save registration: %w", err)
	}
	r.Version++
	if err := s.sendCode(ctx, r, code); err != nil {
		return Started{}, err
	}
	return s.started(r), nil
}

// Account is the result of a confirmed registration.
type Account struct {
	UserID             string
	OrgID              string
	Login              string
	Status             string
	MustChangePassword bool
}

// Confirm checks the code; a right one creates the account with the code as its temporary
// password. Each wrong code counts; after MaxAttempts the code is void and a new one is needed.
func (s *Service) Confirm(ctx context.Context, id, code string) (Account, error) {
	code = strings.TrimSpace(code)
	if len(code) != otp.Digits || strings.Trim(code, "0123456789") != "" {
		return Account{}, apperr.InvalidField("code", fmt.Sprintf("must be %d digits", otp.Digits))
	}
	for range 3 { // retry on a concurrent change of the same registration
		acc, err := s.confirmOnce(ctx, id, code)
		if !errors.Is(err, ErrStale) {
			return acc, err
		}
	}
	return Account{}, apperr.New(apperr.Conflict, "registration changed meanwhile, try again")
}

func (s *Service) confirmOnce(ctx context.Context, id, code string) (Account, error) {
	r, err := s.get(ctx, id)
	if err != nil {
		return Account{}, err
	}
	if r.Status == Confirmed {
		return Account{}, apperr.New(apperr.Conflict, "registration is already confirmed")
	}
	now := s.now()
	switch {
	case r.CodeHash == "" || r.Attempts >= s.Policy.MaxAttempts:
		return Account{}, apperr.InvalidField("code", "this code no longer works; request a new one")
	case !now.Before(r.CodeUntil):
		return Account{}, apperr.InvalidField("code", "the code has expired; request a new one")
	}
	if !s.Codes.Verify(r.ID, code, r.CodeHash) {
		r.Attempts++
		if r.Attempts >= s.Policy.MaxAttempts {
			r.CodeHash = ""
		}
		if err := s.Store.SaveRegistration(ctx, r); err != nil {
			return Account{}, err
		}
		left := s.Policy.MaxAttempts - r.Attempts
		if left == 0 {
			return Account{}, apperr.InvalidField("code", "wrong code; no attempts left, request a new one")
		}
		return Account{}, apperr.InvalidField("code", fmt.Sprintf("wrong code; %d attempts left", left))
	}
	hash, err := s.HashPassword(code)
	if err != nil {
		return Account{}, fmt.Errorf("hash temporary password: %w", err)
	}
	// The registrant founds an agent organisation and is its superuser (A17); both wait for
	// the bank to activate them (A2).
	org := identity.Org{ID: ulid.Make().String(), Kind: identity.AgentOrg, Name: r.FullName,
		Status: identity.StatusAwaitingActivation, CreatedAt: now}
	u := identity.User{
		ID: ulid.Make().String(), OrgID: org.ID, Role: identity.Superuser, Status: identity.StatusAwaitingActivation,
		FullName: r.FullName, Email: r.Email, Phone: r.Phone, Login: r.Phone,
		PasswordHash: hash, MustChangePassword: true, CreatedAt: now,
	}
	r.Status, r.CodeHash, r.UserID = Confirmed, "", u.ID
	switch err := s.Store.Complete(ctx, r, org, u); {
	case errors.Is(err, ErrPhoneTaken):
		return Account{}, apperr.New(apperr.Conflict, "this phone number already has an account; log in or recover the password")
	case err != nil:
		return Account{}, err
	}
	return Account{UserID: u.ID, OrgID: org.ID, Login: u.Login, Status: u.Status, MustChangePassword: true}, nil
}

func (s *Service) get(ctx context.Context, id string) (Registration, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Registration{}, apperr.New(apperr.NotFound, "registration not found")
	}
	r, err := s.Store.GetRegistration(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Registration{}, apperr.New(apperr.NotFound, "registration not found")
	}
	if err != nil {
		return Registration{}, fmt.Errorf("get registration: %w", err)
	}
	return r, nil
}

func (s *Service) limit(ctx context.Context, phone, ip string) error {
	if err := s.Limits.Allow(ctx, s.Policy.PerPhone, phone); err != nil {
		return err
	}
	if ip != "" {
		return s.Limits.Allow(ctx, s.Policy.PerIP, ip)
	}
	return nil
}

// issueCode puts a fresh code's hash on r and returns the code.
func (s *Service) issueCode(r *Registration, now time.Time) (string, error) {
	gen := s.NewCode
	if gen == nil {
		gen = otp.Generate
	}
	code, err := gen()
	if err != nil {
		return "", err
	}
	r.CodeHash = s.Codes.Hash(r.ID, code)
	r.CodeUntil = now.Add(s.Policy.CodeTTL)
	r.Attempts = 0
	r.SentAt = now
	r.Sends++
	return code, nil
}

func (s *Service) sendCode(ctx context.Context, r Registration, code string) error {
	err := s.Outbox.Send(ctx, sms.Message{
		ID:      fmt.Sprintf("registration-%s-%d", r.ID, r.Sends),
		Phone:   r.Phone,
		Text:    fmt.Sprintf("Код подтверждения регистрации: %s. Никому не сообщайте его.", code),
		Purpose: "registration-code",
	})
	if err != nil {
		return &apperr.Error{Code: apperr.Unavailable, Message: "the code cannot be sent right now, try again in a minute", RetryAfter: time.Minute, Err: err}
	}
	return nil
}

func (s *Service) started(r Registration) Started {
	return Started{RegistrationID: r.ID, Phone: r.Phone, ResendAfter: s.Policy.ResendAfter, CodeExpiresIn: s.Policy.CodeTTL}
}

func validateStart(in StartInput) (string, error) {
	f := apperr.Fields{}
	kindOK := false
	for _, k := range Kinds {
		kindOK = kindOK || in.Kind == k
	}
	f.Check(kindOK, "type", "must be one of: individual, legal_entity, sole_proprietor")
	ph, err := phone.Normalize(in.Phone)
	f.Check(err == nil, "phone", "must be a valid phone number, e.g. +79161234567")
	name := strings.TrimSpace(in.FullName)
	f.Check(utf8.RuneCountInString(name) >= 2 && utf8.RuneCountInString(name) <= 200, "fullName", "must be 2 to 200 characters")
	email := strings.TrimSpace(in.Email)
	if email == "" {
		f.Add("email", "required")
	} else {
		addr, err := mail.ParseAddress(email)
		f.Check(err == nil && addr.Address == email && len(email) <= 254, "email", "must be a valid e-mail address")
	}
	f.Check(in.Consent, "consent", "consent to the personal data processing policy is required")
	return ph, f.Err()
}
