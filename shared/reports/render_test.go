package reports

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kabinet/kabinet/shared/applications"
)

// sample is two applications: one submitted with every field, one draft with gaps and text
// that needs CSV quoting.
func sample() []applications.Application {
	created := time.Date(2026, 11, 3, 11, 5, 42, 0, time.UTC) // 14:05 in Moscow
	return []applications.Application{
		{Number: 12, Status: applications.StatusSubmitted, Product: "rko-start", CreatedAt: created, SubmittedAt: created.Add(26 * time.Hour),
			Company: applications.Company{INN: "7707083893", KPP: "773601001", OGRN: "1027700132195", ShortName: "ПАО Сбербанк", OKVED: []string{"64.19", "64.92"}},
			Contact: applications.Contact{FullName: "Иванов Иван", Phone: "+79161234567", Email: "ivanov@example.ru"},
			Office:  applications.Office{City: "Москва", Office: "Центральный"}},
		{Number: 13, Status: applications.StatusDraft, CreatedAt: time.Date(2026, 11, 30, 20, 59, 0, 0, time.UTC), // 23:59 in Moscow
			Company: applications.Company{INN: "7736207543", ShortName: `ООО "Яндекс"; филиал`, RegAddress: "г Москва,\nул Льва Толстого, д 16"}},
	}
}

var sampleColumns = []string{"number", "createdAt", "submittedAt", "status", "inn", "shortName", "regAddress", "okved", "contactPhone", "product"}

func render(t *testing.T, format string) []byte {
	t.Helper()
	cols := pick(sampleColumns)
	sh, err := newSheet(format, cols)
	if err != nil {
		t.Fatal(err)
	}
	defer sh.close()
	values := make([]any, len(cols))
	for _, a := range sample() {
		for i, c := range cols {
			values[i] = c.value(a)
		}
		if err := sh.row(values); err != nil {
			t.Fatal(err)
		}
	}
	body, err := sh.finish()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestCSV(t *testing.T) {
	got := string(render(t, FormatCSV))
	want := "\ufeff" +
		"№;Дата создания;Дата отправки;Статус;ИНН;Наименование;Юридический адрес;ОКВЭД;Телефон;Продукт\r\n" +
		"12;03.11.2026 14:05;04.11.2026 16:05;Отправлена в банк;7707083893;ПАО Сбербанк;;64.19, 64.92;+79161234567;rko-start\r\n" +
		"13;30.11.2026 23:59;;Черновик;7736207543;\"ООО \"\"Яндекс\"\"; филиал\";\"г Москва,\r\nул Льва Толстого, д 16\";;;\r\n" // encoding/csv writes CRLF inside quotes too
	if got != want {
		t.Fatalf("CSV:\n%q\nwant\n%q", got, want)
	}
}

func TestXLSX(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(render(t, FormatXLSX)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if names := f.GetSheetList(); len(names) != 1 || names[0] != SheetName {
		t.Fatalf("sheets %v", names)
	}
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"№", "Дата создания", "Дата отправки", "Статус", "ИНН", "Наименование", "Юридический адрес", "ОКВЭД", "Телефон", "Продукт"},
		{"12", "03.11.2026 14:05", "04.11.2026 16:05", "Отправлена в банк", "7707083893", "ПАО Сбербанк", "", "64.19, 64.92", "+79161234567", "rko-start"},
		{"13", "30.11.2026 23:59", "", "Черновик", "7736207543", `ООО "Яндекс"; филиал`, "г Москва,\nул Льва Толстого, д 16"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i+1, rows[i], want[i])
		}
	}
	// Dates are numbers with a date format, the number a real one; the number column a number.
	raw, _ := f.GetCellValue(SheetName, "B2", excelize.Options{RawCellValue: true})
	serial, err := strconv.ParseFloat(raw, 64)
	if want := 46329 + (14*3600+5*60+42)/86400.0; err != nil || math.Abs(serial-want) > 1e-9 {
		t.Errorf("B2 raw %q, want %v: the serial of 03.11.2026 14:05:42", raw, want)
	}
	if typ, _ := f.GetCellType(SheetName, "A2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("A2 is a string cell, want a number")
	}
	style, _ := f.GetCellStyle(SheetName, "B2")
	st, err := f.GetStyle(style)
	if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != xlsxDateFmt {
		t.Errorf("B2 style %+v %v", st, err)
	}
	style, _ = f.GetCellStyle(SheetName, "A1")
	if st, err := f.GetStyle(style); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold: %+v %v", st, err)
	}
	if p, err := f.GetPanes(SheetName); err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v", p, err)
	}
	if w, _ := f.GetColWidth(SheetName, "F"); w != 30 {
		t.Errorf("width of F %v", w)
	}
	filter := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && d.RefersTo == "'Заявки'!$A$1:$J$3" {
			filter = true
		}
	}
	if !filter {
		t.Errorf("no autofilter over A1:J3: %+v", f.GetDefinedName())
	}
}

// An empty period still gives a header (and a valid file).
func TestEmpty(t *testing.T) {
	for _, format := range []string{FormatCSV, FormatXLSX} {
		sh, err := newSheet(format, pick([]string{"inn"}))
		if err != nil {
			t.Fatal(err)
		}
		body, err := sh.finish()
		sh.close()
		if err != nil {
			t.Fatal(err)
		}
		if format == FormatCSV && string(body) != "\ufeffИНН\r\n" {
			t.Fatalf("empty CSV %q", body)
		}
		if format == FormatXLSX {
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(SheetName)
			if len(rows) != 1 || rows[0][0] != "ИНН" {
				t.Fatalf("empty XLSX rows %q", rows)
			}
		}
	}
}

// A text cell that a spreadsheet would run as a formula is made inert; phones stay as they are.
func TestCSVInert(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"\tx", "'\tx"},
		{"+79161234567", "+79161234567"},
		{"+7 (916) 123-45-67", "+7 (916) 123-45-67"},
		{"ООО Ромашка", "ООО Ромашка"},
		{"", ""},
	} {
		if got := inert(c.in); got != c.want {
			t.Errorf("inert(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
