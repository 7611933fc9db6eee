package appdocs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/blob"
)

// Limits of documents.
const (
	// UploadExpiry is how long a presigned upload works. A pending document takes a place of
	// its type's fileCount until then.
	UploadExpiry = 15 * time.Minute
	// PendingTTL is how long a pending document may be confirmed; then its item expires (TTL),
	// as the incoming/ object does by the bucket's lifecycle rule (1 day).
	PendingTTL = 24 * time.Hour
	// MaxDocuments bounds an application's documents (pending ones included), so that its list
	// is one small Query.
	MaxDocuments = 100
	// MaxDirectUpload is the largest multipart request body (seed 004's uploadSysFile): Lambda
	// takes 6 MB synchronously and API Gateway base64-encodes binary bodies (4/3 larger).
	MaxDirectUpload = 4 << 20
)

// Service keeps the document types and the documents of applications.
type Service struct {
	Types   TypeStore
	Docs    DocStore
	Files   Files
	Apps    Applications    // the agent's view (applications.Service)
	AllApps AllApplications // the bank's view (applications.Store)
	Now     func() time.Time
	// Uploaded, when set, hears of each document an agent's upload completes (the bank's
	// extra-document requests it fulfils, shared/bankdocs); its failure does not undo the upload.
	Uploaded func(ctx context.Context, d Document)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Actor is an agent's user.
type Actor = applications.Actor

var (
	errDocNotFound  = apperr.New(apperr.NotFound, "document not found")
	errTypeNotFound = apperr.New(apperr.NotFound, "document type not found")
	errAppNotFound  = apperr.New(apperr.NotFound, "application not found")
	errChanged      = apperr.New(apperr.Conflict, "the application's documents changed meanwhile: try again")
)

// --- Document types (E6) ---

// TypeList returns the saved list of document types, or the default one (version 0).
func (s *Service) TypeList(ctx context.Context) (TypeList, error) {
	l, ok, err := s.Types.Get(ctx)
	if err != nil {
		return TypeList{}, err
	}
	if !ok {
		return TypeList{Types: Default()}, nil
	}
	return l, nil
}

// AgentTypes returns the types agents see (lka and not deleted), by orderNum.
func (s *Service) AgentTypes(ctx context.Context) ([]DocumentType, error) {
	l, err := s.TypeList(ctx)
	if err != nil {
		return nil, err
	}
	return agentTypes(l.Types), nil
}

// ReplaceTypes saves types as the whole list when version is the current one (0 while the
// default is in use): 409 otherwise. It returns the saved list.
func (s *Service) ReplaceTypes(ctx context.Context, bankUserID string, version int64, types []DocumentType) (TypeList, error) {
	if err := ValidateTypes(types); err != nil {
		return TypeList{}, err
	}
	if version < 0 {
		return TypeList{}, apperr.InvalidField("version", "must not be negative")
	}
	for i := range types {
		types[i].AllowFileTypeLKK = strings.Join(splitExtensions(types[i].AllowFileTypeLKK), ",")
		types[i].AllowFileTypeLKB = strings.Join(splitExtensions(types[i].AllowFileTypeLKB), ",")
	}
	l := TypeList{Version: version + 1, Types: types, UpdatedAt: s.now(), UpdatedBy: bankUserID}
	if err := s.Types.Put(ctx, l); err != nil {
		return TypeList{}, err
	}
	return l, nil
}

// party is who acts on documents: an agent's user (the types for agents, their extensions) or
// a bank user (every type that is not deleted, the bank's extensions).
type party struct {
	userID string
	bank   bool
}

// uploadType returns the type id the party may upload, ok false when there is none.
func (s *Service) uploadType(ctx context.Context, p party, id int64) (DocumentType, bool, error) {
	l, err := s.TypeList(ctx)
	if err != nil {
		return DocumentType{}, false, err
	}
	for _, t := range l.Types {
		if t.ID == id {
			return t, (p.bank && !t.Deleted) || (!p.bank && t.ForAgents()), nil
		}
	}
	return DocumentType{}, false, nil
}

// --- Applications ---

// agentApp returns an application the agent may see; edit also requires it to be editable.
func (s *Service) agentApp(ctx context.Context, a Actor, id string, edit bool) (applications.Application, error) {
	app, err := s.Apps.Get(ctx, a, id)
	if err != nil {
		return applications.Application{}, err
	}
	if edit && !applications.Editable(app.Status) {
		return applications.Application{}, apperr.Newf(apperr.Conflict,
			"documents can be added or deleted only while the application is a draft or returned for rework; it is %s", app.Status)
	}
	return app, nil
}

// bankApp returns any application.
func (s *Service) bankApp(ctx context.Context, id string) (applications.Application, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return applications.Application{}, errAppNotFound
	}
	app, err := s.AllApps.Get(ctx, id)
	if errors.Is(err, applications.ErrNotFound) {
		return applications.Application{}, errAppNotFound
	}
	return app, err
}

