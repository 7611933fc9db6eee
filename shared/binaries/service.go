package binaries

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Service keeps binary objects for bank users.
type Service struct {
	Store Store
	Files Files
	Now   func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var (
	errNotFound = apperr.New(apperr.NotFound, "Файл не найден: no file has this id")
	errChanged  = apperr.New(apperr.Conflict, "the file changed meanwhile: read it again")
	errAttached = apperr.New(apperr.Conflict, "the file belongs to a record (an act) and cannot be deleted; it may be replaced")
)

// Create stores a new object made by bank user actor (the exported API of acts and of POST
// /api/binary/): name is the file name, mimetype what the client declared ("" when nothing).
func (s *Service) Create(ctx context.Context, actor, name, mimetype string, body []byte) (Object, error) {
	return s.CreateAttached(ctx, actor, "", name, mimetype, body)
}

// CreateAttached is Create for a file that belongs to a record (Object.AttachedTo).
func (s *Service) CreateAttached(ctx context.Context, actor, attachedTo, name, mimetype string, body []byte) (Object, error) {
	ct, err := Check(name, mimetype, body)
	if err != nil {
		return Object{}, err
	}
	now := s.now()
	o := Object{ID: ulid.Make().String(), Name: name, MimeType: ct, Size: int64(len(body)), SHA256: digest(body), Version: 1,
		AttachedTo: attachedTo, CreatedBy: actor, CreatedAt: now, UpdatedBy: actor, UpdatedAt: now}
	if err := s.Files.Put(ctx, o.Key(), ct, body); err != nil {
		return Object{}, err
	}
	if err := s.Store.Create(ctx, o); err != nil {
		s.discard(ctx, o.Key())
		return Object{}, err
	}
	return o, nil
}

// Get returns an object (404 when there is none).
func (s *Service) Get(ctx context.Context, id string) (Object, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Object{}, errNotFound
	}
	o, err := s.Store.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Object{}, errNotFound
	}
	return o, err
}

// IsNotFound tells whether err is Get's or Download's 404 (GET /api/binary/{id} then looks
// among the application documents).
func IsNotFound(err error) bool { return errors.Is(err, errNotFound) }

// Replace stores a new version of object id's file (PATCH /binary/{id}): the id stays, the
// name and type become the new file's. ifVersion, when not 0, is the version the caller read
// (If-Match): 409 when the object moved on since.
func (s *Service) Replace(ctx context.Context, actor, id string, ifVersion int64, name, mimetype string, body []byte) (Object, error) {
	old, err := s.Get(ctx, id)
	if err != nil {
		return Object{}, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return Object{}, errChanged
	}
	ct, err := Check(name, mimetype, body)
	if err != nil {
		return Object{}, err
	}
	o := old
	o.Name, o.MimeType, o.Size, o.SHA256 = name, ct, int64(len(body)), digest(body)
	o.Version, o.UpdatedBy, o.UpdatedAt = old.Version+1, actor, s.now()
	if err := s.Files.Put(ctx, o.Key(), ct, body); err != nil {
		return Object{}, err
	}
	switch err := s.Store.Replace(ctx, o); {
	case errors.Is(err, ErrStale):
		s.discard(ctx, o.Key())
		return Object{}, errChanged
	case errors.Is(err, ErrNotFound):
		s.discard(ctx, o.Key())
		return Object{}, errNotFound
	case err != nil:
		s.discard(ctx, o.Key())
		return Object{}, err
	}
	s.discard(ctx, old.Key())
	return o, nil
}

// Delete removes an object and its bytes (404 when there is none, 409 when it belongs to a
// record).
func (s *Service) Delete(ctx context.Context, id string) error {
	o, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if o.AttachedTo != "" {
		return errAttached
	}
	switch err := s.Store.Delete(ctx, o.ID, o.Version); {
	case errors.Is(err, ErrStale):
		return errChanged
	case errors.Is(err, ErrNotFound):
		return errNotFound
	case err != nil:
		return err
	}
	s.discard(ctx, o.Key())
	return nil
}

// Download returns the object and a short-lived link to its bytes that names the file.
func (s *Service) Download(ctx context.Context, id string) (Object, Download, error) {
	o, err := s.Get(ctx, id)
	if err != nil {
		return Object{}, Download{}, err
	}
	url, exp, err := s.Files.PresignDownload(ctx, o.Key(), o.Name)
	if err != nil {
		return Object{}, Download{}, err
	}
	return o, Download{URL: url, ExpiresAt: exp}, nil
}

// discard deletes bytes nothing points at; a failure leaves an orphan, logged.
func (s *Service) discard(ctx context.Context, key string) {
	if err := s.Files.Delete(context.WithoutCancel(ctx), key); err != nil {
		slog.WarnContext(ctx, "binary object bytes not deleted", "key", key, "error", err.Error())
	}
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
