package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"github.com/kabinet/kabinet/shared/platform/moscow"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// SheetName is the XLSX file's one sheet.
const SheetName = "Заявки"

// DateLayout is how the CSV file writes dates and times (Moscow time), and the XLSX date
// cells' number format shows them.
const (
	DateLayout   = "02.01.2006 15:04"
	xlsxDateFmt  = "dd.mm.yyyy hh:mm"
	contentXLSX  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	contentCSV   = "text/csv; charset=utf-8"
	byteOrderBOM = "\ufeff"
)

// sheet writes a report file: the header when made, then one row per application.
type sheet interface {
	row(values []any) error
	finish() ([]byte, error) // the whole file
	close()                  // frees what the writer holds (temporary files)
}

func newSheet(format string, cols []Column) (sheet, error) {
	if format == FormatCSV {
		return newCSVSheet(cols)
	}
	return newXLSXSheet(cols)
}

func contentType(format string) string {
	if format == FormatCSV {
		return contentCSV
	}
	return contentXLSX
}

// csvSheet is CSV as Russian Excel opens it: UTF-8 with a byte-order mark, ";" between
// fields, RFC 4180 quoting (encoding/csv) and CRLF line ends.
type csvSheet struct {
	buf bytes.Buffer
	w   *csv.Writer
}

func newCSVSheet(cols []Column) (*csvSheet, error) {
	s := &csvSheet{}
	s.buf.WriteString(byteOrderBOM)
	s.w = csv.NewWriter(&s.buf)
	s.w.Comma, s.w.UseCRLF = ';', true
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Title
	}
	return s, s.w.Write(header)
}

func (s *csvSheet) row(values []any) error {
	rec := make([]string, len(values))
	for i, v := range values {
		rec[i] = text(v)
		if _, ok := v.(string); ok {
			rec[i] = inert(rec[i])
		}
	}
	return s.w.Write(rec)
}

// inert keeps a text cell from being read as a formula when the CSV is opened in a
// spreadsheet (CSV injection): a leading =, @, tab or CR, or a + or - not followed by a plain
// number (a phone such as +79161234567 stays as it is), gets a leading apostrophe.
func inert(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '@', '\t', '\r':
		return "'" + v
	case '+', '-':
		for _, r := range v[1:] {
			if (r < '0' || r > '9') && r != ' ' && r != '(' && r != ')' && r != '-' {
				return "'" + v
			}
		}
	}
	return v
}

func (s *csvSheet) finish() ([]byte, error) {
	s.w.Flush()
	return s.buf.Bytes(), s.w.Error()
}

func (s *csvSheet) close() {}

// text is a value as the CSV file writes it.
func text(v any) string {
	switch v := v.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(moscow.Zone).Format(DateLayout)
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// xlsxSheet is one sheet written with excelize's stream writer (rows go to a buffer, to a
// temporary file past 16 MB): a bold, frozen header with an autofilter, column widths, dates
// as date cells (Moscow time) in a date number format.
type xlsxSheet struct {
	f          *excelize.File
	sw         *excelize.StreamWriter
	cols       int
	rows       int // written, header included
	dateStyle  int
	rowsBuffer []any
}

func newXLSXSheet(cols []Column) (_ *xlsxSheet, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			_ = f.Close()
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	dateFmt := xlsxDateFmt
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return nil, err
	}
	// Panes and widths go before the first row (stream writer rule).
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return nil, err
		}
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: bold, Value: c.Title}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	return &xlsxSheet{f: f, sw: sw, cols: len(cols), rows: 1, dateStyle: date, rowsBuffer: make([]any, len(cols))}, nil
}

func (s *xlsxSheet) row(values []any) error {
	for i, v := range values {
		switch v := v.(type) {
		case time.Time:
			if v.IsZero() {
				s.rowsBuffer[i] = nil
			} else {
				s.rowsBuffer[i] = excelize.Cell{StyleID: s.dateStyle, Value: wallClock(v)}
			}
		case string:
			if v == "" {
				s.rowsBuffer[i] = nil
			} else {
				s.rowsBuffer[i] = v
			}
		default:
			s.rowsBuffer[i] = v
		}
	}
	s.rows++
	cell, err := excelize.CoordinatesToCellName(1, s.rows)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, s.rowsBuffer)
}

func (s *xlsxSheet) finish() ([]byte, error) {
	last, err := excelize.CoordinatesToCellName(s.cols, s.rows)
	if err != nil {
		return nil, err
	}
	// Set on the worksheet the stream writer holds, before Flush writes it out.
	if err := s.f.AutoFilter(SheetName, "A1:"+last, nil); err != nil {
		return nil, err
	}
	if err := s.sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := s.f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *xlsxSheet) close() { _ = s.f.Close() }

// wallClock is t's Moscow date and time as a zone-less value: Excel dates have no zone, and
// excelize takes a time's UTC fields.
func wallClock(t time.Time) time.Time {
	m := t.In(moscow.Zone)
	return time.Date(m.Year(), m.Month(), m.Day(), m.Hour(), m.Minute(), m.Second(), 0, time.UTC)
}
