package appdocs

import (
	"context"
	"errors"
	"net/http"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// The bank's side of documents beyond the Bank* methods of service.go, for the back office of
// issue 5 (shared/bankdocs): seed 004's multipart upload by a bank user and the print forms the
// bank generates (E6, E7).

// FormTypeID is the type id of the print forms the bank generates (E7): no type of the list
// has it (ids are positive), so agents never upload one and fileCount never limits them.
const FormTypeID int64 = 0

// FormTypeName names the print forms' type in lists.
const FormTypeName = "Печатные формы банка"

// BankUploadDirect is UploadDirect for a bank user: any application in any status, every type
// not deleted, the bank's extensions (allowFileTypeLkb).
func (s *Service) BankUploadDirect(ctx context.Context, bankUserID, applicationID string, typeID int64, legalEntityType string, file FileReader) (Document, DocumentType, error) {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return Document{}, DocumentType{}, err
	}
	return s.direct(ctx, party{userID: bankUserID, bank: true}, app, typeID, legalEntityType, file)
}

// BankStoreForm keeps a generated print form (a PDF) as a bank document of the application,
// replacing an earlier form of the same file name once the new one is stored.
func (s *Service) BankStoreForm(ctx context.Context, bankUserID, applicationID, fileName string, content []byte) (Document, error) {
	app, err := s.bankApp(ctx, applicationID)
	if err != nil {
		return Document{}, err
	}
	docs, version, err := s.Docs.List(ctx, app.ID)
	if err != nil {
		return Document{}, err
	}
	now := s.now()
	docs = live(docs, now)
	var old []Document
	for _, d := range docs {
		if d.ByBank && d.TypeID == FormTypeID && d.FileName == fileName {
			old = append(old, d)
		}
	}
	if len(docs)-len(old) >= MaxDocuments {
		return Document{}, apperr.Newf(apperr.Conflict, "an application has at most %d documents: delete some first", MaxDocuments)
	}
	d := Document{ID: ulid.Make().String(), ApplicationID: app.ID, OrgID: app.OrgID, TypeID: FormTypeID, TypeName: FormTypeName,
		FileName: fileName, ContentType: ContentTypeOf("pdf"), Size: int64(len(content)), Status: StatusUploaded,
		UploadedBy: bankUserID, ByBank: true, CreatedAt: now, UploadedAt: now}
	final := finalKey(d)
	if err := s.Files.Put(ctx, final, d.ContentType, content); err != nil {
		return Document{}, err
	}
	if err := s.Docs.Create(ctx, d, version); err != nil {
		s.discard(ctx, final)
		if errors.Is(err, ErrStale) {
			return Document{}, errChanged
		}
		return Document{}, err
	}
	for _, o := range old {
		if err := s.delete(ctx, app, o.ID); err != nil {
			return Document{}, err
		}
	}
	return d, nil
}

// ReadUpload reads the file of seed 004's multipart body (field upFile, at most
// MaxDirectUpload bytes; 413 beyond, 406 when it is not multipart/form-data).
func ReadUpload(w http.ResponseWriter, r *http.Request) FileReader { return readUpload(w, r) }

// ErrTooLarge is the 413 of a direct upload whose body is too large.
var ErrTooLarge = errTooLarge

// SeedDocument is seed 004's answer of uploadSysFile for d of type t.
func SeedDocument(d Document, t DocumentType) any { return toSeed(d, t) }
