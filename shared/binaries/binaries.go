// Package binaries is the back office's generic binary objects (seed 004 "Файлы": POST
// /binary/, PATCH and DELETE /binary/{id}, E6): files bank users keep that belong to no
// application, such as the scan of an agent's act (shared/acts, E11).
//
// An object is a DynamoDB item (binariesdb: name, mimetype, size, SHA-256, who made and last
// changed it, a version for optimistic locking) and its bytes in DocumentsBucket under
// binaries/<id>/<version>. Replacing the file (PATCH) writes the next version's object, moves
// the item on conditioned on the version read, and only then deletes the old object, so a
// reader never sees the item name bytes that are not there. Ids are ULIDs, unique across
// objects and application documents, so GET /api/binary/{id} (shared/bankdocs) looks an id up
// among the objects first and then among the documents.
//
// Files are checked like application documents (shared/appdocs): a file name with an
// extension, the type decided by the extension (never by what the client declares) and
// confirmed by the file's first bytes; at most MaxSize bytes.
package binaries

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// MaxSize is the largest file, and the largest multipart body that carries one: Lambda's
// synchronous payload is 6 MB and API Gateway base64-encodes binary bodies (as appdocs).
const MaxSize = 4 << 20

// Object is one stored file.
type Object struct {
	ID       string // ULID
	Name     string // the file name as given; downloads name the file so
	MimeType string // the canonical type of the extension
	Size     int64  // bytes
	SHA256   string // hex, of the current version's bytes
	Version  int64  // 1 when created, +1 per replacement
	// AttachedTo names the record the file belongs to ("act:<id>"): such an object may be
	// replaced but not deleted, so the record never points at nothing.
	AttachedTo string
	CreatedBy  string // bank user id
	CreatedAt  time.Time
	UpdatedBy  string
	UpdatedAt  time.Time
}

// Key is the object key of the object's current bytes in DocumentsBucket.
func (o Object) Key() string { return VersionKey(o.ID, o.Version) }

// Prefix is where the objects' bytes live in DocumentsBucket (the functions' IAM policies
// name it).
const Prefix = "binaries/"

// VersionKey is the object key of a version's bytes.
func VersionKey(id string, version int64) string {
	return Prefix + id + "/" + strconv.FormatInt(version, 10)
}

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
)

// Store keeps the objects' items.
type Store interface {
	// Get returns an object (ErrNotFound).
	Get(ctx context.Context, id string) (Object, error)
	// Create writes a new object.
	Create(ctx context.Context, o Object) error
	// Replace writes o when the stored object still has version o.Version-1 (ErrStale
	// otherwise, ErrNotFound when it is gone).
	Replace(ctx context.Context, o Object) error
	// Delete removes an object that still has version and is attached to nothing (ErrStale
	// otherwise, ErrNotFound when it is gone).
	Delete(ctx context.Context, id string, version int64) error
}

// Files keeps the bytes (appdocss3.Files over DocumentsBucket).
type Files interface {
	Put(ctx context.Context, key, contentType string, body []byte) error
	Delete(ctx context.Context, key string) error
	PresignDownload(ctx context.Context, key, fileName string) (url string, expires time.Time, err error)
}

// Download is a short-lived link to an object's bytes.
type Download struct {
	URL       string
	ExpiresAt time.Time
}
