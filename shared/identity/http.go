package identity

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/identity/access"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the identity endpoints of the client API.
type HTTP struct{ Service *Service }

// ActorOf returns the authenticated caller of r.
func ActorOf(r *http.Request) Actor {
	a := access.Caller(r)
	return Actor{UserID: a.UserID, OrgID: a.OrgID, Role: Role(a.Role), IP: httpapi.ClientIP(r)}
}

type tokensResponse struct {
	AccessToken        string `json:"accessToken"`
	TokenType          string `json:"tokenType"`
	ExpiresIn          int    `json:"expiresIn"`
	RefreshToken       string `json:"refreshToken"`
	UserID             string `json:"userId"`
	MustChangePassword bool   `json:"mustChangePassword"`
	Limited            string `json:"limitedReason,omitempty"`
}

func writeTokens(w http.ResponseWriter, status int, t Issued) {
	lim := t.Limited
	httpapi.WriteJSON(w, status, tokensResponse{
		AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: int(time.Until(t.AccessExpires).Round(time.Second).Seconds()),
		RefreshToken: t.RefreshToken, UserID: t.UserID, MustChangePassword: t.MustChangePassword, Limited: lim,
	})
}

type sentResponse struct {
	ChallengeID          string `json:"challengeId"`
	Status               string `json:"status"`
	ResendAfterSeconds   int    `json:"resendAfterSeconds"`
	CodeExpiresInSeconds int    `json:"codeExpiresInSeconds"`
}

