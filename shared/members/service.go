package members

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/phone"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/sms"
)

// Service runs member management.
type Service struct {
	Store        Store
	SMS          SMS
	Mail         Mail
	HashPassword func(string) (string, error)
	Now          func() time.Time
	// CabinetURL is where invitees log in (shown in the invitation).
	CabinetURL string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Actor is the caller: who acts, for which organisation, with which role.
type Actor = identity.Actor

// actor reads the caller (administrators act within its group).
func (s *Service) actor(ctx context.Context, a Actor) (identity.User, error) {
	u, err := s.Store.User(ctx, a.UserID)
	if err != nil {
		return identity.User{}, fmt.Errorf("read caller: %w", err)
	}
	return u, nil
}

var errNoRight = apperr.New(apperr.Forbidden, "your role does not allow this")

// CreateGroup adds a group with a name unique in the organisation (A13): superuser and head.
func (s *Service) CreateGroup(ctx context.Context, a Actor, name string) (Group, error) {
	if a.Role != identity.Superuser && a.Role != identity.Head {
		return Group{}, errNoRight
	}
	name = strings.Join(strings.Fields(name), " ")
	if n := utf8.RuneCountInString(name); n < 1 || n > 100 {
		return Group{}, apperr.InvalidField("name", "must be 1 to 100 characters")
	}
	g := Group{ID: ulid.Make().String(), OrgID: a.OrgID, Name: name, CreatedAt: s.now()}
	if err := s.Store.CreateGroup(ctx, g); errors.Is(err, ErrNameTaken) {
		return Group{}, apperr.New(apperr.Conflict, "a group with this name already exists")
	} else if err != nil {
		return Group{}, err
	}
	s.audit(ctx, a, "group_created", g.ID, g.Name)
	return g, nil
}

// Groups lists the organisation's groups: every member may see them.
func (s *Service) Groups(ctx context.Context, a Actor) ([]Group, error) {
	return s.Store.Groups(ctx, a.OrgID)
}

// Invite is a new user of the caller's organisation.
type Invite struct {
	FullName, Email, Phone string
	Role                   identity.Role
	GroupID                string
}

// Invited is the created user.
type Invited struct{ User identity.User }

// manageable tells whether a may act on a user of role and group; administrators act within
// their own group on plain users only; nobody acts on the superuser or on itself here.
func manageable(a Actor, caller identity.User, role identity.Role, groupID, targetID string) bool {
	if targetID == a.UserID || role == identity.Superuser {
		return false
	}
	switch a.Role {
	case identity.Superuser:
		return true
	case identity.Head:
		return role != identity.Head
	case identity.Administrator:
		return role == identity.Member && groupID != "" && groupID == caller.GroupID
	}
	return false
}

// InviteUser creates a user awaiting confirmation and sends the login details by SMS and
// e-mail (A14). Its first login confirms it (A15).
func (s *Service) InviteUser(ctx context.Context, a Actor, in Invite) (identity.User, error) {
	caller, err := s.actor(ctx, a)
	if err != nil {
		return identity.User{}, err
	}
	f := apperr.Fields{}
	name := strings.Join(strings.Fields(in.FullName), " ")
	f.Check(utf8.RuneCountInString(name) >= 2 && utf8.RuneCountInString(name) <= 200, "fullName", "must be 2 to 200 characters")
	addr, mailErr := mail.ParseAddress(strings.TrimSpace(in.Email))
	f.Check(mailErr == nil && addr.Address == strings.TrimSpace(in.Email), "email", "must be a valid e-mail address")
	ph, phErr := phone.Normalize(in.Phone)
	f.Check(phErr == nil, "phone", "must be a valid phone number, e.g. +79161234567")
	f.Check(in.Role == identity.Head || in.Role == identity.Administrator || in.Role == identity.Member, "role", "must be one of: head, administrator, user")
	if err := f.Err(); err != nil {
		return identity.User{}, err
	}
	if in.GroupID != "" {
		if _, err := s.Store.Group(ctx, a.OrgID, in.GroupID); errors.Is(err, ErrNotFound) {
			return identity.User{}, apperr.InvalidField("groupId", "no such group in your organisation")
		} else if err != nil {
			return identity.User{}, err
		}
	}
	if !manageable(a, caller, in.Role, in.GroupID, "") {
		return identity.User{}, errNoRight
	}
	temp, err := TemporaryPassword()
	if err != nil {
		return identity.User{}, err
	}
	hash, err := s.HashPassword(temp)
	if err != nil {
		return identity.User{}, err
	}
	u := identity.User{ID: ulid.Make().String(), OrgID: a.OrgID, Role: in.Role, GroupID: in.GroupID,
		Status: identity.StatusAwaitingConfirmation, FullName: name, Email: addr.Address, Phone: ph, Login: ph,
		PasswordHash: hash, MustChangePassword: true, CreatedAt: s.now()}
	if err := s.Store.CreateUser(ctx, u); errors.Is(err, ErrLoginTaken) {
		return identity.User{}, apperr.New(apperr.Conflict, "this phone number already belongs to a user")
	} else if err != nil {
		return identity.User{}, err
	}
	if err := s.sendInvitation(ctx, u, temp, 1); err != nil {
		return identity.User{}, err
	}
	s.audit(ctx, a, "user_invited", u.ID, string(u.Role))
	return u, nil
}

// ResendInvitation sends new login details to a user still awaiting confirmation (A15).
func (s *Service) ResendInvitation(ctx context.Context, a Actor, userID string) (identity.User, error) {
	return s.change(ctx, a, userID, "invitation_resent", func(u *identity.User) (func() error, error) {
		if u.Status != identity.StatusAwaitingConfirmation {
			return nil, apperr.New(apperr.Conflict, "only a user awaiting confirmation can be invited again")
		}
		temp, err := TemporaryPassword()
		if err != nil {
			return nil, err
		}
		if u.PasswordHash, err = s.HashPassword(temp); err != nil {
			return nil, err
		}
		u.MustChangePassword = true
		u.SessionEpoch++
		n := u.Version + 1
		user := *u
		return func() error { return s.sendInvitation(ctx, user, temp, int(n)) }, nil
	})
}

// Block ends every session of an active user and keeps it out (A15).
func (s *Service) Block(ctx context.Context, a Actor, userID string) (identity.User, error) {
	return s.change(ctx, a, userID, "blocked", func(u *identity.User) (func() error, error) {
		if u.Status != identity.StatusActive {
			return nil, apperr.New(apperr.Conflict, "only an active user can be blocked")
		}
		u.Status = identity.StatusBlocked
		u.SessionEpoch++
		return nil, nil
	})
}

// Unblock lets a blocked user in again (A15).
func (s *Service) Unblock(ctx context.Context, a Actor, userID string) (identity.User, error) {
	return s.change(ctx, a, userID, "unblocked", func(u *identity.User) (func() error, error) {
		if u.Status != identity.StatusBlocked {
			return nil, apperr.New(apperr.Conflict, "only a blocked user can be unblocked")
		}
		u.Status = identity.StatusActive
		return nil, nil
	})
}

// Refuse records that an invited user declined (A15).
func (s *Service) Refuse(ctx context.Context, a Actor, userID string) (identity.User, error) {
	return s.change(ctx, a, userID, "refused", func(u *identity.User) (func() error, error) {
		if u.Status != identity.StatusAwaitingConfirmation {
			return nil, apperr.New(apperr.Conflict, "only a user awaiting confirmation can be marked as refused")
		}
		u.Status = identity.StatusRefused
		u.SessionEpoch++
		return nil, nil
	})
}

// Update changes a user's name, e-mail, role or group; a role change is audited.
type Update struct {
	FullName, Email *string
	Role            *identity.Role
	GroupID         *string
}

// UpdateUser applies an Update.
func (s *Service) UpdateUser(ctx context.Context, a Actor, userID string, up Update) (identity.User, error) {
	roleChanged := false
	u, err := s.change(ctx, a, userID, "user_updated", func(u *identity.User) (func() error, error) {
		f := apperr.Fields{}
		if up.FullName != nil {
			name := strings.Join(strings.Fields(*up.FullName), " ")
			f.Check(utf8.RuneCountInString(name) >= 2 && utf8.RuneCountInString(name) <= 200, "fullName", "must be 2 to 200 characters")
			u.FullName = name
		}
		if up.Email != nil {
			addr, err := mail.ParseAddress(strings.TrimSpace(*up.Email))
			f.Check(err == nil, "email", "must be a valid e-mail address")
			if err == nil {
				u.Email = addr.Address
			}
		}
		roleChanged = false
		if up.Role != nil && *up.Role != u.Role {
			r := *up.Role
			f.Check(r == identity.Head || r == identity.Administrator || r == identity.Member, "role", "must be one of: head, administrator, user")
			u.Role, roleChanged = r, true
		}
		if up.GroupID != nil {
			if *up.GroupID != "" {
				if _, err := s.Store.Group(ctx, a.OrgID, *up.GroupID); errors.Is(err, ErrNotFound) {
					f.Add("groupId", "no such group in your organisation")
				} else if err != nil {
					return nil, err
				}
			}
			u.GroupID = *up.GroupID
		}
		return nil, f.Err()
	})
	if err == nil && roleChanged {
		s.audit(ctx, a, "role_changed", u.ID, string(u.Role))
	}
	return u, err
}

// change loads a user of the caller's organisation, checks the caller may manage it (before
// and after the edit), applies edit and saves with optimistic locking; after tells what to do
// once saved (send an invitation).
func (s *Service) change(ctx context.Context, a Actor, userID, action string, edit func(*identity.User) (func() error, error)) (identity.User, error) {
	caller, err := s.actor(ctx, a)
	if err != nil {
		return identity.User{}, err
	}
	for range 3 {
		u, err := s.visible(ctx, a, caller, userID)
		if err != nil {
			return identity.User{}, err
		}
		if !manageable(a, caller, u.Role, u.GroupID, u.ID) {
			return identity.User{}, errNoRight
		}
		after, err := edit(&u)
		if err != nil {
			return identity.User{}, err
		}
		if !manageable(a, caller, u.Role, u.GroupID, u.ID) {
			return identity.User{}, errNoRight
		}
		if err := s.Store.SaveUser(ctx, u); errors.Is(err, ErrStale) {
			continue
		} else if err != nil {
			return identity.User{}, err
		}
		u.Version++
		if after != nil {
			if err := after(); err != nil {
				return identity.User{}, err
			}
		}
		s.audit(ctx, a, action, u.ID, "")
		return u, nil
	}
	return identity.User{}, apperr.New(apperr.Conflict, "the user changed meanwhile, try again")
}

// visible returns a user the caller may see: superuser and heads see the whole organisation,
// administrators their group, users only themselves. Anything else is "not found", so ids of
// other organisations tell nothing.
func (s *Service) visible(ctx context.Context, a Actor, caller identity.User, userID string) (identity.User, error) {
	notFound := apperr.New(apperr.NotFound, "user not found")
	if _, err := ulid.ParseStrict(userID); err != nil {
		return identity.User{}, notFound
	}
	u, err := s.Store.User(ctx, userID)
	if errors.Is(err, ErrNotFound) || (err == nil && u.OrgID != a.OrgID) {
		return identity.User{}, notFound
	}
	if err != nil {
		return identity.User{}, err
	}
	switch a.Role {
	case identity.Superuser, identity.Head:
		return u, nil
	case identity.Administrator:
		if u.ID == a.UserID || (caller.GroupID != "" && u.GroupID == caller.GroupID) {
			return u, nil
		}
	default:
		if u.ID == a.UserID {
			return u, nil
		}
	}
	return identity.User{}, errNoRight
}

// User returns one user the caller may see.
func (s *Service) User(ctx context.Context, a Actor, userID string) (identity.User, error) {
	caller, err := s.actor(ctx, a)
	if err != nil {
		return identity.User{}, err
	}
	return s.visible(ctx, a, caller, userID)
}

// Users lists the users the caller may see, by name, filtered (A16). Administrators see their
// group; plain users may not list.
func (s *Service) Users(ctx context.Context, a Actor, f Filter, pageToken string, limit int) ([]identity.User, string, error) {
	switch a.Role {
	case identity.Superuser, identity.Head:
	case identity.Administrator:
		caller, err := s.actor(ctx, a)
		if err != nil {
			return nil, "", err
		}
		if caller.GroupID == "" || (f.GroupID != "" && f.GroupID != caller.GroupID) {
			return nil, "", errNoRight
		}
		f.GroupID = caller.GroupID
	default:
		return nil, "", errNoRight
	}
	switch f.Status {
	case "", identity.StatusAwaitingActivation, identity.StatusAwaitingConfirmation, identity.StatusActive, identity.StatusBlocked, identity.StatusRefused:
	default:
		return nil, "", apperr.InvalidField("status", "must be one of: awaiting_activation, awaiting_confirmation, active, blocked, refused")
	}
	f.NamePrefix = strings.ToLower(strings.Join(strings.Fields(f.NamePrefix), " "))
	return s.Store.Users(ctx, a.OrgID, f, pageToken, limit)
}

// Activate makes an agent organisation and its waiting users active once the contract is
// signed (A2). Called by bank staff.
func (s *Service) Activate(ctx context.Context, bankUserID, orgID, ip string) (identity.Org, error) {
	notFound := apperr.New(apperr.NotFound, "organisation not found")
	if _, err := ulid.ParseStrict(orgID); err != nil {
		return identity.Org{}, notFound
	}
	org, err := s.Store.Org(ctx, orgID)
	if errors.Is(err, ErrNotFound) {
		return identity.Org{}, notFound
	}
	if err != nil {
		return identity.Org{}, err
	}
	if org.Kind == identity.BankOrg {
		return identity.Org{}, notFound
	}
	if org.Status == identity.StatusActive {
		return identity.Org{}, apperr.New(apperr.Conflict, "the organisation is already active")
	}
	n, err := s.Store.Activate(ctx, orgID)
	if err != nil {
		return identity.Org{}, err
	}
	org.Status = identity.StatusActive
	s.audit(ctx, Actor{UserID: bankUserID, OrgID: orgID, IP: ip}, "activated", orgID, fmt.Sprintf("%d users activated by the bank", n))
	return org, nil
}

func (s *Service) sendInvitation(ctx context.Context, u identity.User, temp string, n int) error {
	text := fmt.Sprintf("Вас пригласили в личный кабинет. Логин: %s, временный пароль: %s. Смените его при первом входе.", u.Login, temp)
	key := fmt.Sprintf("invitation-%s-%d", u.ID, n)
	if err := s.SMS.Send(ctx, sms.Message{ID: key, Phone: u.Phone, Text: text, Purpose: "invitation"}); err != nil {
		return &apperr.Error{Code: apperr.Unavailable, Message: "the invitation cannot be sent right now; resend it in a minute", RetryAfter: time.Minute, Err: err}
	}
	body := fmt.Sprintf("Здравствуйте, %s!\n\nВас пригласили в личный кабинет: %s\nЛогин: %s\nВременный пароль: %s\n\nПри первом входе пароль нужно сменить.\n",
		u.FullName, s.CabinetURL, u.Login, temp)
	if err := s.Mail.Send(ctx, email.Message{ID: key, To: []string{u.Email}, Subject: "Приглашение в личный кабинет", Text: body, Purpose: "invitation"}); err != nil {
		// The SMS carries the same details; the e-mail is a copy, so its loss is only logged.
		slog.WarnContext(ctx, "invitation e-mail not queued", "userId", u.ID, "error", err.Error())
	}
	return nil
}

func (s *Service) audit(ctx context.Context, a Actor, action, target, detail string) {
	e := identity.AuditEntry{ID: ulid.Make().String(), OrgID: a.OrgID, At: s.now(), Action: action, Actor: a.UserID, Target: target, IP: a.IP, Detail: detail}
	if err := s.Store.Audit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit entry lost", "action", action, "error", err.Error())
	}
}

// TemporaryPassword returns a random password that meets identity's rules.
func TemporaryPassword() (string, error) {
	const (
		lower  = "abcdefghijkmnopqrstuvwxyz"
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits = "23456789"
	)
	sets := []string{lower, upper, digits, lower + upper + digits, lower + upper + digits, lower + upper + digits, lower + upper + digits, lower + upper + digits, lower + upper + digits, lower + upper + digits}
	out := make([]byte, len(sets))
	for i, set := range sets {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", err
		}
		out[i] = set[n.Int64()]
	}
	// Shuffle so the classes are not always at the front.
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return string(out), nil
}
