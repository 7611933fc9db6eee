package appdocs

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// DocumentType is a kind of document an application may carry, with its file rules; the
// JSON names are seed 004's (fieldDocumentTypes, uploadSysFile's documentType).
type DocumentType struct {
	ID               int64  `json:"id"`
	LegalEntityType  string `json:"legalentitytype"` // LEGAL_ENTITY, INDIVIDUAL_ENTREPRENEUR…
	Name             string `json:"name"`
	Description      string `json:"description"`
	Showable         bool   `json:"showable"` // visible in the system
	Required         bool   `json:"required"`
	LKA              bool   `json:"lka"` // offered in the agent cabinet
	LKV              bool   `json:"lkv"`
	Deleted          bool   `json:"deleted"`
	FileCount        int    `json:"fileCount"`        // most files of the type per application; 0 = no limit
	AllowFileTypeLKK string `json:"allowFileTypeLkk"` // extensions agents may upload: "pdf,jpg,png"
	AllowFileTypeLKB string `json:"allowFileTypeLkb"` // extensions the bank may upload ("" = as agents)
	MaxFileSize      int    `json:"maxFileSize"`      // MB (MiB): the largest file
	OrderNum         int    `json:"orderNum"`         // sort order in the cabinets
	SubType          string `json:"subType"`
}

// MaxBytes is the largest file of the type, in bytes.
func (t DocumentType) MaxBytes() int64 { return int64(t.MaxFileSize) << 20 }

// ForAgents tells whether agents see and upload documents of the type.
func (t DocumentType) ForAgents() bool { return t.LKA && !t.Deleted }

// Extensions returns the allowed extensions for an agent's (bank false) or the bank's upload.
func (t DocumentType) Extensions(bank bool) []string {
	list := t.AllowFileTypeLKK
	if bank && strings.TrimSpace(t.AllowFileTypeLKB) != "" {
		list = t.AllowFileTypeLKB
	}
	return splitExtensions(list)
}

