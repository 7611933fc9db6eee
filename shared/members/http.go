package members

import (
	"context"
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves member management on the client API and activation on the back-office API.
type HTTP struct{ Service *Service }

type groupJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

// CreateGroup handles POST /v1/groups {"name"} (A13).
func (h *HTTP) CreateGroup(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := httpapi.Decode(w, r, &req, 1024); err != nil {
		return err
	}
	g, err := h.Service.CreateGroup(r.Context(), identity.ActorOf(r), req.Name)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, groupJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt})
	return nil
}

// Groups handles GET /v1/groups.
func (h *HTTP) Groups(w http.ResponseWriter, r *http.Request) error {
	gs, err := h.Service.Groups(r.Context(), identity.ActorOf(r))
	if err != nil {
		return err
	}
	items := make([]groupJSON, len(gs))
	for i, g := range gs {
		items[i] = groupJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

type userJSON struct {
	ID                 string        `json:"id"`
	FullName           string        `json:"fullName"`
	Email              string        `json:"email"`
	Phone              string        `json:"phone"`
	Login              string        `json:"login"`
	Role               identity.Role `json:"role"`
	GroupID            string        `json:"groupId,omitempty"`
	Status             string        `json:"status"`
	MustChangePassword bool          `json:"mustChangePassword"`
	CreatedAt          time.Time     `json:"createdAt"`
}

func toJSON(u identity.User) userJSON {
	return userJSON{ID: u.ID, FullName: u.FullName, Email: u.Email, Phone: u.Phone, Login: u.Login, Role: u.Role,
		GroupID: u.GroupID, Status: u.Status, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt}
}

type inviteRequest struct {
	FullName string        `json:"fullName"`
	Email    string        `json:"email"`
	Phone    string        `json:"phone"`
	Role     identity.Role `json:"role"`
	GroupID  string        `json:"groupId"`
}

// Invite handles POST /v1/users: 201 with the user; login details go by SMS and e-mail (A14).
func (h *HTTP) Invite(w http.ResponseWriter, r *http.Request) error {
	var req inviteRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	u, err := h.Service.InviteUser(r.Context(), identity.ActorOf(r), Invite{FullName: req.FullName, Email: req.Email, Phone: req.Phone, Role: req.Role, GroupID: req.GroupID})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, toJSON(u))
	return nil
}

// Users handles GET /v1/users?q=&status=&groupId=&limit=&pageToken= (A16).
func (h *HTTP) Users(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpapi.QueryInt(r, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	users, next, err := h.Service.Users(r.Context(), identity.ActorOf(r), Filter{NamePrefix: q.Get("q"), Status: q.Get("status"), GroupID: q.Get("groupId")}, q.Get("pageToken"), limit)
	if err != nil {
		return err
	}
	items := make([]userJSON, len(users))
	for i, u := range users {
		items[i] = toJSON(u)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextPageToken": next})
	return nil
}

// User handles GET /v1/users/{userId}.
func (h *HTTP) User(w http.ResponseWriter, r *http.Request) error {
	u, err := h.Service.User(r.Context(), identity.ActorOf(r), r.PathValue("userId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(u))
	return nil
}

type updateRequest struct {
	FullName *string        `json:"fullName"`
	Email    *string        `json:"email"`
	Role     *identity.Role `json:"role"`
	GroupID  *string        `json:"groupId"`
}

func (u *updateRequest) Validate() error {
	if u.FullName == nil && u.Email == nil && u.Role == nil && u.GroupID == nil {
		return apperr.New(apperr.BadRequest, "nothing to change: send fullName, email, role or groupId")
	}
	return nil
}

// Update handles PATCH /v1/users/{userId}.
func (h *HTTP) Update(w http.ResponseWriter, r *http.Request) error {
	var req updateRequest
	if err := httpapi.Decode(w, r, &req, 4096); err != nil {
		return err
	}
	u, err := h.Service.UpdateUser(r.Context(), identity.ActorOf(r), r.PathValue("userId"), Update{FullName: req.FullName, Email: req.Email, Role: req.Role, GroupID: req.GroupID})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(u))
	return nil
}

// StatusChange serves POST /v1/users/{userId}/<action> with one of the Service's status
// changes (Block, Unblock, Refuse, ResendInvitation: A15).
func (h *HTTP) StatusChange(do func(context.Context, Actor, string) (identity.User, error)) httpapi.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := do(r.Context(), identity.ActorOf(r), r.PathValue("userId"))
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusOK, toJSON(u))
		return nil
	}
}

// Activate handles POST /v1/agents/{orgId}/activate on the back-office API (A2).
func (h *HTTP) Activate(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.CallerOf(r.Context())
	org, err := h.Service.Activate(r.Context(), p.Subject, r.PathValue("orgId"), httpapi.ClientIP(r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"id": org.ID, "name": org.Name, "kind": org.Kind, "status": org.Status})
	return nil
}
