package bankdocs

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/kabinet/kabinet/shared/applications"
)

// The embedded font draws every letter of the Russian alphabet (else fpdf would print blanks).
func TestFontCoversCyrillic(t *testing.T) {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	for _, r := range "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя№«»—" {
		if g, err := f.GlyphIndex(&b, r); err != nil || g == 0 {
			t.Errorf("no glyph for %q", r)
		}
	}
}

// utf16be is how fpdf writes a string of a UTF-8 font into a content stream.
func utf16be(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// Each form is a PDF whose (uncompressed) content shows what it must.
func TestFormsRender(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	app := applications.Application{ID: "01KAXQ7ZJ3M1P2Q3R4S5T6V7W8", Number: 42, CreatedAt: now,
		Company: applications.Company{INN: "7707083893", KPP: "773601001", OGRN: "1027700132195", ShortName: "ООО Ромашка",
			FullName: strings.Repeat("Общество с ограниченной ответственностью «Ромашка» ", 3), RegAddress: "г Москва, ул Вавилова, д 19", OKVED: []string{"62.01"}},
		Contact:       applications.Contact{FullName: "Иванов Иван Иванович", Phone: "+79161234567"},
		Office:        applications.Office{City: "Москва", Office: "Центральный"},
		Founders:      []applications.Founder{{FullName: "Петров Пётр", Share: 2550}},
		Questionnaire: map[string]string{"Выгодоприобретатели": "нет", "Планируемый оборот": "до 1 млн руб."},
	}
	tests := []struct {
		form Form
		want []string
	}{
		{Forms[0], []string{"Заявление на открытие счёта", "ООО Ромашка", "7707083893", "Иванов Иван Иванович", "25.50 %", "№ 42 от 26.11.2026", "Сформировано 26.11.2026 12:30"}},
		{Forms[1], []string{"Анкета клиента", "ООО Ромашка", "Выгодоприобретатели", "до 1 млн руб."}},
	}
	for _, tc := range tests {
		t.Run(tc.form.FileName, func(t *testing.T) {
			pdf, err := tc.form.Render(app, now, false)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.Contains(pdf, []byte("/FontFile2")) {
				t.Fatalf("not a PDF with an embedded TrueType font: %.40q", pdf)
			}
			for _, w := range tc.want {
				if !bytes.Contains(pdf, utf16be(w)) {
					t.Errorf("%q is not in the content", w)
				}
			}
			compressed, err := tc.form.Render(app, now, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(compressed) >= len(pdf) || bytes.Contains(compressed, utf16be("ООО Ромашка")) {
				t.Errorf("compressed: %d bytes of %d", len(compressed), len(pdf))
			}
		})
	}
	empty := app
	empty.Questionnaire = nil
	pdf, err := Forms[1].Render(empty, now, false)
	if err != nil || !bytes.Contains(pdf, utf16be("Анкета не заполнена.")) {
		t.Fatalf("empty questionnaire: %v", err)
	}
}

func TestLegalEntityType(t *testing.T) {
	for inn, want := range map[string]string{"7707083893": "LEGAL_ENTITY", "500100732259": "INDIVIDUAL_ENTREPRENEUR", "": "LEGAL_ENTITY"} {
		if got := LegalEntityType(applications.Application{Company: applications.Company{INN: inn}}); got != want {
			t.Errorf("%q: %s, want %s", inn, got, want)
		}
	}
}
