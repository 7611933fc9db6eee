// Package appdocs is the documents attached to an account-opening application (A5 "optional …
// documents"; the document types with their file rules of seed 004, E6): the bank keeps the
// list of document types (what may be attached, in which formats, how large, how many), agents
// attach files to the applications they may see while those are editable, list, download and
// delete them.
//
// File bytes never pass through Lambda on the main path: an upload is a presigned S3 POST to
// an incoming/ key (size range and content type in its policy), then a confirm checks the
// object (size, magic bytes against the extension) and copies it to its final key
// documents/<org>/<application>/<document>. Abandoned uploads leave nothing behind: incoming/
// expires by an S3 lifecycle rule and pending items by DynamoDB TTL. Clients that cannot do a
// presigned POST use the seed's multipart upload (POST …/binary/{doctype}/{docle}), limited to
// MaxDirectUpload because Lambda's synchronous payload is 6 MB and API Gateway base64-encodes
// binary bodies.
//
// The service separates who acts from what is done: agent methods check the caller's
// organisation and role scope through applications.Service.Get (another organisation's
// application is a 404) and editability; the Bank* methods act for a bank user on any
// application, for the back office (issue 5).
package appdocs

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/blob"
)

// Statuses of a document.
const (
	StatusPending  = "pending"  // an upload was handed out; the file is not confirmed yet
	StatusUploaded = "uploaded" // checked and stored under its final key
)

// Document is one file attached to an application.
type Document struct {
	ID            string // ULID: documents sort by creation
	ApplicationID string
	OrgID         string // the application's organisation
	TypeID        int64
	TypeName      string // the type's name when the document was made (the type may go later)
	FileName      string // as the client named it; the download names the file so
	ContentType   string // the canonical type of the file's extension
	Size          int64  // bytes: declared while pending, measured once uploaded
	Status        string
	UploadedBy    string // user id: an agent's user, or a bank user when ByBank
	ByBank        bool
	CreatedAt     time.Time
	UploadedAt    time.Time // zero while pending
	ExpiresAt     time.Time // pending only: after it the item counts as absent (TTL)
	UploadBy      time.Time // pending only: when the presigned upload stops working
}

// TypeList is the bank's list of document types. Version is 0 for the default list, which was
// never saved.
type TypeList struct {
	Version   int64
	Types     []DocumentType
	UpdatedAt time.Time
	UpdatedBy string
}

// Errors of the stores.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
)

// TypeStore keeps the list of document types.
type TypeStore interface {
	// Get returns the saved list, or ok false when none was ever saved.
	Get(ctx context.Context) (l TypeList, ok bool, err error)
	// Put saves l with version l.Version when the saved one has version l.Version-1 (none saved
	// when that is 0); otherwise an apperr.Conflict.
	Put(ctx context.Context, l TypeList) error
}

// DocStore keeps the documents of applications.
type DocStore interface {
	// List returns an application's documents, oldest first, expired pending ones included,
	// and the version of its document set (0 before its first document).
	List(ctx context.Context, applicationID string) (docs []Document, setVersion int64, err error)
	// Get returns one document (ErrNotFound; an expired pending one too).
	Get(ctx context.Context, applicationID, documentID string) (Document, error)
	// Create writes the new document d when the application's document set still has
	// setVersion, moving the set to setVersion+1 in the same transaction; ErrStale otherwise.
	Create(ctx context.Context, d Document, setVersion int64) error
	// MarkUploaded turns the pending document d.ID into d (uploaded) when it is still pending
	// and the set still has setVersion, moving the set on; ErrStale otherwise.
	MarkUploaded(ctx context.Context, d Document, setVersion int64) error
	// Delete removes a document (nothing when it is already gone).
	Delete(ctx context.Context, applicationID, documentID string) error
}

// Files keeps the documents' bytes (S3, DocumentsBucket).
type Files interface {
	// PresignUpload hands out a presigned POST of key within rule.
	PresignUpload(ctx context.Context, key string, rule blob.UploadRule) (blob.Upload, error)
	// Size returns the size of key's object, ok false when there is none.
	Size(ctx context.Context, key string) (size int64, ok bool, err error)
	// Head returns up to n first bytes of key's object.
	Head(ctx context.Context, key string, n int64) ([]byte, error)
	// Copy copies from's object to key to, with contentType.
	Copy(ctx context.Context, from, to, contentType string) error
	// Put writes body as key's object.
	Put(ctx context.Context, key, contentType string, body []byte) error
	// Delete removes key's object (nothing when there is none).
	Delete(ctx context.Context, key string) error
	// PresignDownload returns a short-lived GET of key naming the file fileName.
	PresignDownload(ctx context.Context, key, fileName string) (url string, expires time.Time, err error)
}

// Applications is the agent's view of applications: applications.Service.Get, which answers
// "not found" for another organisation's applications and those outside the caller's role
// scope (A17).
type Applications interface {
	Get(ctx context.Context, a applications.Actor, id string) (applications.Application, error)
}

// AllApplications is the bank's view: any application by id (applications.Store.Get,
// applications.ErrNotFound when there is none).
type AllApplications interface {
	Get(ctx context.Context, id string) (applications.Application, error)
}

// Object keys in DocumentsBucket.
func incomingKey(d Document) string { return "incoming/" + d.ApplicationID + "/" + d.ID }

func finalKey(d Document) string {
	return "documents/" + d.OrgID + "/" + d.ApplicationID + "/" + d.ID
}
