// Package branding keeps the back office's UI settings (issue 5, seed 004 section "UI"): the
// logo of the login page, the logo of the top menu and the favicon, the colours of the
// interface, and the texts of the login page (bank name, support phone and e-mail, shown by
// GET /api/info/systeminfologin). Until the bank uploads its own, defaults embedded in the
// binary are served.
//
// Images are validated by their bytes, not by what the client says: PNG, JPEG, ICO or SVG
// (an SVG with scripts or event handlers is refused, and every image goes out with a
// sandboxing Content-Security-Policy). The bytes live in DocumentsBucket under ui/, one
// object per content (its key holds the SHA-256), so an image's ETag never lies.
package branding

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Logo names one of the images: the seed's /api/logo/login, /api/logo/system, /api/logo/favicon.
type Logo string

const (
	LoginLogo  Logo = "login"   // shown on the login page
	SystemLogo Logo = "system"  // shown in the top menu
	Favicon    Logo = "favicon" // the browser tab's icon
)

// Logos lists every image in a fixed order.
var Logos = []Logo{LoginLogo, SystemLogo, Favicon}

// Valid reports whether l is one of Logos.
func (l Logo) Valid() bool { return l == LoginLogo || l == SystemLogo || l == Favicon }

// MaxImageBytes bounds an uploaded image: logos and icons are small, and the body travels
// base64-encoded through API Gateway (10 MB limit) and a Lambda invocation.
const MaxImageBytes = 512 << 10

// Image describes a stored image. Key is "" for a default one (its bytes are embedded).
type Image struct {
	Logo        Logo
	Key         string // object key in DocumentsBucket
	ContentType string // image/png, image/jpeg, image/x-icon, image/svg+xml
	ETag        string // quoted, strong: the content's SHA-256 (32 hex digits)
	Size        int64
	UpdatedAt   time.Time
	UpdatedBy   string
}

//go:embed assets
var assets embed.FS

var defaults = map[Logo]string{LoginLogo: "assets/logo-login.svg", SystemLogo: "assets/logo-system.svg", Favicon: "assets/favicon.png"}

// Default returns the embedded default image of l and its bytes.
func Default(l Logo) (Image, []byte) {
	b, err := assets.ReadFile(defaults[l])
	if err != nil {
		panic(err) // the assets are part of the binary
	}
	ct, _ := Sniff(b)
	return Image{Logo: l, ContentType: ct, ETag: etag(b), Size: int64(len(b))}, b
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// Sniff tells the image type of b from its bytes: ok false when it is none of the accepted
// ones, or an SVG carrying active content.
func Sniff(b []byte) (contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", true
	case len(b) >= 6 && bytes.HasPrefix(b, []byte{0, 0, 1, 0}) && (b[4] != 0 || b[5] != 0):
		return "image/x-icon", true // ICONDIR: reserved 0, type 1, at least one image
	case isSVG(b):
		return "image/svg+xml", true
	}
	return "", false
}

var (
	svgStart  = regexp.MustCompile(`(?is)^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!doctype svg[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]`)
	svgActive = regexp.MustCompile(`(?i)<script|<foreignobject|\son[a-z]+\s*=|javascript:|<!entity`)
)

// isSVG accepts UTF-8 text whose root element is <svg> and that holds no script, event
// handler, javascript: URL, foreign HTML or entity declaration.
func isSVG(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	return utf8.Valid(b) && svgStart.Match(b) && !svgActive.Match(b)
}

// ContentTypeMatches reports whether the Content-Type a client declared fits the sniffed
// type (image/vnd.microsoft.icon and image/jpg are accepted aliases).
func ContentTypeMatches(declared, sniffed string) bool {
	switch declared {
	case sniffed:
		return true
	case "image/vnd.microsoft.icon", "image/ico":
		return sniffed == "image/x-icon"
	case "image/jpg", "image/pjpeg":
		return sniffed == "image/jpeg"
	}
	return false
}

// Color is one named colour of the interface.
type Color struct {
	Name  string `json:"name"`  // primary, menuBackground…
	Value string `json:"value"` // #RGB, #RRGGBB or #RRGGBBAA
}

// Settings are the UI settings document. Version is 0 for the defaults, never saved.
type Settings struct {
	Version      int64
	Colors       []Color
	BankName     string // the login page's title
	SupportPhone string
	SupportEmail string
	UpdatedAt    time.Time
	UpdatedBy    string
}

// DefaultSettings are served until the bank first saves its own.
func DefaultSettings() Settings {
	return Settings{
		Colors: []Color{
			{Name: "primary", Value: "#1F4E8C"},
			{Name: "secondary", Value: "#5B7DB1"},
			{Name: "accent", Value: "#F29F05"},
			{Name: "background", Value: "#F5F7FA"},
			{Name: "text", Value: "#1C1C1C"},
			{Name: "menuBackground", Value: "#1F4E8C"},
			{Name: "menuText", Value: "#FFFFFF"},
			{Name: "success", Value: "#2E7D32"},
			{Name: "warning", Value: "#ED6C02"},
			{Name: "error", Value: "#C62828"},
		},
		BankName:     "Личный кабинет банка",
		SupportPhone: "",
		SupportEmail: "",
	}
}

