package bankdocs

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// HTTP serves the bank's document work on the back-office API (seed 004's paths under /api)
// and the agent's view of the requests on the client API.
type HTTP struct{ Service *Service }

// MaxQuestionnaireBody bounds a questionnaire update (100 answers of up to 4000 characters).
const MaxQuestionnaireBody = 256 << 10

// --- JSON shapes (the seed defines the paths and fields of the requests only; these are
// ours, documented here) ---

// requestJSON is an extra-document request (AppDocRequirement).
type requestJSON struct {
	ID            string     `json:"id"`
	ApplicationID string     `json:"applicationId"`
	TypeID        int64      `json:"typeId"`
	TypeName      string     `json:"typeName"`
	Comment       string     `json:"comment"`
	Status        string     `json:"status"` // requested | fulfilled | recalled
	RequestedBy   string     `json:"requestedBy"`
	RequestedAt   time.Time  `json:"requestedAt"`
	DocumentID    string     `json:"documentId,omitempty"` // the document that fulfilled it
	FulfilledAt   *time.Time `json:"fulfilledAt,omitempty"`
	RecalledBy    string     `json:"recalledBy,omitempty"`
	RecalledAt    *time.Time `json:"recalledAt,omitempty"`
}

func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toRequest(q Request) requestJSON {
	return requestJSON{ID: q.ID, ApplicationID: q.ApplicationID, TypeID: q.TypeID, TypeName: q.TypeName, Comment: q.Comment,
		Status: q.Status, RequestedBy: q.RequestedBy, RequestedAt: q.RequestedAt, DocumentID: q.DocumentID,
		FulfilledAt: when(q.FulfilledAt), RecalledBy: q.RecalledBy, RecalledAt: when(q.RecalledAt)}
}