func splitExtensions(list string) []string {
	var out []string
	for _, e := range strings.Split(list, ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// format is what we know of a file extension: its canonical content type, other content types
// clients send for it, and how its first bytes look.
type format struct {
	contentType string
	aliases     []string
	magic       [][]byte
}

var (
	magicPDF  = [][]byte{[]byte("%PDF-")}
	magicJPEG = [][]byte{{0xFF, 0xD8, 0xFF}}
	magicPNG  = [][]byte{{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}}
	magicGIF  = [][]byte{[]byte("GIF87a"), []byte("GIF89a")}
	magicBMP  = [][]byte{[]byte("BM")}
	magicTIFF = [][]byte{{'I', 'I', '*', 0}, {'M', 'M', 0, '*'}}
	magicOLE  = [][]byte{{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}} // doc, xls (OLE2 compound file)
	magicZIP  = [][]byte{{'P', 'K', 3, 4}}                                 // docx, xlsx (OOXML is a zip)
)

// formats are the extensions a document type may allow: those whose content can be checked by
// its first bytes (seed 004's list).
var formats = map[string]format{
	"pdf":  {contentType: "application/pdf", aliases: []string{"application/x-pdf"}, magic: magicPDF},
	"jpg":  {contentType: "image/jpeg", aliases: []string{"image/pjpeg", "image/jpg"}, magic: magicJPEG},
	"jpeg": {contentType: "image/jpeg", aliases: []string{"image/pjpeg", "image/jpg"}, magic: magicJPEG},
	"png":  {contentType: "image/png", magic: magicPNG},
	"gif":  {contentType: "image/gif", magic: magicGIF},
	"bmp":  {contentType: "image/bmp", aliases: []string{"image/x-bmp", "image/x-ms-bmp"}, magic: magicBMP},
	"tif":  {contentType: "image/tiff", magic: magicTIFF},
	"tiff": {contentType: "image/tiff", magic: magicTIFF},
	"doc":  {contentType: "application/msword", magic: magicOLE},
	"xls":  {contentType: "application/vnd.ms-excel", aliases: []string{"application/excel", "application/x-excel", "application/x-msexcel"}, magic: magicOLE},
	"docx": {contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", aliases: []string{"application/zip"}, magic: magicZIP},
	"xlsx": {contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", aliases: []string{"application/zip"}, magic: magicZIP},
}

// SniffLen is how many first bytes the content check reads.
const SniffLen = 512

// KnownExtensions lists the extensions a type may allow, sorted.
func KnownExtensions() []string {
	out := make([]string, 0, len(formats))
	for e := range formats {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// ContentTypeOf returns the canonical content type of an extension ("" when unknown).
func ContentTypeOf(ext string) string { return formats[strings.ToLower(ext)].contentType }

// acceptsContentType tells whether a client's content type fits ext: its canonical type, an
// alias, or the generic types browsers send when they do not know.
func acceptsContentType(ext, contentType string) bool {
	f, ok := formats[ext]
	if !ok {
		return false
	}
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	return ct == "" || ct == f.contentType || ct == "application/octet-stream" || ct == "binary/octet-stream" || slices.Contains(f.aliases, ct)
}

// Matches tells whether head, a file's first bytes, looks like a file of extension ext.
func Matches(ext string, head []byte) bool {
	f, ok := formats[strings.ToLower(ext)]
	if !ok {
		return false
	}
	for _, m := range f.magic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// Limits of file names and of the type list.
const (
	maxFileNameBytes = 255
	maxTypes         = 200
	maxTypeFiles     = 100 // fileCount
	maxFileSizeMB    = 100 // maxFileSize; the presigned POST carries any size, the multipart upload less
	maxTextLen       = 2000
	maxNameLen       = 300
	maxCodeLen       = 50
)

// Extension returns the lower-case extension of a file name ("" when it has none).
func Extension(fileName string) string {
	i := strings.LastIndexByte(fileName, '.')
	if i < 0 || i == len(fileName)-1 {
		return ""
	}
	return strings.ToLower(fileName[i+1:])
}

// CheckFileName tells what is wrong with a file name, "" when nothing: it must be valid UTF-8
// of 1 to 255 bytes without path separators or control characters, not "." or "..", with a
// name before its extension. The name is kept as given, for the download.
func CheckFileName(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "is required"
	case !utf8.ValidString(name):
		return "must be valid UTF-8"
	case len(name) > maxFileNameBytes:
		return fmt.Sprintf("must be at most %d bytes", maxFileNameBytes)
	case strings.ContainsAny(name, `/\`):
		return "must be a file name without a path"
	case name == "." || name == "..":
		return "must be a file name"
	case strings.HasPrefix(name, ".") && strings.Count(name, ".") == 1:
		return "must have a name before the extension"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || r == '\u2028' || r == '\u2029' {
			return "must not contain control characters"
		}
	}
	if Extension(name) == "" {
		return "must end with an extension, e.g. .pdf"
	}
	return ""
}

var codeRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// ValidateTypes checks a list of document types: ids positive and unique, names given, codes
// in upper case, extensions known (their content can be checked), sizes and counts in range.
func ValidateTypes(types []DocumentType) error {
	f := apperr.Fields{}
	f.Check(len(types) > 0, "items", "at least one document type is required")
	f.Check(len(types) <= maxTypes, "items", fmt.Sprintf("at most %d document types", maxTypes))
	seen := map[int64]bool{}
	text := func(path, v string, max int, required bool) {
		n := utf8.RuneCountInString(v)
		switch {
		case required && strings.TrimSpace(v) == "":
			f.Add(path, "must not be empty")
		case n > max:
			f.Add(path, fmt.Sprintf("at most %d characters", max))
		}
	}
	exts := func(path, list string, required bool) {
		es := splitExtensions(list)
		if len(es) == 0 {
			f.Check(!required, path, "at least one extension is required, e.g. pdf,jpg")
			return
		}
		for _, e := range es {
			if _, ok := formats[e]; !ok {
				f.Add(path, fmt.Sprintf("unknown extension %q: allowed are %s", e, strings.Join(KnownExtensions(), ", ")))
				return
			}
		}
	}
	for i, t := range types {
		p := fmt.Sprintf("items[%d].", i)
		switch {
		case t.ID <= 0:
			f.Add(p+"id", "must be a positive number")
		case seen[t.ID]:
			f.Add(p+"id", fmt.Sprintf("duplicate document type id %d", t.ID))
		}
		seen[t.ID] = true
		f.Check(len(t.LegalEntityType) <= maxCodeLen && codeRe.MatchString(t.LegalEntityType), p+"legalentitytype", "must be a code in upper case, e.g. LEGAL_ENTITY")
		text(p+"name", t.Name, maxNameLen, true)
		text(p+"description", t.Description, maxTextLen, false)
		f.Check(t.FileCount >= 0 && t.FileCount <= maxTypeFiles, p+"fileCount", fmt.Sprintf("must be 0 (no limit) to %d", maxTypeFiles))
		exts(p+"allowFileTypeLkk", t.AllowFileTypeLKK, true)
		exts(p+"allowFileTypeLkb", t.AllowFileTypeLKB, false)
		f.Check(t.MaxFileSize >= 1 && t.MaxFileSize <= maxFileSizeMB, p+"maxFileSize", fmt.Sprintf("must be 1 to %d (MB)", maxFileSizeMB))
		text(p+"subType", t.SubType, maxCodeLen, false)
	}
	return f.Err()
}

// agentTypes returns the types agents see (lka and not deleted), by orderNum then id.
func agentTypes(types []DocumentType) []DocumentType {
	var out []DocumentType
	for _, t := range types {
		if t.ForAgents() {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].OrderNum != out[j].OrderNum {
			return out[i].OrderNum < out[j].OrderNum
		}
		return out[i].ID < out[j].ID
	})
	return out
}
