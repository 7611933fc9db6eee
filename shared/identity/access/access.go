// Package access authenticates calls made with a session's bearer access token (the Session
// scheme): it verifies the token and checks, in one DynamoDB round trip, that the user and
// the session still allow it, so blocking a user, changing a password or logging out takes
// effect at once. It is small on purpose: every function with protected routes links it.
package access

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// UserState is what authentication needs to know of a user.
type UserState struct {
	ID, OrgID, Role, Status string
	Epoch                   int64
	MustChangePassword      bool
}

// SessionState is what authentication needs to know of a session.
type SessionState struct {
	ID, UserID, Revoked string
}

// ErrNotFound means the user or the session does not exist (or has expired).
var ErrNotFound = errors.New("not found")

// StateReader reads a user and one of its sessions.
type StateReader interface {
	AuthState(ctx context.Context, userID, sessionID string) (UserState, SessionState, error)
}

// Checker authenticates access tokens.
type Checker struct {
	Tokens *Tokens
	State  StateReader
}

// LimitedReason says why a user may only reach the routes that allow limited access (its
// profile, password change, logout), or "".
func LimitedReason(mustChangePassword bool, status string) string {
	switch {
	case mustChangePassword:
		return "the temporary password must be changed first"
	case status == "awaiting_activation":
		return "the account is waiting for the bank to activate it (after the contract is signed)"
	}
	return ""
}

var errEnded = apperr.New(apperr.Unauthorized, "the session has ended; log in again")

// Check verifies a bearer token and the current state of its user and session. The role and
// organisation returned are the current ones, so role changes apply at once.
func (c *Checker) Check(ctx context.Context, bearer string) (Access, error) {
	a, err := c.Tokens.Parse(bearer)
	if err != nil {
		return Access{}, apperr.New(apperr.Unauthorized, "the access token is not valid or has expired")
	}
	u, s, err := c.State.AuthState(ctx, a.UserID, a.SessionID)
	if errors.Is(err, ErrNotFound) {
		return Access{}, errEnded
	}
	if err != nil {
		return Access{}, err
	}
	if s.Revoked != "" || s.UserID != u.ID || u.Epoch != a.Epoch || u.Status == "blocked" || u.Status == "refused" {
		return Access{}, errEnded
	}
	a.Role, a.OrgID, a.Limited = u.Role, u.OrgID, LimitedReason(u.MustChangePassword, u.Status)
	return a, nil
}

// Authenticator is the Session scheme: "Authorization: Bearer <access token>".
func (c *Checker) Authenticator(r *http.Request) (httpapi.Principal, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		return httpapi.Principal{}, apperr.New(apperr.Unauthorized, "authentication required: Authorization: Bearer <access token>")
	}
	a, err := c.Check(r.Context(), strings.TrimSpace(raw))
	if err != nil {
		return httpapi.Principal{}, err
	}
	return httpapi.Principal{Subject: a.UserID, Org: a.OrgID, Session: a.SessionID, Roles: []string{a.Role}, Limited: a.Limited}, nil
}

// Caller returns the Access of an authenticated request.
func Caller(r *http.Request) Access {
	p, _ := httpapi.CallerOf(r.Context())
	role := ""
	if len(p.Roles) > 0 {
		role = p.Roles[0]
	}
	return Access{UserID: p.Subject, OrgID: p.Org, SessionID: p.Session, Role: role, Limited: p.Limited}
}
