package branding

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// HTTP serves the UI settings on the back-office API.
type HTTP struct{ Service *Service }

// imageCSP keeps an image opened on its own (an SVG above all) from running anything.
const imageCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// Logo returns the handler of GET /api/logo/<l> (seed 004 "UI"): the image with its
// Content-Type and a strong ETag; a matching If-None-Match gets 304 without the bytes. Browsers
// revalidate each time (no-cache), so a new logo shows at once, at the cost of a 304.
func (h *HTTP) Logo(l Logo) httpapi.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		img, err := h.Service.Image(r.Context(), l)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", img.ETag)
		w.Header().Set("Cache-Control", "no-cache")
		if matches(r.Header.Get("If-None-Match"), img.ETag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		b, err := h.Service.Bytes(r.Context(), img)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", img.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", imageCSP)
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(b)
		}
		return nil
	}
}

// matches implements If-None-Match's weak comparison over a list of tags (or "*").
func matches(header, tag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t != "" && t == tag {
			return true
		}
	}
	return false
}

// imageInfo is the answer of an image upload.
type imageInfo struct {
	Logo        Logo      `json:"logo"`
	ContentType string    `json:"contentType"`
	ETag        string    `json:"etag"`
	Size        int64     `json:"size"`
	UpdatedAt   time.Time `json:"updatedAt"`
	UpdatedBy   string    `json:"updatedBy"`
}

// LogoUpdate handles PUT /v1/ui-settings/logos/{logo} (administrators): the body is the
// image's bytes (PNG, JPEG, ICO or SVG, at most MaxImageBytes), its Content-Type the image's
// type or absent; 400 when the bytes are no such image or disagree with the Content-Type,
// 413 past the limit, 404 for an unknown logo.
func (h *HTTP) LogoUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	l := Logo(r.PathValue("logo"))
	if !l.Valid() {
		return apperr.New(apperr.NotFound, "no such logo: login, system or favicon")
	}
	declared := ""
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return apperr.New(apperr.BadRequest, "Content-Type cannot be read")
		}
		declared = mt
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxImageBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.Newf(apperr.TooLarge, "the image exceeds %d bytes", MaxImageBytes)
	}
	if err != nil {
		return apperr.New(apperr.BadRequest, "request body cannot be read")
	}
	img, err := h.Service.SetImage(r.Context(), p.Subject, l, declared, data)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, imageInfo{Logo: img.Logo, ContentType: img.ContentType, ETag: img.ETag, Size: img.Size, UpdatedAt: img.UpdatedAt, UpdatedBy: img.UpdatedBy})
	return nil
}

// Colors handles GET /api/system/color (seed 004 "getSystemColors", no login: the login page
// is painted with them): the list of colours, [{"name","value"}].
func (h *HTTP) Colors(w http.ResponseWriter, r *http.Request) error {
	s, err := h.Service.Settings(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache")
	httpapi.WriteJSON(w, http.StatusOK, filled(s.Colors))
	return nil
}

func filled(cs []Color) []Color {
	if cs == nil {
		return []Color{}
	}
	return cs
}

// settingsView is the settings document as the bank reads and sends it.
type settingsView struct {
	Version      int64      `json:"version"`
	Colors       []Color    `json:"colors"`
	BankName     string     `json:"bankName"`
	SupportPhone string     `json:"supportPhone"`
	SupportEmail string     `json:"supportEmail"`
	Logos        []logoView `json:"logos"`
	UpdatedAt    *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy    string     `json:"updatedBy,omitempty"`
}

type logoView struct {
	Logo        Logo       `json:"logo"`
	Path        string     `json:"path"` // where the seed serves it
	Default     bool       `json:"default"`
	ContentType string     `json:"contentType"`
	ETag        string     `json:"etag"`
	Size        int64      `json:"size"`
	UpdatedAt   *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy   string     `json:"updatedBy,omitempty"`
}

func (h *HTTP) view(r *http.Request, s Settings) (settingsView, error) {
	v := settingsView{Version: s.Version, Colors: filled(s.Colors), BankName: s.BankName, SupportPhone: s.SupportPhone,
		SupportEmail: s.SupportEmail, UpdatedBy: s.UpdatedBy, Logos: []logoView{}}
	if !s.UpdatedAt.IsZero() {
		v.UpdatedAt = &s.UpdatedAt
	}
	for _, l := range Logos {
		img, err := h.Service.Image(r.Context(), l)
		if err != nil {
			return settingsView{}, err
		}
		lv := logoView{Logo: l, Path: "/api/logo/" + string(l), Default: img.Key == "", ContentType: img.ContentType, ETag: img.ETag, Size: img.Size, UpdatedBy: img.UpdatedBy}
		if !img.UpdatedAt.IsZero() {
			lv.UpdatedAt = &img.UpdatedAt
		}
		v.Logos = append(v.Logos, lv)
	}
	return v, nil
}

// SettingsGet handles GET /v1/ui-settings: colours, login-page texts and the logos in use,
// with the version to edit (0 while the defaults are in use).
func (h *HTTP) SettingsGet(w http.ResponseWriter, r *http.Request) error {
	s, err := h.Service.Settings(r.Context())
	if err != nil {
		return err
	}
	v, err := h.view(r, s)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, v)
	return nil
}

// settingsRequest is the body of PUT /v1/ui-settings: the whole editable document and the
// version it was read with.
type settingsRequest struct {
	Version      *int64  `json:"version"`
	Colors       []Color `json:"colors"`
	BankName     string  `json:"bankName"`
	SupportPhone string  `json:"supportPhone"`
	SupportEmail string  `json:"supportEmail"`
}

func (q settingsRequest) Validate() error {
	if q.Version == nil {
		return apperr.InvalidField("version", "is required (the version the settings were read with)")
	}
	return q.settings().Validate()
}

func (q settingsRequest) settings() Settings {
	return Settings{Colors: q.Colors, BankName: q.BankName, SupportPhone: q.SupportPhone, SupportEmail: q.SupportEmail}
}

// maxSettingsBody bounds the settings document.
const maxSettingsBody = 32 << 10

// SettingsUpdate handles PUT /v1/ui-settings (administrators): saves colours and texts; 409
// when they changed since they were read.
func (h *HTTP) SettingsUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var q settingsRequest
	if err := httpapi.Decode(w, r, &q, maxSettingsBody); err != nil {
		return err
	}
	s, err := h.Service.SaveSettings(r.Context(), p.Subject, *q.Version, q.settings())
	if err != nil {
		return err
	}
	v, err := h.view(r, s)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, v)
	return nil
}
