// Package brandings3 keeps the back office's images (shared/branding) in DocumentsBucket
// under ui/<logo>/<sha256>: one object per content, never overwritten, read whole (they are
// at most branding.MaxImageBytes).
package brandings3

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kabinet/kabinet/shared/branding"
)

// Files implements branding.Files over one bucket.
type Files struct {
	S3     *s3.Client
	Bucket string
}

var _ branding.Files = (*Files)(nil)

// Put writes an object with its content type.
func (f *Files) Put(ctx context.Context, key, contentType string, data []byte) error {
	_, err := f.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key),
		Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data))), ContentType: aws.String(contentType)})
	if err != nil {
		return fmt.Errorf("s3 put %s: %w", key, err)
	}
	return nil
}

// Get reads a whole object (at most one byte past the image limit, to notice a stranger).
func (f *Files) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := f.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(io.LimitReader(out.Body, branding.MaxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", key, err)
	}
	if len(b) > branding.MaxImageBytes {
		return nil, fmt.Errorf("s3 get %s: larger than an image may be", key)
	}
	return b, nil
}
