package appdocs

import (
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

func TestDefaultTypesAreValid(t *testing.T) {
	if err := ValidateTypes(Default()); err != nil {
		t.Fatal(err)
	}
	got := agentTypes(Default())
	if len(got) != len(Default())-1 {
		t.Fatalf("agents see %d types, want all but the bank's own", len(got))
	}
	for _, ty := range got {
		if !ty.LKA || ty.Deleted {
			t.Fatalf("agents see %+v", ty)
		}
	}
}

func TestValidateTypes(t *testing.T) {
	ok := func() DocumentType {
		return DocumentType{ID: 1, LegalEntityType: "LEGAL_ENTITY", Name: "Устав", LKA: true, FileCount: 2, AllowFileTypeLKK: "pdf, JPG", MaxFileSize: 10}
	}
	tests := []struct {
		name  string
		edit  func(ts []DocumentType) []DocumentType
		field string // "" = valid
	}{
		{"valid", func(ts []DocumentType) []DocumentType { return ts }, ""},
		{"empty list", func([]DocumentType) []DocumentType { return nil }, "items"},
		{"zero id", func(ts []DocumentType) []DocumentType { ts[0].ID = 0; return ts }, "items[0].id"},
		{"duplicate id", func(ts []DocumentType) []DocumentType { return append(ts, ts[0]) }, "items[1].id"},
		{"lower-case legal type", func(ts []DocumentType) []DocumentType { ts[0].LegalEntityType = "legal"; return ts }, "items[0].legalentitytype"},
		{"no name", func(ts []DocumentType) []DocumentType { ts[0].Name = " "; return ts }, "items[0].name"},
		{"long description", func(ts []DocumentType) []DocumentType { ts[0].Description = strings.Repeat("я", 2001); return ts }, "items[0].description"},
		{"negative file count", func(ts []DocumentType) []DocumentType { ts[0].FileCount = -1; return ts }, "items[0].fileCount"},
		{"no extensions", func(ts []DocumentType) []DocumentType { ts[0].AllowFileTypeLKK = " , "; return ts }, "items[0].allowFileTypeLkk"},
		{"unknown extension", func(ts []DocumentType) []DocumentType { ts[0].AllowFileTypeLKK = "pdf,exe"; return ts }, "items[0].allowFileTypeLkk"},
		{"unknown bank extension", func(ts []DocumentType) []DocumentType { ts[0].AllowFileTypeLKB = "txt"; return ts }, "items[0].allowFileTypeLkb"},
		{"zero size", func(ts []DocumentType) []DocumentType { ts[0].MaxFileSize = 0; return ts }, "items[0].maxFileSize"},
		{"huge size", func(ts []DocumentType) []DocumentType { ts[0].MaxFileSize = 101; return ts }, "items[0].maxFileSize"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateTypes(tc.edit([]DocumentType{ok()}))
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, isApp := apperr.As(err)
			if !isApp || e.Fields[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestCheckFileName(t *testing.T) {
	for name, bad := range map[string]bool{
		"Устав ООО «Ромашка».pdf":         false,
		"scan.final.JPEG":                 false,
		"":                                true,
		"   ":                             true,
		"noextension":                     true,
		"trailingdot.":                    true,
		".pdf":                            true,
		"../etc/passwd.pdf":               true,
		`C:\fakepath\a.pdf`:               true,
		"a\x00b.pdf":                      true,
		"line\nbreak.pdf":                 true,
		"\xff\xfe.pdf":                    true,
		strings.Repeat("я", 126) + ".pdf": true, // 256 bytes
		strings.Repeat("я", 125) + ".pdf": false,
	} {
		if got := CheckFileName(name) != ""; got != bad {
			t.Errorf("CheckFileName(%q) = %q", name, CheckFileName(name))
		}
	}
	if Extension("Скан.Паспорта.PDF") != "pdf" || Extension("x") != "" {
		t.Fatal("Extension")
	}
}

func TestMatches(t *testing.T) {
	files := map[string][]byte{
		"pdf":  []byte("%PDF-1.7\n"),
		"jpg":  {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'},
		"png":  {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0},
		"gif":  []byte("GIF89a\x01\x00"),
		"bmp":  []byte("BM\x36\x00"),
		"tiff": {'I', 'I', '*', 0, 8, 0},
		"doc":  {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0},
		"docx": {'P', 'K', 3, 4, 20, 0},
	}
	same := map[string]string{"jpeg": "jpg", "tif": "tiff", "xls": "doc", "xlsx": "docx"}
	for _, ext := range KnownExtensions() {
		want := ext
		if s, ok := same[ext]; ok {
			want = s
		}
		for kind, head := range files {
			if got := Matches(ext, head); got != (kind == want) {
				t.Errorf("Matches(%s, a %s file) = %v", ext, kind, got)
			}
		}
	}
	if Matches("pdf", []byte("%PD")) || Matches("exe", []byte("MZ")) || Matches("pdf", nil) {
		t.Fatal("short, unknown or empty files match")
	}
}

func TestContentTypes(t *testing.T) {
	for _, tc := range []struct {
		ext, ct string
		ok      bool
	}{
		{"pdf", "application/pdf", true},
		{"pdf", "Application/PDF; charset=binary", true},
		{"pdf", "", true},
		{"pdf", "application/octet-stream", true},
		{"jpg", "image/pjpeg", true},
		{"pdf", "image/png", false},
		{"docx", "application/msword", false},
		{"exe", "application/octet-stream", false},
	} {
		if got := acceptsContentType(tc.ext, tc.ct); got != tc.ok {
			t.Errorf("acceptsContentType(%s, %s) = %v", tc.ext, tc.ct, got)
		}
	}
}

func TestRoomForDocuments(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ty := DocumentType{ID: 1, Name: "Паспорт руководителя", FileCount: 2}
	doc := func(id string, typeID int64, status string, uploadBy time.Time) Document {
		return Document{ID: id, TypeID: typeID, Status: status, UploadBy: uploadBy}
	}
	open, closed := now.Add(time.Minute), now.Add(-time.Minute)
	tests := []struct {
		name     string
		docs     []Document
		except   string
		occupied int
		full     bool
	}{
		{"empty", nil, "", 0, false},
		{"one uploaded", []Document{doc("a", 1, StatusUploaded, time.Time{})}, "", 1, false},
		{"uploaded and pending in time", []Document{doc("a", 1, StatusUploaded, time.Time{}), doc("b", 1, StatusPending, open)}, "", 2, true},
		{"pending past its upload", []Document{doc("a", 1, StatusUploaded, time.Time{}), doc("b", 1, StatusPending, closed)}, "", 1, false},
		{"other types", []Document{doc("a", 2, StatusUploaded, time.Time{}), doc("b", 3, StatusUploaded, time.Time{})}, "", 0, false},
		{"confirming one of two", []Document{doc("a", 1, StatusUploaded, time.Time{}), doc("b", 1, StatusPending, closed)}, "b", 1, false},
		{"confirming a third", []Document{doc("a", 1, StatusUploaded, time.Time{}), doc("b", 1, StatusUploaded, time.Time{}), doc("c", 1, StatusPending, closed)}, "c", 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := occupied(tc.docs, ty.ID, tc.except, now); got != tc.occupied {
				t.Errorf("occupied = %d, want %d", got, tc.occupied)
			}
			err := checkRoom(tc.docs, ty, tc.except, now)
			if (err != nil) != tc.full || (err != nil && apperr.CodeOf(err) != apperr.Conflict) {
				t.Errorf("checkRoom = %v, want full %v", err, tc.full)
			}
		})
	}
	unlimited := DocumentType{ID: 1, FileCount: 0}
	many := make([]Document, MaxDocuments)
	for i := range many {
		many[i] = doc(string(rune('a'+i%26))+strings.Repeat("x", i), 1, StatusUploaded, time.Time{})
	}
	if err := checkRoom(many[:MaxDocuments-1], unlimited, "", now); err != nil {
		t.Fatalf("below the application's limit: %v", err)
	}
	if err := checkRoom(many, unlimited, "", now); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("at the application's limit: %v", err)
	}
}

func TestLiveDropsExpiredPending(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	docs := []Document{
		{ID: "a", Status: StatusUploaded},
		{ID: "b", Status: StatusPending, ExpiresAt: now.Add(time.Hour)},
		{ID: "c", Status: StatusPending, ExpiresAt: now},
	}
	got := live(docs, now)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || len(docs) != 3 {
		t.Fatalf("live = %+v", got)
	}
}

func TestCheckFile(t *testing.T) {
	ty := DocumentType{ID: 1, Name: "Устав", AllowFileTypeLKK: "pdf,jpg", AllowFileTypeLKB: "pdf,docx", MaxFileSize: 1}
	agent, bank := party{userID: "u"}, party{userID: "b", bank: true}
	tests := []struct {
		name     string
		p        party
		file, ct string
		size     int64
		code     apperr.Code // "" = accepted
		field    string
	}{
		{"pdf", agent, "Устав.pdf", "application/pdf", 1000, "", ""},
		{"jpg without a type", agent, "скан.JPG", "", 1 << 20, "", ""},
		{"docx for agents", agent, "Устав.docx", "", 1000, apperr.Validation, "fileName"},
		{"docx for the bank", bank, "Устав.docx", "", 1000, "", ""},
		{"wrong content type", agent, "Устав.pdf", "image/png", 1000, apperr.Validation, "contentType"},
		{"no size", agent, "Устав.pdf", "", 0, apperr.Validation, "size"},
		{"too large", agent, "Устав.pdf", "", 1<<20 + 1, apperr.TooLarge, ""},
		{"path", agent, "dir/Устав.pdf", "", 1000, apperr.Validation, "fileName"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ct, err := checkFile(tc.p, ty, tc.file, tc.ct, tc.size)
			if tc.code == "" {
				if err != nil || ct != ContentTypeOf(Extension(tc.file)) {
					t.Fatalf("checkFile = %q, %v", ct, err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.code || (tc.field != "" && e.Fields[tc.field] == "") {
				t.Fatalf("checkFile = %v, want %s on %q", err, tc.code, tc.field)
			}
		})
	}
}
