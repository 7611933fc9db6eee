package checks

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kabinet/kabinet/shared/abs"
)

func TestParseResult(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"passed", Passed, true}, {" Passed ", Passed, true}, {"1", Passed, true},
		{"failed", Failed, true}, {"FAILED", Failed, true}, {"0", Failed, true},
		{"", "", false}, {"yes", "", false}, {"2", "", false}, {"-1", "", false},
	} {
		got, ok := ParseResult(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseResult(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNormalRun(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"2026-11-26T09:15:00.123456789Z", "2026-11-26T09:15:00.123456789Z", true},
		{"2026-11-26T09:15:00Z", "2026-11-26T09:15:00.000000000Z", true},
		{"2026-11-26T12:15:00.5+03:00", "2026-11-26T09:15:00.500000000Z", true},
		{"2026-11-26", "", false}, {"all", "", false}, {"", "", false},
	} {
		got, ok := normalRun(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normalRun(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A run whose call failed, or whose ABS answered without notes, is one row with the answer.
func TestRenderRunsWithoutChecks(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 15, 0, 0, time.UTC)
	raw, err := render([]Run{
		{At: at, Kind: abs.InitialCheck, Failure: "the call failed"},
		{At: at.Add(time.Hour), Kind: abs.InitialCheck, OK: false, Comment: "Проверка завершилась с ошибкой"},
		{At: at.Add(2 * time.Hour), Kind: abs.InitialCheck, OK: true, Checks: []Check{{ID: "1", Type: "A", Passed: true, Message: "ОК"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1][0] != "26.11.2026 12:15:00" || rows[1][2] != "Вызов АБС не выполнен" ||
		rows[2][2] != "Проверка завершилась с ошибкой" || rows[3][2] != "Успешно" || rows[3][5] != "Да" {
		t.Fatalf("rows: %q", rows)
	}
}
