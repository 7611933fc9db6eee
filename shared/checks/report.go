package checks

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// SheetName is the report's one sheet.
const SheetName = "Проверки"

// All selects every run or every check of a run in the report's path.
const All = "all"

// reportColumns are the journal's columns (title, width).
var reportColumns = []struct {
	title string
	width float64
}{
	{"Проверка запущена", 18}, {"Вид", 14}, {"Ответ АБС", 30}, {"№", 5}, {"Тип проверки", 60}, {"Прошла", 8},
	{"Сообщение", 40}, {"Ручной результат", 16}, {"Кто установил", 28}, {"Когда", 18}, {"Комментарии", 80},
}

func moscowTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(moscow.Zone).Format("02.01.2006 15:04:05")
}

func yesNo(b bool) string {
	if b {
		return "Да"
	}
	return "Нет"
}

var manualNames = map[string]string{Passed: "Пройдена", Failed: "Не пройдена"}

// Report builds the XLSX journal of an application's checks: run is a run's executetime or
// All, check a check's id within it or All (404 for an unknown application, run or check).
// It returns the file and its name.
func (s *Service) Report(ctx context.Context, applicationID, run, check string) ([]byte, string, error) {
	app, err := s.Review.Application(ctx, applicationID)
	if err != nil {
		return nil, "", err
	}
	runs, err := s.runs(ctx, applicationID)
	if err != nil {
		return nil, "", err
	}
	if run != All {
		stamp, ok := normalRun(run)
		i := slices.IndexFunc(runs, func(r Run) bool { return r.ExecuteTime == stamp })
		if !ok || i < 0 {
			return nil, "", errNoRun
		}
		runs = runs[i : i+1]
		if check != All {
			j := slices.IndexFunc(runs[0].Checks, func(c Check) bool { return c.ID == check })
			if j < 0 {
				return nil, "", errNoCheck
			}
			runs[0].Checks = runs[0].Checks[j : j+1]
		}
	} else if check != All {
		return nil, "", apperr.InvalidField("checktype", `must be "all" when executetime is "all"`)
	}
	raw, err := render(runs)
	if err != nil {
		return nil, "", err
	}
	return raw, "checks-" + app.ID + ".xlsx", nil
}

// render writes the runs' checks, a row each (a run without checks is one row with the ABS's
// answer), under a bold frozen header with an autofilter.
func render(runs []Run) (_ []byte, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(reportColumns))
	for i, c := range reportColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, err
		}
		header[i] = excelize.Cell{StyleID: bold, Value: c.title}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	rows := 1
	write := func(values ...any) error {
		rows++
		cells := make([]any, len(values))
		for i, v := range values {
			cells[i] = excelize.Cell{StyleID: wrap, Value: v}
		}
		cell, err := excelize.CoordinatesToCellName(1, rows)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	}
	for _, r := range runs {
		answer := r.Comment
		switch {
		case r.Failure != "":
			answer = "Вызов АБС не выполнен"
		case answer == "" && r.OK:
			answer = "Успешно"
		case answer == "":
			answer = "Ошибка"
		}
		if len(r.Checks) == 0 {
			if err := write(moscowTime(r.At), string(r.Kind), answer); err != nil {
				return nil, err
			}
			continue
		}
		for _, c := range r.Checks {
			var manual, by, when string
			if c.Manual != nil {
				manual, by, when = manualNames[c.Manual.Result], who(*c.Manual), moscowTime(c.Manual.At)
			}
			comments := make([]string, len(c.Comments))
			for i, m := range c.Comments {
				comments[i] = moscowTime(m.At) + " " + who(m) + ": " + m.Content
			}
			if err := write(moscowTime(r.At), string(r.Kind), answer, c.ID, c.Type, yesNo(c.Passed), c.Message,
				manual, by, when, strings.Join(comments, "\n")); err != nil {
				return nil, err
			}
		}
	}
	last, err := excelize.CoordinatesToCellName(len(reportColumns), rows)
	if err != nil {
		return nil, err
	}
	if err := f.AutoFilter(SheetName, "A1:"+last, nil); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// who names a mark's author: the full name, else the user id.
func who(m Mark) string {
	if m.ByName != "" {
		return m.ByName
	}
	return m.By
}