// --- Documents: the agent's operations (A5) ---

// NewDocument is an upload being announced.
type NewDocument struct {
	TypeID      int64
	FileName    string
	Size        int64  // bytes
	ContentType string // optional; must fit the extension
}

// Create announces an upload to an editable application the agent may see: it checks the
// type, the file name, extension, content type and size against the type's rules and the
// type's fileCount, records a pending document and returns a presigned POST to S3.
func (s *Service) Create(ctx context.Context, a Actor, applicationID string, n NewDocument) (Document, blob.Upload, error) {
	app, err := s.agentApp(ctx, a, applicationID, true)
	if err != nil {
		return Document{}, blob.Upload{}, err
	}
	return s.create(ctx, party{userID: a.UserID}, app, n)
}

// Confirm checks an uploaded file (present, within the size limit, its first bytes those of its
// extension) and keeps it: 409 while it is not uploaded, 422 (and the object deleted) when it
// fails a check. Confirming an uploaded document returns it.
func (s *Service) Confirm(ctx context.Context, a Actor, applicationID, documentID string) (Document, error) {
	app, err := s.agentApp(ctx, a, applicationID, true)
	if err != nil {
		return Document{}, err
	}
	return s.confirm(ctx, party{userID: a.UserID}, app, documentID)
}

// List returns the uploaded documents of an application the agent may see, oldest first.
func (s *Service) List(ctx context.Context, a Actor, applicationID string) ([]Document, error) {
	app, err := s.agentApp(ctx, a, applicationID, false)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, app)
}

// Download is a short-lived link to a document's file.
type Download struct {
	URL       string
	ExpiresAt time.Time
}

// Download returns a presigned GET of an uploaded document, naming the original file.
func (s *Service) Download(ctx context.Context, a Actor, applicationID, documentID string) (Download, error) {
	app, err := s.agentApp(ctx, a, applicationID, false)
	if err != nil {
		return Download{}, err
	}
	return s.download(ctx, app, documentID)
}

// Delete removes a document of an editable application, its file included.
func (s *Service) Delete(ctx context.Context, a Actor, applicationID, documentID string) error {
	app, err := s.agentApp(ctx, a, applicationID, true)
	if err != nil {
		return err
	}
	return s.delete(ctx, app, documentID)
}

// FileReader reads the file of a direct upload: its name and bytes. It runs only once the
// application and the type are known to be the caller's to use, so that nobody else's request
// body is read.
type FileReader func() (fileName string, content []byte, err error)

// UploadDirect stores a file sent through the API (seed 004's uploadSysFile) with the same
// checks as Create and Confirm; legalEntityType must be the type's. It returns the document and
// its type.
func (s *Service) UploadDirect(ctx context.Context, a Actor, applicationID string, typeID int64, legalEntityType string, file FileReader) (Document, DocumentType, error) {
	app, err := s.agentApp(ctx, a, applicationID, true)
	if err != nil {
		return Document{}, DocumentType{}, err
	}
	return s.direct(ctx, party{userID: a.UserID}, app, typeID, legalEntityType, file)
}

// --- Documents: the bank's operations (issue 5's back office calls these) ---

// BankCreate is Create for a bank user, on any application in any status, with the bank's
// extensions (allowFileTypeLkb) and every type not deleted.
func (s *Service) BankCreate(ctx context.Context, bankUserID, applicationID string, n NewDocument) (Document, blob.Upload, error) {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return Document{}, blob.Upload{}, err
	}
	return s.create(ctx, party{userID: bankUserID, bank: true}, app, n)
}

