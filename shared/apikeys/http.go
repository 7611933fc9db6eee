package apikeys

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the credential endpoints: management on the client API, identity checks on
// the partner API.
type HTTP struct{ Service *Service }

func actor(r *http.Request) Actor {
	p, _ := httpapi.CallerOf(r.Context())
	role := ""
	if len(p.Roles) > 0 {
		role = p.Roles[0]
	}
	return Actor{UserID: p.Subject, OrgID: p.Org, Role: role, IP: httpapi.ClientIP(r)}
}

type credentialItem struct {
	AppID      string     `json:"appId,omitempty"`
	KeyID      string     `json:"keyId,omitempty"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"createdAt"`
	CreatedBy  string     `json:"createdBy"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	RevokedBy  string     `json:"revokedBy,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toItem(c Credential) credentialItem {
	it := credentialItem{Status: c.Status, CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy,
		LastUsedAt: optTime(c.LastUsedAt), RevokedAt: optTime(c.RevokedAt), RevokedBy: c.RevokedBy}
	if c.Kind == Partner {
		it.KeyID = c.ID
	} else {
		it.AppID = c.ID
	}
	return it
}

type createdCredential struct {
	credentialItem
	SharedKey string `json:"sharedKey,omitempty"`
	Secret    string `json:"secret,omitempty"`
	Notice    string `json:"notice"`
}

func (h *HTTP) create(kind Kind) httpapi.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := h.Service.Create(r.Context(), kind, actor(r))
		if err != nil {
			return err
		}
		out := createdCredential{credentialItem: toItem(c.Credential)}
		if kind == Partner {
			out.Secret = c.Secret
			out.Notice = "the secret is shown only now: store it safely; sign requests with it (X-Key-Id, X-Timestamp, X-Signature: HMAC-SHA256)"
		} else {
			out.SharedKey = c.Secret
			out.Notice = "the shared key is shown only now: store it safely; call the API with HTTP Basic app-id:shared-key"
		}
		httpapi.WriteJSON(w, http.StatusCreated, out)
		return nil
	}
}

func (h *HTTP) list(kind Kind) httpapi.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		limit, err := httpapi.QueryInt(r, "limit", 50, 1, 200)
		if err != nil {
			return err
		}
		creds, next, err := h.Service.List(r.Context(), kind, actor(r), r.URL.Query().Get("pageToken"), limit)
		if err != nil {
			return err
		}
		items := make([]credentialItem, len(creds))
		for i, c := range creds {
			items[i] = toItem(c)
		}
		max := h.Service.Policy.MaxActiveAgent
		if kind == Partner {
			max = h.Service.Policy.MaxActivePartner
		}
		httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextPageToken": next, "maxActive": max})
		return nil
	}
}

func (h *HTTP) revoke(kind Kind, param string) httpapi.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := h.Service.Revoke(r.Context(), kind, actor(r), r.PathValue(param)); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// CreateCredential handles POST /v1/api-credentials: a new app-id / shared-key pair (A12).
func (h *HTTP) CreateCredential() httpapi.Handler { return h.create(Agent) }

// ListCredentials handles GET /v1/api-credentials?pageToken=&limit=: never the keys.
func (h *HTTP) ListCredentials() httpapi.Handler { return h.list(Agent) }

// RevokeCredential handles DELETE /v1/api-credentials/{appId}.
func (h *HTTP) RevokeCredential() httpapi.Handler { return h.revoke(Agent, "appId") }

// CreatePartnerKey handles POST /v1/partner-keys: a new key id / secret.
func (h *HTTP) CreatePartnerKey() httpapi.Handler { return h.create(Partner) }

// ListPartnerKeys handles GET /v1/partner-keys?pageToken=&limit=: never the secrets.
func (h *HTTP) ListPartnerKeys() httpapi.Handler { return h.list(Partner) }

// RevokePartnerKey handles DELETE /v1/partner-keys/{keyId}.
func (h *HTTP) RevokePartnerKey() httpapi.Handler { return h.revoke(Partner, "keyId") }

// AgentWhoami handles GET /v1/agent/whoami on the partner API (AgentKey scheme): which
// organisation and app id the Basic credentials stand for.
func AgentWhoami(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.CallerOf(r.Context())
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"scheme": string(p.Scheme), "orgId": p.Org, "appId": p.Subject})
	return nil
}

// PartnerWhoami handles GET /v1/partner/whoami on the partner API (PartnerHMAC scheme):
// which organisation and key signed the request.
func PartnerWhoami(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.CallerOf(r.Context())
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"scheme": string(p.Scheme), "orgId": p.Org, "keyId": p.Subject})
	return nil
}
