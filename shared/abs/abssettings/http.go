package abssettings

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the settings on the back-office API.
type HTTP struct{ Service *Service }

// maxBody bounds a PUT: four endpoints of bounded texts.
const maxBody = 32 << 10

// settingsJSON is the document as the administrator reads and sends it:
//
//	{"version":1,
//	 "initialCheck":{"enabled":true,"url":"https://abs.bank/send-request","successKey":"answerPermit",
//	                 "successValue":"PERMIT","errorKey":"answerError","errorValue":"ERROR","commentKey":"comment"},
//	 "newClient":{…}, "openAccount":{… "dateFromKey","dateFromValue","dateToKey","dateToValue"},
//	 "deleteClient":{…}, "autoReject":false,
//	 "updatedAt":"2026-11-26T03:40:00Z", "updatedBy":"01K…"}
//
// version is required in a PUT (the one read; 0 while the defaults are in use); updatedAt and
// updatedBy are only answered.
type settingsJSON struct {
	Version *int64 `json:"version"`
	abs.Settings
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
}

// putJSON is a PUT's body: the whole settings, every part required, so a forgotten call is a
// 400 rather than a call silently switched off.
type putJSON struct {
	Version      *int64        `json:"version"`
	InitialCheck *abs.Endpoint `json:"initialCheck"`
	NewClient    *abs.Endpoint `json:"newClient"`
	OpenAccount  *abs.Endpoint `json:"openAccount"`
	DeleteClient *abs.Endpoint `json:"deleteClient"`
	AutoReject   *bool         `json:"autoReject"`
	UpdatedAt    *time.Time    `json:"updatedAt"` // as read; ignored
	UpdatedBy    *string       `json:"updatedBy"` // as read; ignored
}

func (q putJSON) Validate() error {
	f := apperr.Fields{}
	f.Check(q.Version != nil, "version", "is required (the version the settings were read with)")
	f.Check(q.InitialCheck != nil, "initialCheck", "is required")
	f.Check(q.NewClient != nil, "newClient", "is required")
	f.Check(q.OpenAccount != nil, "openAccount", "is required")
	f.Check(q.DeleteClient != nil, "deleteClient", "is required")
	f.Check(q.AutoReject != nil, "autoReject", "is required")
	return f.Err()
}

func (q putJSON) settings() abs.Settings {
	return abs.Settings{InitialCheck: *q.InitialCheck, NewClient: *q.NewClient, OpenAccount: *q.OpenAccount,
		DeleteClient: *q.DeleteClient, AutoReject: *q.AutoReject}
}

func toJSON(st Stored) settingsJSON {
	v := st.Version
	out := settingsJSON{Version: &v, Settings: st.Settings, UpdatedBy: st.UpdatedBy}
	if !st.UpdatedAt.IsZero() {
		out.UpdatedAt = &st.UpdatedAt
	}
	return out
}

// Get handles GET /v1/abs-settings: the settings with their version (0: the defaults).
func (h *HTTP) Get(w http.ResponseWriter, r *http.Request) error {
	st, err := h.Service.Get(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(st))
	return nil
}

// Put handles PUT /v1/abs-settings: an administrator saves the whole settings (every call and
// autoReject required); 400 with the invalid fields, 409 when they changed since they were read.
func (h *HTTP) Put(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var q putJSON
	if err := httpapi.Decode(w, r, &q, maxBody); err != nil {
		return err
	}
	st, err := h.Service.Save(r.Context(), p.Subject, *q.Version, q.settings())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(st))
	return nil
}
