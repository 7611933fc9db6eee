package branding

import (
	"strings"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

func TestSniff(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	for _, c := range []struct {
		name, body, want string
	}{
		{"png", png, "image/png"},
		{"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", "image/jpeg"},
		{"ico", "\x00\x00\x01\x00\x01\x00\x10\x10", "image/x-icon"},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`, "image/svg+xml"},
		{"svg with prolog, comment and BOM", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg viewBox=\"0 0 1 1\"></svg>", "image/svg+xml"},
		{"svg with doctype", "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg></svg>", "image/svg+xml"},
		{"svg script", `<svg><script>alert(1)</script></svg>`, ""},
		{"svg handler", `<svg onload="alert(1)"></svg>`, ""},
		{"svg javascript url", `<svg><a href="javascript:alert(1)"/></svg>`, ""},
		{"svg foreignObject", `<svg><foreignObject><p>x</p></foreignObject></svg>`, ""},
		{"svg entity", `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg/>`, ""},
		{"html", `<html><svg></svg></html>`, ""},
		{"ico without images", "\x00\x00\x01\x00\x00\x00", ""},
		{"gif", "GIF89a", ""},
		{"text", "hello", ""},
		{"empty", "", ""},
		{"invalid utf-8 svg", "<svg>\xff</svg>", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Sniff([]byte(c.body))
			if got != c.want || ok != (c.want != "") {
				t.Fatalf("Sniff = %q, %v; want %q", got, ok, c.want)
			}
		})
	}
}

func TestDefaultsAreValidImages(t *testing.T) {
	for _, l := range Logos {
		img, b := Default(l)
		if img.ContentType == "" || int64(len(b)) != img.Size || len(b) > MaxImageBytes || img.Key != "" || !strings.HasPrefix(img.ETag, `"`) {
			t.Fatalf("%s: %+v (%d bytes)", l, img, len(b))
		}
	}
	if err := DefaultSettings().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestSettingsValidate(t *testing.T) {
	ok := func() Settings {
		return Settings{Colors: []Color{{Name: "primary", Value: "#1F4E8C"}, {Name: "menu-text", Value: "#fff"}, {Name: "shade", Value: "#00000080"}},
			BankName: "АО «Банк»", SupportPhone: "8 (800) 100-00-00", SupportEmail: "support@bank.example"}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		edit  func(*Settings)
		field string
	}{
		{"no colours", func(s *Settings) { s.Colors = nil }, "colors"},
		{"too many colours", func(s *Settings) {
			for i := range MaxColors {
				s.Colors = append(s.Colors, Color{Name: "c" + strings.Repeat("x", i%30) + string(rune('a'+i%26)), Value: "#000"})
			}
		}, "colors"},
		{"bad value", func(s *Settings) { s.Colors[0].Value = "red" }, "colors[0].value"},
		{"five digits", func(s *Settings) { s.Colors[0].Value = "#12345" }, "colors[0].value"},
		{"no hash", func(s *Settings) { s.Colors[0].Value = "1F4E8C" }, "colors[0].value"},
		{"bad name", func(s *Settings) { s.Colors[1].Name = "1st" }, "colors[1].name"},
		{"duplicate name, any case", func(s *Settings) { s.Colors[1].Name = "PRIMARY" }, "colors[1].name"},
		{"no bank name", func(s *Settings) { s.BankName = "  " }, "bankName"},
		{"long bank name", func(s *Settings) { s.BankName = strings.Repeat("б", 201) }, "bankName"},
		{"bad phone", func(s *Settings) { s.SupportPhone = "call us" }, "supportPhone"},
		{"bad e-mail", func(s *Settings) { s.SupportEmail = "Support <support@bank.example>" }, "supportEmail"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := ok()
			c.edit(&s)
			e, isApp := apperr.As(s.Validate())
			if !isApp || e.Code != apperr.Validation || e.Fields[c.field] == "" {
				t.Fatalf("want a field error on %s, got %v", c.field, s.Validate())
			}
		})
	}
}

func TestIfNoneMatch(t *testing.T) {
	tag := `"abc"`
	for h, want := range map[string]bool{`"abc"`: true, `W/"abc"`: true, `"x", "abc"`: true, `*`: true, `"abd"`: false, ``: false} {
		if got := matches(h, tag); got != want {
			t.Errorf("matches(%q) = %v", h, got)
		}
	}
}

func TestContentTypeMatches(t *testing.T) {
	for _, c := range []struct {
		declared, sniffed string
		want              bool
	}{
		{"image/png", "image/png", true}, {"image/vnd.microsoft.icon", "image/x-icon", true}, {"image/jpg", "image/jpeg", true},
		{"image/svg+xml", "image/png", false}, {"text/plain", "image/svg+xml", false},
	} {
		if got := ContentTypeMatches(c.declared, c.sniffed); got != c.want {
			t.Errorf("%+v: got %v", c, got)
		}
	}
}