// checkJSON is one verification of a document.
type checkJSON struct {
	Result  bool      `json:"result"`
	Comment string    `json:"comment"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// verificationJSON is a document's latest check (null before any) and the history.
type verificationJSON struct {
	DocumentID string      `json:"documentId"`
	Verify     *checkJSON  `json:"verify"`
	History    []checkJSON `json:"history"`
}

func toVerification(v Verification) verificationJSON {
	out := verificationJSON{DocumentID: v.DocumentID, History: []checkJSON{}}
	for _, c := range v.History {
		out.History = append(out.History, checkJSON{Result: c.Result, Comment: c.Comment, By: c.By, At: c.At})
	}
	if n := len(out.History); n > 0 {
		out.Verify = &out.History[n-1]
	}
	return out
}

// documentJSON is an AppDocument: seed 004's uploadSysFile fields (createDate in Moscow time
// without a zone, size in KB rounded up) and ours.
type documentJSON struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Mimetype   string      `json:"mimetype"`
	CreateDate string      `json:"createDate"`
	Size       int64       `json:"size"`      // KB
	SizeBytes  int64       `json:"sizeBytes"` // bytes
	TypeID     int64       `json:"typeId"`
	TypeName   string      `json:"typeName"`
	UploadedBy string      `json:"uploadedBy"`
	ByBank     bool        `json:"byBank"`
	Verify     *checkJSON  `json:"verify"` // the latest check, null before any
	History    []checkJSON `json:"verifyHistory"`
}

func toDocument(d appdocs.Document, v Verification) documentJSON {
	vj := toVerification(v)
	return documentJSON{ID: d.ID, Name: d.FileName, Mimetype: d.ContentType, CreateDate: d.CreatedAt.In(moscow.Zone).Format("2006-01-02T15:04:05.000"),
		Size: (d.Size + 1023) / 1024, SizeBytes: d.Size, TypeID: d.TypeID, TypeName: d.TypeName, UploadedBy: d.UploadedBy, ByBank: d.ByBank,
		Verify: vj.Verify, History: vj.History}
}

// groupJSON is one type with its documents (getClientDocuments / getFieldDocuments).
type groupJSON struct {
	Name    string         `json:"name"`
	ID      int64          `json:"id"`
	ExtraID string         `json:"extraid"` // the type's legalentitytype
	Docs    []documentJSON `json:"docs"`
}

// --- Extra-document requests ---

type createRequestBody struct {
	Req *struct {
		TypeID  *int64 `json:"typeId"`
		Comment string `json:"comment"`
	} `json:"req"`
}

func (b createRequestBody) Validate() error {
	if b.Req == nil || b.Req.TypeID == nil {
		return apperr.InvalidField("req.typeId", "is required: the type of the document asked for (fieldDocumentTypes, lka)")
	}
	return nil
}

// CreateRequest handles POST /api/application/{applicationid}/docrequirement/
// {"req":{"typeId","comment"}}: 200 with the request.
func (h *HTTP) CreateRequest(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var b createRequestBody
	if err := httpapi.Decode(w, r, &b, 0); err != nil {
		return err
	}
	q, err := h.Service.CreateRequest(r.Context(), p.Subject, r.PathValue("applicationid"), *b.Req.TypeID, b.Req.Comment)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toRequest(q))
	return nil
}

type recallBody struct {
	IDs []string `json:"ids"`
}

func (b recallBody) Validate() error {
	if len(b.IDs) == 0 || len(b.IDs) > MaxRequests {
		return apperr.InvalidField("ids", "must list 1 to 100 request ids")
	}
	return nil
}

// Recall handles POST /api/application/{applicationid}/doc/recalled {"ids":[…]}: 200 with
// the requests, now recalled; 409 (nothing recalled) when one was fulfilled.
func (h *HTTP) Recall(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var b recallBody
	if err := httpapi.Decode(w, r, &b, 0); err != nil {
		return err
	}
	if err := h.Service.Recall(r.Context(), p.Subject, r.PathValue("applicationid"), b.IDs); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"recalled": b.IDs})
	return nil
}

// AgentRequests handles GET /v1/applications/{applicationId}/document-requests on the client
// API: the bank's open requests, oldest first; the agent fulfils one by uploading a document
// of its type.
func (h *HTTP) AgentRequests(w http.ResponseWriter, r *http.Request) error {
	qs, err := h.Service.AgentRequests(r.Context(), identity.ActorOf(r), r.PathValue("applicationId"))
	if err != nil {
		return err
	}
	items := make([]requestJSON, len(qs))
	for i, q := range qs {
		items[i] = toRequest(q)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// --- Documents ---

func (h *HTTP) documents(w http.ResponseWriter, r *http.Request, bank bool) error {
	groups, err := h.Service.Documents(r.Context(), r.PathValue("applicationid"), bank)
	if err != nil {
		return err
	}
	out := make([]groupJSON, 0, len(groups))
	for _, g := range groups {
		gj := groupJSON{Name: g.Type.Name, ID: g.Type.ID, ExtraID: g.Type.LegalEntityType, Docs: []documentJSON{}}
		for _, d := range g.Docs {
			gj.Docs = append(gj.Docs, toDocument(d.Document, d.Verification))
		}
		out = append(out, gj)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// ClientDocs handles GET /api/application/{applicationid}/clientdocs: the documents the agent
// (ЛКК) uploaded, by type.
func (h *HTTP) ClientDocs(w http.ResponseWriter, r *http.Request) error {
	return h.documents(w, r, false)
}

// FieldDocs handles GET /api/application/{applicationid}/fielddocs: the documents bank users
// (ЛКБ) uploaded or generated, by type.
func (h *HTTP) FieldDocs(w http.ResponseWriter, r *http.Request) error {
	return h.documents(w, r, true)
}

// UploadTypes handles GET /api/info/fielddocumenttypes/{applicationid}: the types a bank user
// may upload to the application (every field of the type, the seed's id, legalentitytype,
// name and description among them).
func (h *HTTP) UploadTypes(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.Service.UploadTypes(r.Context(), r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, ts)
	return nil
}

// Upload handles POST /api/binary/{applicationid}/{doctype}/{docle} (uploadSysFile): the file
// in multipart field upFile, at most appdocs.MaxDirectUpload bytes (413 beyond); 200 with the
// seed's answer.
func (h *HTTP) Upload(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	if r.ContentLength > appdocs.MaxDirectUpload {
		return appdocs.ErrTooLarge
	}
	typeID, err := strconv.ParseInt(r.PathValue("doctype"), 10, 64)
	if err != nil {
		typeID = -1 // no type has it: 404
	}
	d, t, err := h.Service.Docs.BankUploadDirect(r.Context(), p.Subject, r.PathValue("applicationid"), typeID, r.PathValue("docle"), appdocs.ReadUpload(w, r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, appdocs.SeedDocument(d, t))
	return nil
}

// Download handles GET /api/binary/{applicationid} (the seed's /binary/{documentid}; the
// name is shared with the upload's position): the id of a generic object (shared/binaries) or
// of an application document; 302 to a 2-minute presigned GET that names the file, with
// {url, expiresAt} in the body for clients that do not follow redirects.
func (h *HTTP) Download(w http.ResponseWriter, r *http.Request) error {
	url, expires, err := h.Service.DownloadAny(r.Context(), r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", url)
	httpapi.WriteJSON(w, http.StatusFound, map[string]any{"url": url, "expiresAt": expires})
	return nil
}

type verifyBody struct {
	Result  *bool  `json:"result"`
	Comment string `json:"comment"`
}

func (b verifyBody) Validate() error {
	if b.Result == nil {
		return apperr.InvalidField("result", "is required: true when the document is verified, false when it is not")
	}
	return nil
}

// Verify handles POST /api/application/{applicationid}/doc/{docid}/verify {"result","comment"}
// (setVerify; the seed lists it twice with one meaning): result true marks the document
// verified, false not verified; 200 with the latest check and the history.
func (h *HTTP) Verify(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var b verifyBody
	if err := httpapi.Decode(w, r, &b, 0); err != nil {
		return err
	}
	v, err := h.Service.Verify(r.Context(), p.Subject, r.PathValue("applicationid"), r.PathValue("docid"), *b.Result, b.Comment)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toVerification(v))
	return nil
}

// Delete handles DELETE /api/application/{applicationid}/doc/{docid} (deleteAppDoc): 200.
func (h *HTTP) Delete(w http.ResponseWriter, r *http.Request) error {
	if _, err := boauth.CurrentUser(r); err != nil {
		return err
	}
	id := r.PathValue("docid")
	if err := h.Service.Delete(r.Context(), r.PathValue("applicationid"), id); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "deleted": true})
	return nil
}

// --- Questionnaire (E8) ---

type questionnaireJSON struct {
	ApplicationID string            `json:"applicationId"`
	Version       int64             `json:"version"` // the application's: send it back to update
	Questionnaire map[string]string `json:"questionnaire"`
}

func writeQuestionnaire(w http.ResponseWriter, id string, version int64, q map[string]string) {
	if q == nil {
		q = map[string]string{}
	}
	httpapi.WriteJSON(w, http.StatusOK, questionnaireJSON{ApplicationID: id, Version: version, Questionnaire: q})
}

// Questionnaire handles GET /api/application/{applicationid}/questionnaire/: the answers and
// the application's version.
func (h *HTTP) Questionnaire(w http.ResponseWriter, r *http.Request) error {
	app, err := h.Service.Apps.BankQuestionnaire(r.Context(), r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	writeQuestionnaire(w, app.ID, app.Version, app.Questionnaire)
	return nil
}

type questionnaireBody struct {
	Version       *int64             `json:"version"`
	Questionnaire *map[string]string `json:"questionnaire"`
}

func (b questionnaireBody) Validate() error {
	f := apperr.Fields{}
	f.Check(b.Version != nil, "version", "is required (the version the questionnaire was read with)")
	f.Check(b.Questionnaire != nil, "questionnaire", "is required: every answer (the whole questionnaire is replaced)")
	return f.Err()
}

// UpdateQuestionnaire handles POST /api/application/{applicationid}/questionnaire/
// {"version","questionnaire":{…}}: replaces the answers; 409 when the application changed
// since it was read.
func (h *HTTP) UpdateQuestionnaire(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	var b questionnaireBody
	if err := httpapi.Decode(w, r, &b, MaxQuestionnaireBody); err != nil {
		return err
	}
	app, err := h.Service.Apps.BankSetQuestionnaire(r.Context(), p.Subject, r.PathValue("applicationid"), *b.Version, *b.Questionnaire)
	if err != nil {
		return err
	}
	writeQuestionnaire(w, app.ID, app.Version, app.Questionnaire)
	return nil
}

// --- Print forms (E7) ---

// GenerateForms handles POST /api/application/{applicationid}/generatebankform: renders the
// print forms as PDFs and keeps them among the bank's documents (fielddocs, type 0), replacing
// earlier ones; 200 with them.
func (h *HTTP) GenerateForms(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	docs, err := h.Service.GenerateForms(r.Context(), p.Subject, r.PathValue("applicationid"))
	if err != nil {
		return err
	}
	items := make([]documentJSON, len(docs))
	for i, d := range docs {
		items[i] = toDocument(d, Verification{DocumentID: d.ID})
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