// BankConfirm is Confirm for a bank user.
func (s *Service) BankConfirm(ctx context.Context, bankUserID, applicationID, documentID string) (Document, error) {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return Document{}, err
	}
	return s.confirm(ctx, party{userID: bankUserID, bank: true}, app, documentID)
}

// BankList is List for the bank: any application's uploaded documents.
func (s *Service) BankList(ctx context.Context, applicationID string) ([]Document, error) {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, app)
}

// BankDownload is Download for the bank.
func (s *Service) BankDownload(ctx context.Context, applicationID, documentID string) (Download, error) {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return Download{}, err
	}
	return s.download(ctx, app, documentID)
}

// BankDelete is Delete for the bank, in any status of the application.
func (s *Service) BankDelete(ctx context.Context, applicationID, documentID string) error {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return err
	}
	return s.delete(ctx, app, documentID)
}

// --- The operations ---

// live drops the pending documents whose item expired (TTL deletes them only eventually).
func live(docs []Document, now time.Time) []Document {
	out := docs[:0:0]
	for _, d := range docs {
		if d.Status == StatusPending && !d.ExpiresAt.IsZero() && !now.Before(d.ExpiresAt) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// occupied counts the documents of typeID that take a place of its fileCount at now, except
// the document except: uploaded ones, and pending ones whose presigned upload still works.
func occupied(docs []Document, typeID int64, except string, now time.Time) int {
	n := 0
	for _, d := range docs {
		if d.TypeID != typeID || d.ID == except {
			continue
		}
		if d.Status == StatusUploaded || (d.Status == StatusPending && now.Before(d.UploadBy)) {
			n++
		}
	}
	return n
}

// checkRoom refuses a new document when the application is full or the type's fileCount is
// taken (except: a pending document being confirmed).
func checkRoom(docs []Document, t DocumentType, except string, now time.Time) error {
	if except == "" && len(docs) >= MaxDocuments {
		return apperr.Newf(apperr.Conflict, "an application has at most %d documents: delete some first", MaxDocuments)
	}
	if t.FileCount > 0 && occupied(docs, t.ID, except, now) >= t.FileCount {
		return apperr.Newf(apperr.Conflict, "an application has at most %d file(s) of «%s»: delete one first", t.FileCount, t.Name)
	}
	return nil
}

// checkFile checks a file against its type's rules for the party; it returns the content type
// the file is stored with (the extension's canonical one).
func checkFile(p party, t DocumentType, fileName, contentType string, size int64) (string, error) {
	if msg := CheckFileName(fileName); msg != "" {
		return "", apperr.InvalidField("fileName", msg)
	}
	ext := Extension(fileName)
	allowed := t.Extensions(p.bank)
	ok := false
	for _, e := range allowed {
		ok = ok || e == ext
	}
	if !ok || ContentTypeOf(ext) == "" {
		return "", apperr.InvalidField("fileName", fmt.Sprintf("«%s» accepts files of types %s, not .%s", t.Name, strings.Join(allowed, ", "), ext))
	}
	if !acceptsContentType(ext, contentType) {
		return "", apperr.InvalidField("contentType", fmt.Sprintf("%s does not fit a .%s file (%s)", contentType, ext, ContentTypeOf(ext)))
	}
	if size <= 0 {
		return "", apperr.InvalidField("size", "must be the file's size in bytes, at least 1")
	}
	if size > t.MaxBytes() {
		return "", apperr.Newf(apperr.TooLarge, "the file is %s; «%s» accepts files up to %d MB", human(size), t.Name, t.MaxFileSize)
	}
	return ContentTypeOf(ext), nil
}

func human(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (s *Service) create(ctx context.Context, p party, app applications.Application, n NewDocument) (Document, blob.Upload, error) {
	t, ok, err := s.uploadType(ctx, p, n.TypeID)
	if err != nil {
		return Document{}, blob.Upload{}, err
	}
	if !ok {
		return Document{}, blob.Upload{}, apperr.InvalidField("typeId", "no such document type: see GET /v1/document-types")
	}
	ct, err := checkFile(p, t, n.FileName, n.ContentType, n.Size)
	if err != nil {
		return Document{}, blob.Upload{}, err
	}
	docs, version, err := s.Docs.List(ctx, app.ID)
	if err != nil {
		return Document{}, blob.Upload{}, err
	}
	now := s.now()
	docs = live(docs, now)
	if err := checkRoom(docs, t, "", now); err != nil {
		return Document{}, blob.Upload{}, err
	}
	d := Document{ID: ulid.Make().String(), ApplicationID: app.ID, OrgID: app.OrgID, TypeID: t.ID, TypeName: t.Name,
		FileName: n.FileName, ContentType: ct, Size: n.Size, Status: StatusPending, UploadedBy: p.userID, ByBank: p.bank,
		CreatedAt: now, UploadBy: now.Add(UploadExpiry), ExpiresAt: now.Add(PendingTTL)}
	up, err := s.Files.PresignUpload(ctx, incomingKey(d), blob.UploadRule{ContentType: ct, MaxBytes: t.MaxBytes(), Expiry: UploadExpiry})
	if err != nil {
		return Document{}, blob.Upload{}, err
	}
	if err := s.Docs.Create(ctx, d, version); errors.Is(err, ErrStale) {
		return Document{}, blob.Upload{}, errChanged
	} else if err != nil {
		return Document{}, blob.Upload{}, err
	}
	return d, up, nil
}

func (s *Service) confirm(ctx context.Context, p party, app applications.Application, documentID string) (Document, error) {
	if _, err := ulid.ParseStrict(documentID); err != nil {
		return Document{}, errDocNotFound
	}
	all, version, err := s.Docs.List(ctx, app.ID)
	if err != nil {
		return Document{}, err
	}
	now := s.now()
	docs := live(all, now)
	var d Document
	for _, x := range docs {
		if x.ID == documentID {
			d = x
		}
	}
	switch {
	case d.ID == "":
		return Document{}, errDocNotFound
	case d.Status == StatusUploaded:
		return d, nil // confirmed already
	}
	incoming := incomingKey(d)
	t, ok, err := s.uploadType(ctx, p, d.TypeID)
	if err != nil {
		return Document{}, err
	}
	if !ok {
		return Document{}, apperr.New(apperr.Conflict, "documents of this type are no longer accepted: delete it")
	}
	size, ok, err := s.Files.Size(ctx, incoming)
	if err != nil {
		return Document{}, err
	}
	if !ok {
		return Document{}, apperr.New(apperr.Conflict, "the file has not been uploaded yet: send it to the upload's url with its fields first")
	}
	reject := func(msg string) (Document, error) {
		if err := s.Files.Delete(ctx, incoming); err != nil {
			return Document{}, err
		}
		return Document{}, apperr.New(apperr.Unprocessable, msg+"; the upload was discarded: upload the right file again")
	}
	if size > t.MaxBytes() {
		return reject(fmt.Sprintf("the file is %s; «%s» accepts files up to %d MB", human(size), t.Name, t.MaxFileSize))
	}
	head, err := s.Files.Head(ctx, incoming, SniffLen)
	if err != nil {
		return Document{}, err
	}
	if ext := Extension(d.FileName); !Matches(ext, head) {
		return reject(fmt.Sprintf("the file's content is not that of a .%s file", ext))
	}
	if err := checkRoom(docs, t, d.ID, now); err != nil {
		return Document{}, err
	}
	final := finalKey(d)
	if err := s.Files.Copy(ctx, incoming, final, d.ContentType); err != nil {
		return Document{}, err
	}
	d.Status, d.Size, d.UploadedAt, d.UploadBy, d.ExpiresAt = StatusUploaded, size, now, time.Time{}, time.Time{}
	if err := s.Docs.MarkUploaded(ctx, d, version); errors.Is(err, ErrStale) {
		// Another request came first: a concurrent confirm (then this one is done too), a
		// delete, or a new document (then try again).
		cur, gerr := s.Docs.Get(ctx, app.ID, d.ID)
		switch {
		case gerr == nil && cur.Status == StatusUploaded:
			return cur, nil
		case errors.Is(gerr, ErrNotFound):
			s.discard(ctx, final)
			return Document{}, errDocNotFound
		case gerr != nil:
			return Document{}, gerr
		}
		return Document{}, errChanged
	} else if err != nil {
		return Document{}, err
	}
	s.discard(ctx, incoming) // else the incoming/ lifecycle rule removes it
	s.uploaded(ctx, p, d)
	return d, nil
}

// discard deletes an object that nothing refers to, logging a failure (lifecycle rules or a
// later delete clean up).
func (s *Service) discard(ctx context.Context, key string) {
	if err := s.Files.Delete(ctx, key); err != nil {
		slog.WarnContext(ctx, "document object left behind", "key", key, "error", err.Error())
	}
}

func (s *Service) list(ctx context.Context, app applications.Application) ([]Document, error) {
	docs, _, err := s.Docs.List(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	l, err := s.TypeList(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, t := range l.Types {
		names[t.ID] = t.Name
	}
	out := []Document{}
	for _, d := range docs {
		if d.Status != StatusUploaded {
			continue
		}
		if n, ok := names[d.TypeID]; ok {
			d.TypeName = n // the bank may have renamed the type
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Service) get(ctx context.Context, app applications.Application, documentID string) (Document, error) {
	if _, err := ulid.ParseStrict(documentID); err != nil {
		return Document{}, errDocNotFound
	}
	d, err := s.Docs.Get(ctx, app.ID, documentID)
	if errors.Is(err, ErrNotFound) {
		return Document{}, errDocNotFound
	}
	return d, err
}

func (s *Service) download(ctx context.Context, app applications.Application, documentID string) (Download, error) {
	d, err := s.get(ctx, app, documentID)
	if err != nil {
		return Download{}, err
	}
	if d.Status != StatusUploaded {
		return Download{}, apperr.New(apperr.Conflict, "the document is not uploaded yet")
	}
	url, exp, err := s.Files.PresignDownload(ctx, finalKey(d), d.FileName)
	if err != nil {
		return Download{}, err
	}
	return Download{URL: url, ExpiresAt: exp}, nil
}

// delete removes the objects first, then the item: a failure part-way leaves an item a retry
// deletes, never an object nothing refers to.
func (s *Service) delete(ctx context.Context, app applications.Application, documentID string) error {
	d, err := s.get(ctx, app, documentID)
	if err != nil {
		return err
	}
	for _, key := range []string{finalKey(d), incomingKey(d)} {
		if err := s.Files.Delete(ctx, key); err != nil {
			return err
		}
	}
	return s.Docs.Delete(ctx, app.ID, d.ID)
}

func (s *Service) direct(ctx context.Context, p party, app applications.Application, typeID int64, legalEntityType string, file FileReader) (Document, DocumentType, error) {
	t, ok, err := s.uploadType(ctx, p, typeID)
	if err != nil {
		return Document{}, DocumentType{}, err
	}
	if !ok || t.LegalEntityType != legalEntityType {
		return Document{}, DocumentType{}, errTypeNotFound
	}
	fileName, content, err := file()
	if err != nil {
		return Document{}, DocumentType{}, err
	}
	ct, err := checkFile(p, t, fileName, "", int64(len(content)))
	if err != nil {
		return Document{}, DocumentType{}, err
	}
	ext := Extension(fileName)
	if !Matches(ext, content) {
		return Document{}, DocumentType{}, apperr.Newf(apperr.Unprocessable, "the file's content is not that of a .%s file", ext)
	}
	docs, version, err := s.Docs.List(ctx, app.ID)
	if err != nil {
		return Document{}, DocumentType{}, err
	}
	now := s.now()
	if err := checkRoom(live(docs, now), t, "", now); err != nil {
		return Document{}, DocumentType{}, err
	}
	d := Document{ID: ulid.Make().String(), ApplicationID: app.ID, OrgID: app.OrgID, TypeID: t.ID, TypeName: t.Name,
		FileName: fileName, ContentType: ct, Size: int64(len(content)), Status: StatusUploaded, UploadedBy: p.userID, ByBank: p.bank,
		CreatedAt: now, UploadedAt: now}
	final := finalKey(d)
	if err := s.Files.Put(ctx, final, ct, content); err != nil {
		return Document{}, DocumentType{}, err
	}
	if err := s.Docs.Create(ctx, d, version); err != nil {
		s.discard(ctx, final)
		if errors.Is(err, ErrStale) {
			return Document{}, DocumentType{}, errChanged
		}
		return Document{}, DocumentType{}, err
	}
	s.uploaded(ctx, p, d)
	return d, t, nil
}

// uploaded tells the Uploaded hook of an agent's completed upload.
func (s *Service) uploaded(ctx context.Context, p party, d Document) {
	if s.Uploaded != nil && !p.bank {
		s.Uploaded(ctx, d)
	}
}
