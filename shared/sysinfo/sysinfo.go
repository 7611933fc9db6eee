// Package sysinfo answers what the back office's pages show about the system (seed 004
// "Общее"): GET /api/info/systeminfologin for the login page (no login yet: the bank's name,
// support contacts and the version) and GET /api/info/systeminfo for the main page (the
// signing roles, flags such as whether the ABS integration is configured (E13), the running
// version, build time, stage and server time). The texts come from the UI settings
// (shared/branding), which the bank's administrators edit; the version from shared/system (E12).
package sysinfo

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/branding"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/system"
)

// SystemName is the product's name as the seed calls it.
const SystemName = "РАДАР"

// Settings reads the UI settings (branding.Service).
type Settings interface {
	Settings(ctx context.Context) (branding.Settings, error)
}

// HTTP serves the two pages' information.
type HTTP struct {
	Settings Settings
	Stage    string
	// ABSConfigured: the ABS integration has an address (template parameter AbsUrl).
	ABSConfigured bool
	Now           func() time.Time
}

// I18N is the seed's I18NStrings: the texts of the pages.
type I18N struct {
	SystemName   string `json:"systemName"`
	BankName     string `json:"bankName"`
	SupportPhone string `json:"supportPhone"`
	SupportEmail string `json:"supportEmail"`
}

// Version is the seed's SysVersion.
type Version struct {
	Version   string `json:"version"`
	BuildTime string `json:"buildTime"` // RFC 3339, "" when unknown
}

// Flags is the seed's SysFlags.
type Flags struct {
	ABSIntegration bool `json:"absIntegration"` // E13 calls have an address to go to
}

// Parameters is the seed's SysParameters.
type Parameters struct {
	Name       string    `json:"name"`
	Version    string    `json:"version"`
	BuildTime  string    `json:"buildTime"`
	Stage      string    `json:"stage"`
	ServerTime time.Time `json:"serverTime"`
	TimeZone   string    `json:"timeZone"` // dates of the back office are Moscow dates
}

// LoginInfo is the answer of GET /api/info/systeminfologin.
type LoginInfo struct {
	I18N    I18N    `json:"i18n"`
	Version Version `json:"version"`
}

// Info is the answer of GET /api/info/systeminfo.
type Info struct {
	SigningRoles []backoffice.Role `json:"signingRoles"`
	Flags        Flags             `json:"flags"`
	Parameters   Parameters        `json:"parameters"`
	I18N         I18N              `json:"i18n"`
}

func (h *HTTP) i18n(ctx context.Context) (I18N, error) {
	s, err := h.Settings.Settings(ctx)
	if err != nil {
		return I18N{}, err
	}
	return I18N{SystemName: SystemName, BankName: s.BankName, SupportPhone: s.SupportPhone, SupportEmail: s.SupportEmail}, nil
}

// Login handles GET /api/info/systeminfologin (public: the login page shows it).
func (h *HTTP) Login(w http.ResponseWriter, r *http.Request) error {
	t, err := h.i18n(r.Context())
	if err != nil {
		return err
	}
	v, built := system.Current()
	httpapi.WriteJSON(w, http.StatusOK, LoginInfo{I18N: t, Version: Version{Version: v, BuildTime: built}})
	return nil
}

// SigningRoles are the back-office roles that sign applications, by id.
func SigningRoles() []backoffice.Role {
	var out []backoffice.Role
	for _, r := range backoffice.Roles {
		if r.Signer {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b backoffice.Role) int { return int(a.ID) - int(b.ID) })
	if out == nil {
		out = []backoffice.Role{}
	}
	return out
}

// System handles GET /api/info/systeminfo (bank users).
func (h *HTTP) System(w http.ResponseWriter, r *http.Request) error {
	t, err := h.i18n(r.Context())
	if err != nil {
		return err
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	v, built := system.Current()
	httpapi.WriteJSON(w, http.StatusOK, Info{
		SigningRoles: SigningRoles(),
		Flags:        Flags{ABSIntegration: h.ABSConfigured},
		Parameters: Parameters{Name: SystemName + " — Личный кабинет банка", Version: v, BuildTime: built, Stage: h.Stage,
			ServerTime: now().UTC().Truncate(time.Millisecond), TimeZone: "Europe/Moscow"},
		I18N: t,
	})
	return nil
}
