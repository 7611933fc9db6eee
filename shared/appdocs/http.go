package appdocs

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// HTTP serves document types (client and back-office APIs) and documents (client API).
type HTTP struct{ Service *Service }

// MaxTypesBody bounds the list of types a bank user sends, below DynamoDB's 400 KB item limit.
const MaxTypesBody = 300 << 10

// MaxCreateBody bounds an upload announcement.
const MaxCreateBody = 4 << 10

// --- Document types ---

// AgentTypes handles GET /v1/document-types on the client API: the types agents may attach
// (lka and not deleted), by orderNum.
func (h *HTTP) AgentTypes(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.Service.AgentTypes(r.Context())
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []DocumentType{}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": ts})
	return nil
}

// bankTypes is the list as the bank reads and sends it.
type bankTypes struct {
	Version   int64          `json:"version"`
	Items     []DocumentType `json:"items"`
	UpdatedAt *time.Time     `json:"updatedAt,omitempty"`
	UpdatedBy string         `json:"updatedBy,omitempty"`
}

func toBank(l TypeList) bankTypes {
	b := bankTypes{Version: l.Version, Items: l.Types, UpdatedBy: l.UpdatedBy}
	if b.Items == nil {
		b.Items = []DocumentType{}
	}
	if !l.UpdatedAt.IsZero() {
		b.UpdatedAt = &l.UpdatedAt
	}
	return b
}

// BankTypes handles GET /v1/document-types on the back-office API: every type with the list's
// version (0 while the default list is in use).
func (h *HTTP) BankTypes(w http.ResponseWriter, r *http.Request) error {
	l, err := h.Service.TypeList(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toBank(l))
	return nil
}

// replaceTypesRequest is the body of PUT /v1/document-types: the whole list and the version it
// was read with.
type replaceTypesRequest struct {
	Version *int64         `json:"version"`
	Items   []DocumentType `json:"items"`
}

func (q replaceTypesRequest) Validate() error {
	if q.Version == nil {
		return apperr.InvalidField("version", "is required (the version the list was read with)")
	}
	return ValidateTypes(q.Items)
}

// BankReplaceTypes handles PUT /v1/document-types on the back-office API: a bank user saves
// the whole list; 409 when it changed since it was read.
func (h *HTTP) BankReplaceTypes(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var q replaceTypesRequest
	if err := httpapi.Decode(w, r, &q, MaxTypesBody); err != nil {
		return err
	}
	l, err := h.Service.ReplaceTypes(r.Context(), p.Subject, *q.Version, q.Items)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toBank(l))
	return nil
}

// --- Documents ---

type documentJSON struct {
	ID            string     `json:"id"`
	ApplicationID string     `json:"applicationId"`
	OrgID         string     `json:"orgId"`
	TypeID        int64      `json:"typeId"`
	TypeName      string     `json:"typeName"`
	FileName      string     `json:"fileName"`
	ContentType   string     `json:"contentType"`
	Size          int64      `json:"size"`
	Status        string     `json:"status"`
	UploadedBy    string     `json:"uploadedBy"`
	ByBank        bool       `json:"byBank,omitempty"`
	CreatedAt     time.Time  `json:"createdAt"`
	UploadedAt    *time.Time `json:"uploadedAt,omitempty"`
}

func toJSON(d Document) documentJSON {
	out := documentJSON{ID: d.ID, ApplicationID: d.ApplicationID, OrgID: d.OrgID, TypeID: d.TypeID, TypeName: d.TypeName,
		FileName: d.FileName, ContentType: d.ContentType, Size: d.Size, Status: d.Status, UploadedBy: d.UploadedBy, ByBank: d.ByBank,
		CreatedAt: d.CreatedAt}
	if !d.UploadedAt.IsZero() {
		t := d.UploadedAt
		out.UploadedAt = &t
	}
	return out
}

// createRequest announces an upload.
type createRequest struct {
	TypeID      *int64 `json:"typeId"`
	FileName    string `json:"fileName"`
	Size        *int64 `json:"size"`
	ContentType string `json:"contentType"`
}

func (q createRequest) Validate() error {
	f := apperr.Fields{}
	f.Check(q.TypeID != nil, "typeId", "is required: a document type id (GET /v1/document-types)")
	f.Check(q.FileName != "", "fileName", "is required")
	f.Check(q.Size != nil, "size", "is required: the file's size in bytes")
	return f.Err()
}

// Create handles POST /v1/applications/{applicationId}/documents {typeId, fileName, size,
// contentType}: 201 with the pending document and a presigned POST that uploads the file
// straight to storage (send upload.fields, then the file as form field "file"), within
// upload.expiresAt; then confirm it.
func (h *HTTP) Create(w http.ResponseWriter, r *http.Request) error {
	var q createRequest
	if err := httpapi.Decode(w, r, &q, MaxCreateBody); err != nil {
		return err
	}
	d, up, err := h.Service.Create(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"),
		NewDocument{TypeID: *q.TypeID, FileName: q.FileName, Size: *q.Size, ContentType: q.ContentType})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, struct {
		Document documentJSON `json:"document"`
		Upload   blob.Upload  `json:"upload"`
	}{toJSON(d), up})
	return nil
}

// Confirm handles POST /v1/applications/{applicationId}/documents/{documentId}/confirm.
func (h *HTTP) Confirm(w http.ResponseWriter, r *http.Request) error {
	d, err := h.Service.Confirm(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"), r.PathValue("documentId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"document": toJSON(d)})
	return nil
}

