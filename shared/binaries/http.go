package binaries

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// UploadField is the multipart field of the file (seed 004's createObject, updateObject).
const UploadField = "upFile"

// File is a file read from a multipart body.
type File struct {
	Name     string
	MimeType string // the part's Content-Type, as the client declared it
	Body     []byte
}

// ReadFile reads the file in field of a multipart/form-data body of at most MaxSize bytes:
// 413 beyond, 406 when the body is not multipart, 400 when it is malformed or holds two files.
// ok is false when the body is empty or has no such field (the caller decides whether the
// file is required).
func ReadFile(w http.ResponseWriter, r *http.Request, field string) (f File, ok bool, err error) {
	if r.ContentLength > MaxSize {
		return File{}, false, errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxSize))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return File{}, false, errTooLarge
	} else if err != nil {
		return File{}, false, apperr.New(apperr.BadRequest, "request body cannot be read")
	}
	if len(body) == 0 {
		return File{}, false, nil
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return File{}, false, apperr.Newf(apperr.NotAcceptable, "the request body must be multipart/form-data with the file in field %s", field)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return File{}, false, apperr.New(apperr.BadRequest, "the multipart body is malformed")
		}
		if part.FormName() != field {
			continue
		}
		if ok {
			return File{}, false, apperr.InvalidField(field, "send one file")
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return File{}, false, apperr.New(apperr.BadRequest, "the multipart body is malformed")
		}
		f, ok = File{Name: part.FileName(), MimeType: part.Header.Get("Content-Type"), Body: content}, true
	}
	return f, ok, nil
}

// readRequired is ReadFile of upFile, which the seed requires.
func readRequired(w http.ResponseWriter, r *http.Request) (File, error) {
	f, ok, err := ReadFile(w, r, UploadField)
	if err != nil {
		return File{}, err
	}
	if !ok {
		return File{}, apperr.InvalidField(UploadField, "is required: the file, with its file name")
	}
	return f, nil
}

// HTTP serves the objects on the back-office API.
type HTTP struct {
	Service *Service
}

// objectJSON is the seed's answer {id, name, mimetype} and what we add: size, SHA-256, the
// version (also the ETag; send it back in If-Match to replace only what was read), who made
// and last changed the file, and when (UTC).
type objectJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Mimetype  string    `json:"mimetype"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	Version   int64     `json:"version"`
	CreatedBy string    `json:"createdBy"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedBy string    `json:"updatedBy"`
	UpdatedAt time.Time `json:"updatedAt"`
}

func toJSON(o Object) objectJSON {
	return objectJSON{ID: o.ID, Name: o.Name, Mimetype: o.MimeType, Size: o.Size, SHA256: o.SHA256, Version: o.Version,
		CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt, UpdatedBy: o.UpdatedBy, UpdatedAt: o.UpdatedAt}
}

func write(w http.ResponseWriter, o Object) {
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(o.Version, 10)))
	httpapi.WriteJSON(w, http.StatusOK, toJSON(o))
}

// Create handles POST /api/binary/ (createObject): the file in multipart field upFile, at
// most MaxSize bytes in all (413 beyond); 200 with the object.
func (h *HTTP) Create(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	f, err := readRequired(w, r)
	if err != nil {
		return err
	}
	o, err := h.Service.Create(r.Context(), p.Subject, f.Name, f.MimeType, f.Body)
	if err != nil {
		return err
	}
	write(w, o)
	return nil
}

// ifMatch reads If-Match: the version the caller read, 0 when absent; "*" matches any.
func ifMatch(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, apperr.InvalidField("If-Match", `must be the object's version as its ETag gives it, e.g. "2"`)
	}
	return n, nil
}

// recordRoles may replace the file of a record (an act's: shared/acts makes acts with roles 1
// and 2); other objects follow the route's roles.
var (
	recordRoles   = []string{"1", "2"}
	errRecordRole = apperr.New(apperr.Forbidden, "the file belongs to a record (an act): only an administrator or an operator may replace it")
)

func activeRole(p httpapi.Principal) string {
	if len(p.Roles) == 0 {
		return ""
	}
	return p.Roles[0]
}

// Update handles PATCH /api/binary/{applicationid} (updateObject; the position is named as
// its siblings', the value is an object id): the new file in upFile replaces the old, same id,
// next version; with If-Match only when the object still has that version (409 otherwise).
// 404 for an unknown id, application documents' ids included.
func (h *HTTP) Update(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	id := r.PathValue("applicationid")
	o, err := h.Service.Get(r.Context(), id)
	if err != nil {
		return err // 404 before reading the body
	}
	if o.AttachedTo != "" && !slices.Contains(recordRoles, activeRole(p)) {
		return errRecordRole
	}
	f, err := readRequired(w, r)
	if err != nil {
		return err
	}
	o, err = h.Service.Replace(r.Context(), p.Subject, id, version, f.Name, f.MimeType, f.Body)
	if err != nil {
		return err
	}
	write(w, o)
	return nil
}

// Delete handles DELETE /api/binary/{applicationid} (deleteObject): 200 {"id","deleted":true};
// 404 for an unknown id (application documents are deleted with
// DELETE /api/application/{applicationid}/doc/{docid}), 409 for an act's file.
func (h *HTTP) Delete(w http.ResponseWriter, r *http.Request) error {
	if _, err := boauth.CurrentUser(r); err != nil {
		return err
	}
	id := r.PathValue("applicationid")
	if err := h.Service.Delete(r.Context(), id); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "deleted": true})
	return nil
}
