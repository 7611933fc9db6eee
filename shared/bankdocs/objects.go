package bankdocs

import (
	"context"
	"time"

	"github.com/kabinet/kabinet/shared/binaries"
)

// Objects is the back office's generic binary objects (binaries.Service): files of no
// application, such as an act's scan, downloaded on the same path as documents.
type Objects interface {
	Download(ctx context.Context, id string) (binaries.Object, binaries.Download, error)
}

// DownloadAny returns a short-lived link to a generic object or, when no object has the id,
// to an application document (both ids are ULIDs, so they never collide; the object lookup is
// one GetItem, the document's a Query of an index).
func (s *Service) DownloadAny(ctx context.Context, id string) (url string, expires time.Time, err error) {
	if s.Objects != nil {
		_, dl, err := s.Objects.Download(ctx, id)
		if err == nil {
			return dl.URL, dl.ExpiresAt, nil
		}
		if !binaries.IsNotFound(err) {
			return "", time.Time{}, err
		}
	}
	_, dl, err := s.Download(ctx, id)
	return dl.URL, dl.ExpiresAt, err
}
