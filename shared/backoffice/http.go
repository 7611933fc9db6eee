package backoffice

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the back office's authentication and staff endpoints (E1) with seed 004's
// paths and field names.
type HTTP struct{ Service *Service }

// lkbUser is the seed's user (user/info, user/list, user/signer, user/takers).
type lkbUser struct {
	UserID         string         `json:"userId"`
	UserFio        string         `json:"userFio"`
	EmployeeID     string         `json:"employeeId"`
	RoleString     string         `json:"roleString"` // name of the active role
	FirstPassword  bool           `json:"firstPassword"`
	Roles          []Role         `json:"roles"`
	FilterSettings map[string]any `json:"filterSettings"` // the saved list filter (E2, saveFilter); {} when none
}

// withFilter puts the user's saved list filter in u.FilterSettings.
func (h *HTTP) withFilter(r *http.Request, u lkbUser) (lkbUser, error) {
	if h.Service.SavedFilter == nil {
		return u, nil
	}
	raw, err := h.Service.SavedFilter(r.Context(), u.UserID)
	if err != nil || raw == nil {
		return u, err
	}
	if err := json.Unmarshal(raw, &u.FilterSettings); err != nil {
		return u, fmt.Errorf("saved filter of %s: %w", u.UserID, err)
	}
	return u, nil
}

func toLkbUser(m Member) lkbUser {
	roles := make([]Role, 0, len(m.Profile.Roles))
	for _, id := range m.Profile.Roles {
		if r, ok := Roles[id]; ok {
			roles = append(roles, r)
		}
	}
	sort.Slice(roles, func(i, j int) bool { return roles[i].ID < roles[j].ID })
	return lkbUser{UserID: m.User.ID, UserFio: m.User.FullName, EmployeeID: m.Profile.EmployeeID, RoleString: Roles[m.Profile.ActiveRole].Name,
		FirstPassword: m.User.MustChangePassword, Roles: roles, FilterSettings: map[string]any{}}
}

// maxForm is the largest login form read.
const maxForm = 4096

// Login handles POST /api/login: form fields username and password; sets the cookie JSESSION
// and answers the user's info.
func (h *HTTP) Login(w http.ResponseWriter, r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		return apperr.New(apperr.NotAcceptable, "POST /api/login takes a form (application/x-www-form-urlencoded) with username and password")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if mt == "multipart/form-data" {
		err = r.ParseMultipartForm(maxForm)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.Newf(apperr.TooLarge, "the form exceeds %d bytes", maxForm)
		}
		return apperr.New(apperr.BadRequest, "the form cannot be read")
	}
	// Only the body counts: a password never travels in the URL.
	cookie, m, err := h.Service.Login(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"), httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	u, err := h.withFilter(r, toLkbUser(m))
	if err != nil {
		return err
	}
	boauth.SetCookie(w, cookie)
	httpapi.WriteJSON(w, http.StatusOK, u)
	return nil
}

// Logout handles GET /api/logout: the session ends and the cookie is cleared.
func (h *HTTP) Logout(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.CallerOf(r.Context())
	if err := h.Service.Logout(r.Context(), p, httpapi.ClientIP(r)); err != nil {
		return err
	}
	boauth.ClearCookie(w)
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"status": "logged_out"})
	return nil
}

// Info handles GET /api/user/info/: the current user and its roles.
func (h *HTTP) Info(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	m, err := h.Service.Member(r.Context(), p.Subject)
	if err != nil {
		return err
	}
	u, err := h.withFilter(r, toLkbUser(m))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, u)
	return nil
}

func (h *HTTP) list(w http.ResponseWriter, r *http.Request, pick func(Member) bool) error {
	ms, err := h.Service.List(r.Context(), pick)
	if err != nil {
		return err
	}
	out := make([]lkbUser, len(ms))
	for i, m := range ms {
		out[i] = toLkbUser(m)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Users handles GET /api/user/list: the bank's active users.
func (h *HTTP) Users(w http.ResponseWriter, r *http.Request) error { return h.list(w, r, nil) }

// Signers handles GET /api/user/signer: users with a role marked "Является подписантом".
func (h *HTTP) Signers(w http.ResponseWriter, r *http.Request) error {
	return h.list(w, r, Member.Signs)
}

// Takers handles GET /api/user/takers: users with a role marked "Может брать в работу".
func (h *HTTP) Takers(w http.ResponseWriter, r *http.Request) error {
	return h.list(w, r, Member.Takes)
}

// SetActiveRole handles POST /api/user/role/{roleid}: 404 when the user lacks the role.
func (h *HTTP) SetActiveRole(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.Atoi(r.PathValue("roleid"))
	if err != nil || id < 1 || id > 1<<20 {
		return apperr.InvalidField("roleid", "must be a role id (a positive integer)")
	}
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	m, err := h.Service.SetActiveRole(r.Context(), p, RoleID(id), httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toLkbUser(m))
	return nil
}

type firstLoginRequest struct {
	UserID string `json:"userid"`
	Value  string `json:"value"`
}

func (q *firstLoginRequest) Validate() error {
	if q.Value == "" {
		return apperr.InvalidField("value", "required: the new password")
	}
	return nil
}

// FirstLogin handles POST /api/lkbuser/firstlogin {"userid","value"}: the caller's temporary
// password becomes value. Every session of the user ends; a cookie caller gets a new cookie.
func (h *HTTP) FirstLogin(w http.ResponseWriter, r *http.Request) error {
	var req firstLoginRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	cookie, m, err := h.Service.FirstLogin(r.Context(), p, req.UserID, req.Value, httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	if cookie != "" {
		boauth.SetCookie(w, cookie)
	}
	httpapi.WriteJSON(w, http.StatusOK, toLkbUser(m))
	return nil
}
