package binaries

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

var (
	pdf  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n%%EOF\n")
	png  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13}
	zip  = []byte{'P', 'K', 3, 4, 20, 0}
	csv  = []byte("ИНН;Сумма\r\n7707083893;1234,56\r\n")
	cp   = []byte{0xC8, 0xCD, 0xCD, ';', '1', '\n'} // "ИНН;1" in Windows-1251
	jpeg = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, file, declared string
		body                 []byte
		wantType             string
		wantCode             apperr.Code
		wantField            string
	}{
		{name: "pdf", file: "Акт.pdf", body: pdf, wantType: "application/pdf"},
		{name: "pdf declared", file: "act.PDF", declared: "application/pdf", body: pdf, wantType: "application/pdf"},
		{name: "octet-stream", file: "act.pdf", declared: "application/octet-stream", body: pdf, wantType: "application/pdf"},
		{name: "png", file: "scan.png", body: png, wantType: "image/png"},
		{name: "jpeg", file: "scan.jpg", declared: "image/jpeg", body: jpeg, wantType: "image/jpeg"},
		{name: "xlsx", file: "реестр.xlsx", declared: "application/zip", body: zip, wantType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{name: "docx", file: "act.docx", body: zip, wantType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{name: "csv utf-8", file: "реестр.csv", declared: "text/csv", body: csv, wantType: "text/csv"},
		{name: "csv as excel", file: "реестр.csv", declared: "application/vnd.ms-excel", body: csv, wantType: "text/csv"},
		{name: "txt cp1251", file: "note.txt", body: cp, wantType: "text/plain"},
		{name: "pdf named png", file: "scan.png", body: pdf, wantCode: apperr.Unprocessable},
		{name: "binary as txt", file: "note.txt", body: png, wantCode: apperr.Unprocessable},
		{name: "NUL in csv", file: "a.csv", body: []byte("a;b\x00"), wantCode: apperr.Unprocessable},
		{name: "exe", file: "run.exe", body: []byte("MZ"), wantCode: apperr.Validation, wantField: "fileName"},
		{name: "doc not allowed", file: "old.doc", body: []byte{0xD0, 0xCF, 0x11, 0xE0}, wantCode: apperr.Validation, wantField: "fileName"},
		{name: "no extension", file: "act", body: pdf, wantCode: apperr.Validation, wantField: "fileName"},
		{name: "path", file: "../act.pdf", body: pdf, wantCode: apperr.Validation, wantField: "fileName"},
		{name: "no name", file: "", body: pdf, wantCode: apperr.Validation, wantField: "fileName"},
		{name: "wrong declared type", file: "act.pdf", declared: "image/png", body: pdf, wantCode: apperr.Validation, wantField: "mimetype"},
		{name: "empty", file: "act.pdf", body: nil, wantCode: apperr.Validation, wantField: "file"},
		{name: "too large", file: "act.pdf", body: append(append([]byte{}, pdf...), make([]byte, MaxSize)...), wantCode: apperr.TooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ct, err := Check(tc.file, tc.declared, tc.body)
			if tc.wantCode == "" {
				if err != nil || ct != tc.wantType {
					t.Fatalf("Check = %q, %v; want %q", ct, err, tc.wantType)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != tc.wantCode {
				t.Fatalf("Check error %v, want code %s", err, tc.wantCode)
			}
			if tc.wantField != "" {
				if _, ok := ae.Fields[tc.wantField]; !ok {
					t.Fatalf("Check error fields %v, want %s", ae.Fields, tc.wantField)
				}
			}
		})
	}
}

func TestIfMatch(t *testing.T) {
	tests := []struct {
		header string
		want   int64
		bad    bool
	}{
		{"", 0, false}, {"*", 0, false}, {`"3"`, 3, false}, {`W/"3"`, 3, false}, {"3", 3, false},
		{`"x"`, 0, true}, {`"0"`, 0, true}, {"-1", 0, true},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("PATCH", "/api/binary/x", bytes.NewReader(nil))
		if tc.header != "" {
			r.Header.Set("If-Match", tc.header)
		}
		got, err := ifMatch(r)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ifMatch(%q) = %d, %v; want %d, bad %v", tc.header, got, err, tc.want, tc.bad)
		}
	}
}

func TestVersionKey(t *testing.T) {
	if got := (Object{ID: "01KAXQ7ZJ3M1P2Q3R4S5T6V7W8", Version: 12}).Key(); got != "binaries/01KAXQ7ZJ3M1P2Q3R4S5T6V7W8/12" {
		t.Fatal(got)
	}
}