// List handles GET /v1/applications/{applicationId}/documents: the uploaded documents, oldest
// first, with their type names.
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	docs, err := h.Service.List(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"))
	if err != nil {
		return err
	}
	items := make([]documentJSON, len(docs))
	for i, d := range docs {
		items[i] = toJSON(d)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// Download handles GET /v1/applications/{applicationId}/documents/{documentId}/download:
// {url, expiresAt}, a short-lived link that names the original file.
func (h *HTTP) Download(w http.ResponseWriter, r *http.Request) error {
	dl, err := h.Service.Download(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"), r.PathValue("documentId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"url": dl.URL, "expiresAt": dl.ExpiresAt})
	return nil
}

// Delete handles DELETE /v1/applications/{applicationId}/documents/{documentId}: 204.
func (h *HTTP) Delete(w http.ResponseWriter, r *http.Request) error {
	if err := h.Service.Delete(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"), r.PathValue("documentId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// --- Seed 004's multipart upload ---

// UploadField is the multipart form field of the file (seed 004's uploadSysFile).
const UploadField = "upFile"

var errTooLarge = apperr.Newf(apperr.TooLarge,
	"the request body exceeds %d MiB, the most a direct upload takes: upload larger files with POST /v1/applications/{applicationId}/documents (a presigned upload straight to storage), then confirm them",
	MaxDirectUpload>>20)

// readUpload reads the file of a multipart/form-data body of at most MaxDirectUpload bytes.
func readUpload(w http.ResponseWriter, r *http.Request) FileReader {
	return func() (string, []byte, error) {
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
			return "", nil, apperr.Newf(apperr.NotAcceptable, "the request body must be multipart/form-data with the file in field %s", UploadField)
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxDirectUpload))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, errTooLarge
		} else if err != nil {
			return "", nil, apperr.New(apperr.BadRequest, "request body cannot be read")
		}
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		var name string
		var content []byte
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "", nil, apperr.New(apperr.BadRequest, "the multipart body is malformed")
			}
			if part.FormName() != UploadField {
				continue
			}
			if content != nil {
				return "", nil, apperr.InvalidField(UploadField, "send one file")
			}
			name = part.FileName()
			if content, err = io.ReadAll(part); err != nil {
				return "", nil, apperr.New(apperr.BadRequest, "the multipart body is malformed")
			}
		}
		if content == nil {
			return "", nil, apperr.InvalidField(UploadField, "is required: the file, with its file name")
		}
		return name, content, nil
	}
}

// seedTypeID is the composite id of seed 004's documentType.
type seedTypeID struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

// seedType is seed 004's documentType.
type seedType struct {
	ID               seedTypeID `json:"id"`
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	Showable         bool       `json:"showable"`
	Required         bool       `json:"required"`
	LKA              bool       `json:"lka"`
	LKV              bool       `json:"lkv"`
	Deleted          bool       `json:"deleted"`
	FileCount        int        `json:"fileCount"`
	AllowFileTypeLKK string     `json:"allowFileTypeLkk"`
	AllowFileTypeLKB string     `json:"allowFileTypeLkb"`
	MaxFileSize      int        `json:"maxFileSize"`
	OrderNum         int        `json:"orderNum"`
	SubType          string     `json:"subType"`
}

// seedDocument is seed 004's answer of uploadSysFile.
type seedDocument struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Mimetype     string   `json:"mimetype"`
	DocumentType seedType `json:"documentType"`
	CreateDate   string   `json:"createDate"` // Moscow time without zone, as the seed shows it
	Size         int64    `json:"size"`       // KB, rounded up
}

func toSeed(d Document, t DocumentType) seedDocument {
	return seedDocument{ID: d.ID, Name: d.FileName, Mimetype: d.ContentType,
		DocumentType: seedType{ID: seedTypeID{ID: t.ID, Type: t.LegalEntityType}, Name: t.Name, Description: t.Description,
			Showable: t.Showable, Required: t.Required, LKA: t.LKA, LKV: t.LKV, Deleted: t.Deleted, FileCount: t.FileCount,
			AllowFileTypeLKK: t.AllowFileTypeLKK, AllowFileTypeLKB: t.AllowFileTypeLKB, MaxFileSize: t.MaxFileSize,
			OrderNum: t.OrderNum, SubType: t.SubType},
		CreateDate: d.CreatedAt.In(moscow.Zone).Format("2006-01-02T15:04:05.000"),
		Size:       (d.Size + 1023) / 1024}
}

// UploadDirect handles POST /v1/applications/{applicationId}/binary/{doctype}/{docle}, seed
// 004's uploadSysFile for clients that cannot do a presigned POST: the file in multipart field
// upFile, at most MaxDirectUpload bytes in all (413 otherwise, pointing at the presigned
// upload); doctype is a type id, docle its legalentitytype. 200 with the seed's answer.
func (h *HTTP) UploadDirect(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > MaxDirectUpload {
		return errTooLarge
	}
	typeID, err := strconv.ParseInt(r.PathValue("doctype"), 10, 64)
	if err != nil {
		typeID = 0 // no type has it: 404 once the application is known to be the caller's
	}
	d, t, err := h.Service.UploadDirect(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"), typeID, r.PathValue("docle"), readUpload(w, r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toSeed(d, t))
	return nil
}
