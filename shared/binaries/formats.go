package binaries

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Extensions are the file types an object may have: the documents the back office exchanges
// (PDF, scans, Office files) and plain text. Each binary type is confirmed by its first bytes
// (appdocs.Matches); text has no signature, so it is checked to be text (isText).
var Extensions = []string{"csv", "docx", "jpeg", "jpg", "pdf", "png", "txt", "xlsx"}

// text types: canonical content type and the other types clients send for them.
var textTypes = map[string]struct {
	contentType string
	aliases     []string
}{
	"txt": {contentType: "text/plain", aliases: nil},
	"csv": {contentType: "text/csv", aliases: []string{"text/plain", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel"}},
}

// aliases clients send for the binary types besides the canonical one.
var aliases = map[string][]string{
	"pdf":  {"application/x-pdf"},
	"jpg":  {"image/pjpeg", "image/jpg"},
	"jpeg": {"image/pjpeg", "image/jpg"},
	"docx": {"application/zip"},
	"xlsx": {"application/zip"},
}

// contentTypeOf is the canonical content type of an allowed extension ("" for others).
func contentTypeOf(ext string) string {
	if !slices.Contains(Extensions, ext) {
		return ""
	}
	if t, ok := textTypes[ext]; ok {
		return t.contentType
	}
	return appdocs.ContentTypeOf(ext)
}

// fits tells whether a client's declared content type fits ext: none, the canonical one, an
// alias, or the generic types clients send when they do not know.
func fits(ext, declared string) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(declared, ";", 2)[0]))
	if ct == "" || ct == "application/octet-stream" || ct == "binary/octet-stream" || ct == contentTypeOf(ext) {
		return true
	}
	if t, ok := textTypes[ext]; ok {
		return slices.Contains(t.aliases, ct)
	}
	return slices.Contains(aliases[ext], ct)
}

// isText tells whether b looks like text: no control characters but tab, line feed, form feed
// and carriage return. UTF-8 and single-byte code pages (Windows-1251 exports) both pass;
// anything with NULs or other binary control bytes does not.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F {
			return false
		}
	}
	return true
}

// Check validates a file: its name (appdocs.CheckFileName), an allowed extension, the declared
// content type (may be empty), its size (1 to MaxSize bytes) and its content against the
// extension. It returns the content type the object is stored with.
func Check(name, declared string, body []byte) (string, error) {
	if msg := appdocs.CheckFileName(name); msg != "" {
		return "", apperr.InvalidField("fileName", msg)
	}
	ext := appdocs.Extension(name)
	ct := contentTypeOf(ext)
	if ct == "" {
		return "", apperr.InvalidField("fileName", fmt.Sprintf("files of types %s are accepted, not .%s", strings.Join(Extensions, ", "), ext))
	}
	if !fits(ext, declared) {
		return "", apperr.InvalidField("mimetype", fmt.Sprintf("%s does not fit a .%s file (%s)", declared, ext, ct))
	}
	switch {
	case len(body) == 0:
		return "", apperr.InvalidField("file", "is empty")
	case len(body) > MaxSize:
		return "", errTooLarge
	}
	if _, text := textTypes[ext]; text && !isText(body) || !text && !appdocs.Matches(ext, body) {
		return "", apperr.Newf(apperr.Unprocessable, "the file's content is not that of a .%s file", ext)
	}
	return ct, nil
}

var errTooLarge = apperr.Newf(apperr.TooLarge, "a file, and the request that carries it, may have at most %d MiB", MaxSize>>20)