func writeSent(w http.ResponseWriter, s Sent) {
	httpapi.WriteJSON(w, http.StatusAccepted, sentResponse{ChallengeID: s.ChallengeID, Status: "code_sent",
		ResendAfterSeconds: int(s.ResendAfter.Seconds()), CodeExpiresInSeconds: int(s.CodeExpiresIn.Seconds())})
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Login handles POST /v1/auth/login.
func (h *HTTP) Login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	t, err := h.Service.Login(r.Context(), req.Login, req.Password, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeTokens(w, http.StatusOK, t)
	return nil
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

func (q *refreshRequest) Validate() error {
	if q.RefreshToken == "" {
		return apperr.InvalidField("refreshToken", "required")
	}
	return nil
}

// Refresh handles POST /v1/auth/refresh.
func (h *HTTP) Refresh(w http.ResponseWriter, r *http.Request) error {
	var req refreshRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	t, err := h.Service.Refresh(r.Context(), req.RefreshToken, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeTokens(w, http.StatusOK, t)
	return nil
}

// Logout handles POST /v1/auth/logout: the caller's session ends.
func (h *HTTP) Logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.Service.Logout(r.Context(), access.Caller(r), httpapi.ClientIP(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	ID                 string `json:"id"`
	OrgID              string `json:"orgId"`
	OrgName            string `json:"orgName"`
	OrgStatus          string `json:"orgStatus"`
	Role               Role   `json:"role"`
	GroupID            string `json:"groupId,omitempty"`
	Status             string `json:"status"`
	FullName           string `json:"fullName"`
	Email              string `json:"email"`
	Phone              string `json:"phone"`
	Login              string `json:"login"`
	MustChangePassword bool   `json:"mustChangePassword"`
}

// Me handles GET /v1/me.
func (h *HTTP) Me(w http.ResponseWriter, r *http.Request) error {
	a := access.Caller(r)
	u, err := h.Service.Store.User(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	org, err := h.Service.Store.Org(r.Context(), u.OrgID)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, meResponse{ID: u.ID, OrgID: u.OrgID, OrgName: org.Name, OrgStatus: org.Status, Role: u.Role,
		GroupID: u.GroupID, Status: u.Status, FullName: u.FullName, Email: u.Email, Phone: u.Phone, Login: u.Login, MustChangePassword: u.MustChangePassword})
	return nil
}

type phoneRequest struct {
	Phone string `json:"phone"`
}

// StartPhoneLogin handles POST /v1/auth/otp: a login code by SMS.
func (h *HTTP) StartPhoneLogin(w http.ResponseWriter, r *http.Request) error {
	var req phoneRequest
	if err := httpapi.Decode(w, r, &req, 1024); err != nil {
		return err
	}
	s, err := h.Service.StartPhoneLogin(r.Context(), req.Phone, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeSent(w, s)
	return nil
}

type codeRequest struct {
	Code string `json:"code"`
}

func (c *codeRequest) Validate() error {
	if c.Code == "" {
		return apperr.InvalidField("code", "required")
	}
	return nil
}

// ConfirmPhoneLogin handles POST /v1/auth/otp/{id}/confirm.
func (h *HTTP) ConfirmPhoneLogin(w http.ResponseWriter, r *http.Request) error {
	var req codeRequest
	if err := httpapi.Decode(w, r, &req, 1024); err != nil {
		return err
	}
	t, err := h.Service.ConfirmPhoneLogin(r.Context(), r.PathValue("id"), req.Code, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeTokens(w, http.StatusOK, t)
	return nil
}

type newPasswordRequest struct {
	Phone             string `json:"phone,omitempty"`
	NewPassword       string `json:"newPassword"`
	NewPasswordRepeat string `json:"newPasswordRepeat"`
}

// StartRecovery handles POST /v1/auth/password-recovery (A3).
func (h *HTTP) StartRecovery(w http.ResponseWriter, r *http.Request) error {
	var req newPasswordRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	s, err := h.Service.StartRecovery(r.Context(), req.Phone, req.NewPassword, req.NewPasswordRepeat, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeSent(w, s)
	return nil
}

// ConfirmRecovery handles POST /v1/auth/password-recovery/{id}/confirm.
func (h *HTTP) ConfirmRecovery(w http.ResponseWriter, r *http.Request) error {
	var req codeRequest
	if err := httpapi.Decode(w, r, &req, 1024); err != nil {
		return err
	}
	if err := h.Service.ConfirmRecovery(r.Context(), r.PathValue("id"), req.Code, httpapi.ClientIP(r)); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"status": "password_changed"})
	return nil
}

// Resend handles POST /v1/auth/challenges/{id}/resend: a new code after 3 minutes.
func (h *HTTP) Resend(w http.ResponseWriter, r *http.Request) error {
	s, err := h.Service.Resend(r.Context(), r.PathValue("id"), httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeSent(w, s)
	return nil
}

// StartPasswordChange handles POST /v1/me/password (A4).
func (h *HTTP) StartPasswordChange(w http.ResponseWriter, r *http.Request) error {
	var req newPasswordRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	if req.Phone != "" {
		return apperr.InvalidField("phone", "unknown field")
	}
	u, err := h.Service.Store.User(r.Context(), access.Caller(r).UserID)
	if err != nil {
		return err
	}
	s, err := h.Service.StartPasswordChange(r.Context(), u, req.NewPassword, req.NewPasswordRepeat, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeSent(w, s)
	return nil
}

// ConfirmPasswordChange handles POST /v1/me/password/{id}/confirm: new tokens for the caller,
// every other session ended.
func (h *HTTP) ConfirmPasswordChange(w http.ResponseWriter, r *http.Request) error {
	var req codeRequest
	if err := httpapi.Decode(w, r, &req, 1024); err != nil {
		return err
	}
	u, err := h.Service.Store.User(r.Context(), access.Caller(r).UserID)
	if err != nil {
		return err
	}
	t, err := h.Service.ConfirmPasswordChange(r.Context(), u, r.PathValue("id"), req.Code, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	writeTokens(w, http.StatusOK, t)
	return nil
}

type auditItem struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	Actor  string    `json:"actor,omitempty"`
	Target string    `json:"target,omitempty"`
	IP     string    `json:"ip,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Audit handles GET /v1/audit?pageToken=&limit=: the organisation's audit log, superuser only.
func (h *HTTP) Audit(w http.ResponseWriter, r *http.Request) error {
	a := access.Caller(r)
	if Role(a.Role) != Superuser {
		return apperr.New(apperr.Forbidden, "only the organisation's superuser reads the audit log")
	}
	limit, err := httpapi.QueryInt(r, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	entries, next, err := h.Service.Store.AuditLog(r.Context(), a.OrgID, r.URL.Query().Get("pageToken"), limit)
	if err != nil {
		return err
	}
	items := make([]auditItem, len(entries))
	for i, e := range entries {
		items[i] = auditItem{ID: e.ID, At: e.At, Action: e.Action, Actor: e.Actor, Target: e.Target, IP: e.IP, Detail: e.Detail}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextPageToken": next})
	return nil
}
