package backoffice

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Staffing errors.
var (
	ErrBankExists = errors.New("the bank organisation exists already")
	ErrLoginTaken = errors.New("the login is taken")
)

// Staffing creates the bank and its users.
type Staffing interface {
	Store
	UserByLogin(ctx context.Context, login string) (identity.User, error)
	// CreateBank creates the bank's organisation, its first user with a profile and the BANK
	// item in one transaction: ErrBankExists when a bank exists, ErrLoginTaken when the login does.
	CreateBank(ctx context.Context, org identity.Org, u identity.User, p Profile) error
	// CreateMember creates a user of the bank with a profile and its login claim:
	// ErrLoginTaken when the login exists.
	CreateMember(ctx context.Context, u identity.User, p Profile) error
}

// BankName is the name of the bank's organisation that Bootstrap creates.
const BankName = "Банк"

// Bootstrap makes sure the bank's organisation exists with an administrator (roles
// Administrator, Operator, Signer, Executor) whose login and password are given; the password
// is the operator's choice, not temporary. It returns whether it created anything: when the
// login exists in the bank already nothing changes (its password is left as it is).
func Bootstrap(ctx context.Context, st Staffing, login, pw string) (bool, error) {
	login = identity.NormalizeLogin(login)
	if login == "" {
		return false, errors.New("bootstrap: empty login")
	}
	if err := identity.CheckNewPassword(pw, pw, ""); err != nil {
		return false, fmt.Errorf("bootstrap: the administrator's password must be %s", identity.PasswordRules)
	}
	if u, err := st.UserByLogin(ctx, login); err == nil {
		bank, err := st.BankOrg(ctx)
		if err != nil || bank != u.OrgID {
			return false, fmt.Errorf("bootstrap: login %q belongs to a user outside the bank", login)
		}
		return false, nil
	} else if !errors.Is(err, identity.ErrNotFound) {
		return false, err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return false, err
	}
	now := time.Now().UTC()
	u := identity.User{ID: ulid.Make().String(), Role: identity.Superuser, Status: identity.StatusActive, FullName: "Администратор",
		Login: login, PasswordHash: hash, CreatedAt: now}
	p := Profile{UserID: u.ID, EmployeeID: login, Roles: []RoleID{Administrator, Operator, Signer, Executor}, ActiveRole: Administrator, CreatedAt: now}
	bank, err := st.BankOrg(ctx)
	if errors.Is(err, identity.ErrNotFound) {
		org := identity.Org{ID: ulid.Make().String(), Kind: identity.BankOrg, Name: BankName, Status: identity.StatusActive, CreatedAt: now}
		u.OrgID, p.OrgID = org.ID, org.ID
		err = st.CreateBank(ctx, org, u, p)
		if !errors.Is(err, ErrBankExists) {
			return err == nil, err
		}
		bank, err = st.BankOrg(ctx) // founded meanwhile: join it
	}
	if err != nil {
		return false, err
	}
	u.OrgID, p.OrgID = bank, bank
	if err := st.CreateMember(ctx, u, p); err != nil {
		return false, err
	}
	return true, nil
}

// NewMember is a bank user an administrator creates.
type NewMember struct {
	Login      string
	FullName   string
	Email      string
	Phone      string // E.164, optional
	EmployeeID string
	Roles      []RoleID // the first one is active
	// Password is the temporary password; empty makes one up. It must be changed at the
	// first login (POST /api/lkbuser/firstlogin).
	Password string
}

// CreateMember creates a bank user with a temporary password and returns it with that password.
func CreateMember(ctx context.Context, st Staffing, n NewMember) (identity.User, string, error) {
	f := apperr.Fields{}
	login := identity.NormalizeLogin(n.Login)
	f.Check(login != "", "login", "required")
	f.Check(strings.TrimSpace(n.FullName) != "", "fullName", "required")
	f.Check(len(n.Roles) > 0, "roles", "at least one role")
	for _, r := range n.Roles {
		if _, ok := Roles[r]; !ok {
			f.Add("roles", fmt.Sprintf("no role %d", r))
		}
	}
	if err := f.Err(); err != nil {
		return identity.User{}, "", err
	}
	bank, err := st.BankOrg(ctx)
	if err != nil {
		return identity.User{}, "", fmt.Errorf("bank organisation: %w", err)
	}
	temp := n.Password
	if temp == "" {
		temp = "Tmp-" + strings.ToLower(rand.Text()[:10]) + "7Q"
	}
	hash, err := password.Hash(temp)
	if err != nil {
		return identity.User{}, "", err
	}
	now := time.Now().UTC()
	u := identity.User{ID: ulid.Make().String(), OrgID: bank, Role: identity.Member, Status: identity.StatusActive,
		FullName: strings.TrimSpace(n.FullName), Email: strings.ToLower(strings.TrimSpace(n.Email)), Phone: n.Phone, Login: login,
		PasswordHash: hash, MustChangePassword: true, CreatedAt: now}
	p := Profile{UserID: u.ID, OrgID: bank, EmployeeID: n.EmployeeID, Roles: n.Roles, ActiveRole: n.Roles[0], CreatedAt: now}
	if err := st.CreateMember(ctx, u, p); err != nil {
		if errors.Is(err, ErrLoginTaken) {
			return identity.User{}, "", apperr.InvalidField("login", "taken")
		}
		return identity.User{}, "", err
	}
	return u, temp, nil
}
