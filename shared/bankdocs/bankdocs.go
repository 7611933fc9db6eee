// Package bankdocs is the bank's document work on applications in the back office (seed 004,
// issue 5): extra-document requests to the agent and their recall (E6), the client's and the
// bank's documents by type, the types the bank may upload, seed 004's multipart upload and
// download, verification of documents with its history, deletion (E6), the client
// questionnaire (E8) and the bank's print forms as PDFs (E7).
//
// Files are the documents of shared/appdocs (its Bank* methods): this package adds who may do
// what on the back office, the requests and the verification records, kept next to the
// documents in the application's partition (bankdocsdb). Downloads (GET /api/binary/{id}, of a
// document or of a generic binary object of shared/binaries, whose create, replace and delete
// this domain serves on the same paths) answer 302 to a 2-minute presigned GET of the file, so
// file bytes never pass back through Lambda; uploads do, only on the seed's multipart endpoints
// (at most appdocs.MaxDirectUpload).
package bankdocs

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/applications"
)

// Statuses of an extra-document request.
const (
	RequestOpen      = "requested" // waiting for the agent
	RequestFulfilled = "fulfilled" // the agent uploaded a document of the type
	RequestRecalled  = "recalled"  // the bank withdrew it
)

// MaxRequests bounds the requests of an application, so that its list is one small Query.
const MaxRequests = 100

// Request is the bank's request for an extra document of an application (createDocRequirement).
type Request struct {
	ID            string // ULID
	ApplicationID string
	TypeID        int64
	TypeName      string
	Comment       string
	Status        string
	RequestedBy   string // bank user id
	RequestedAt   time.Time
	DocumentID    string // the document that fulfilled it
	FulfilledAt   time.Time
	RecalledBy    string
	RecalledAt    time.Time
}

// Check is one verification of a document by a bank user (setVerify).
type Check struct {
	Result  bool
	Comment string
	By      string // bank user id
	At      time.Time
}

// Verification is the state of a document's checks: the latest and the history, oldest first.
type Verification struct {
	ApplicationID string
	DocumentID    string
	Version       int64 // 0 before the first check
	History       []Check
}

// Latest is the current check, ok false before any.
func (v Verification) Latest() (Check, bool) {
	if len(v.History) == 0 {
		return Check{}, false
	}
	return v.History[len(v.History)-1], true
}

// MaxChecks bounds the history kept in a verification item (the oldest go first).
const MaxChecks = 50

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
	// ErrFulfilled refuses a recall of which a request was fulfilled.
	ErrFulfilled = errors.New("a request was fulfilled")
)

// Store keeps the requests and the verifications.
type Store interface {
	// Requests returns an application's requests, oldest first.
	Requests(ctx context.Context, applicationID string) ([]Request, error)
	// CreateRequest writes a new request.
	CreateRequest(ctx context.Context, q Request) error
	// Fulfil marks request id fulfilled by documentID when it is still open (ErrStale otherwise).
	Fulfil(ctx context.Context, applicationID, id, documentID string, at time.Time) error
	// Recall marks the requests ids recalled in one transaction when none of them is fulfilled
	// (ErrFulfilled) and all exist (ErrNotFound); recalled ones stay recalled.
	Recall(ctx context.Context, applicationID string, ids []string, by string, at time.Time) error
	// Verifications returns the verifications of an application's documents, by document id.
	Verifications(ctx context.Context, applicationID string) (map[string]Verification, error)
	// SaveVerification writes v with version v.Version when the stored one has v.Version-1
	// (none for 1); ErrStale otherwise.
	SaveVerification(ctx context.Context, v Verification) error
	// DeleteVerification removes a document's verification (nothing when there is none).
	DeleteVerification(ctx context.Context, applicationID, documentID string) error
}

// Finder finds a document by its id alone (appdocsdb.Docs.ByID).
type Finder interface {
	ByID(ctx context.Context, documentID string) (appdocs.Document, error)
}

// Questionnaires is the bank's side of applications.Service (E8).
type Questionnaires interface {
	BankQuestionnaire(ctx context.Context, id string) (applications.Application, error)
	BankSetQuestionnaire(ctx context.Context, bankUserID, id string, version int64, answers map[string]string) (applications.Application, error)
}