var (
	colorName  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]{0,39}$`)
	colorValue = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)
	phoneChars = regexp.MustCompile(`^[0-9+()\- ]{5,30}$`)
)

// MaxColors bounds the palette.
const MaxColors = 50

// Validate checks the editable part of s, naming each wrong field as the body does.
func (s Settings) Validate() error {
	f := apperr.Fields{}
	f.Check(len(s.Colors) > 0, "colors", "at least one colour is required")
	f.Check(len(s.Colors) <= MaxColors, "colors", fmt.Sprintf("at most %d colours", MaxColors))
	seen := map[string]bool{}
	for i, c := range s.Colors {
		at := fmt.Sprintf("colors[%d]", i)
		switch {
		case !colorName.MatchString(c.Name):
			f.Add(at+".name", "must be 1–40 letters, digits, '-' or '_', starting with a letter")
		case seen[strings.ToLower(c.Name)]:
			f.Add(at+".name", "duplicate colour name")
		}
		seen[strings.ToLower(c.Name)] = true
		f.Check(colorValue.MatchString(c.Value), at+".value", "must be a hex colour: #RGB, #RRGGBB or #RRGGBBAA")
	}
	n := utf8.RuneCountInString(strings.TrimSpace(s.BankName))
	f.Check(n >= 1 && n <= 200, "bankName", "must be 1–200 characters")
	f.Check(s.SupportPhone == "" || phoneChars.MatchString(s.SupportPhone), "supportPhone", "must be a phone number: digits, spaces, + ( ) -")
	if s.SupportEmail != "" {
		a, err := mail.ParseAddress(s.SupportEmail)
		f.Check(err == nil && a.Address == s.SupportEmail && len(s.SupportEmail) <= 254, "supportEmail", "must be an e-mail address")
	}
	return f.Err()
}

// ErrStale is returned by Store.SaveSettings when the stored version is not the one read.
var ErrStale = errors.New("branding: settings changed since they were read")

// Store keeps the settings document and which image is current for each logo.
type Store interface {
	// Settings returns the saved settings (ok false when never saved).
	Settings(ctx context.Context) (s Settings, ok bool, err error)
	// SaveSettings stores s (its Version already the next one) if the stored version is
	// previous (0: none stored); ErrStale otherwise.
	SaveSettings(ctx context.Context, s Settings, previous int64) error
	// Image returns the current image of l (ok false while the default is in use).
	Image(ctx context.Context, l Logo) (img Image, ok bool, err error)
	// SetImage makes img the current image of its logo.
	SetImage(ctx context.Context, img Image) error
}

// Files keeps the images' bytes.
type Files interface {
	Put(ctx context.Context, key, contentType string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
}

// Service reads and edits the UI settings.
type Service struct {
	Store Store
	Files Files
	Now   func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Settings returns the saved settings or the defaults (version 0).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	st, ok, err := s.Store.Settings(ctx)
	if err != nil {
		return Settings{}, err
	}
	if !ok {
		return DefaultSettings(), nil
	}
	return st, nil
}

// SaveSettings replaces the editable settings, read at version; 409 when they changed since.
func (s *Service) SaveSettings(ctx context.Context, by string, version int64, next Settings) (Settings, error) {
	if err := next.Validate(); err != nil {
		return Settings{}, err
	}
	cur, err := s.Settings(ctx)
	if err != nil {
		return Settings{}, err
	}
	if cur.Version != version {
		return Settings{}, apperr.Newf(apperr.Conflict, "the settings changed since they were read (version %d, now %d): read them again", version, cur.Version)
	}
	next.BankName = strings.TrimSpace(next.BankName)
	next.Version, next.UpdatedAt, next.UpdatedBy = version+1, s.now().UTC(), by
	if err := s.Store.SaveSettings(ctx, next, version); err != nil {
		if errors.Is(err, ErrStale) {
			return Settings{}, apperr.New(apperr.Conflict, "the settings changed since they were read: read them again")
		}
		return Settings{}, err
	}
	return next, nil
}

// Image returns the current image of l: the uploaded one or the default.
func (s *Service) Image(ctx context.Context, l Logo) (Image, error) {
	img, ok, err := s.Store.Image(ctx, l)
	if err != nil {
		return Image{}, err
	}
	if !ok {
		img, _ = Default(l)
	}
	return img, nil
}

// Bytes returns the content of img.
func (s *Service) Bytes(ctx context.Context, img Image) ([]byte, error) {
	if img.Key == "" {
		_, b := Default(img.Logo)
		return b, nil
	}
	return s.Files.Get(ctx, img.Key)
}

// SetImage stores data as the image of l. declared is the request's Content-Type ("" when
// absent): when given it must agree with the bytes.
func (s *Service) SetImage(ctx context.Context, by string, l Logo, declared string, data []byte) (Image, error) {
	if !l.Valid() {
		return Image{}, apperr.New(apperr.NotFound, "no such logo: login, system or favicon")
	}
	if len(data) == 0 {
		return Image{}, apperr.New(apperr.BadRequest, "request body is empty: send the image's bytes")
	}
	if len(data) > MaxImageBytes {
		return Image{}, apperr.Newf(apperr.TooLarge, "the image exceeds %d bytes", MaxImageBytes)
	}
	ct, ok := Sniff(data)
	if !ok {
		return Image{}, apperr.New(apperr.BadRequest, "the body is not a PNG, JPEG, ICO or SVG image (SVG without scripts or event handlers)")
	}
	if declared != "" && declared != "application/octet-stream" && !ContentTypeMatches(declared, ct) {
		return Image{}, apperr.Newf(apperr.BadRequest, "Content-Type %s does not match the image, which is %s", declared, ct)
	}
	tag := etag(data)
	img := Image{Logo: l, Key: "ui/" + string(l) + "/" + strings.Trim(tag, `"`), ContentType: ct, ETag: tag,
		Size: int64(len(data)), UpdatedAt: s.now().UTC(), UpdatedBy: by}
	// The object first: the item never points at bytes that are not there.
	if err := s.Files.Put(ctx, img.Key, ct, data); err != nil {
		return Image{}, err
	}
	if err := s.Store.SetImage(ctx, img); err != nil {
		return Image{}, err
	}
	return img, nil
}
