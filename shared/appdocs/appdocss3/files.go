// Package appdocss3 keeps the bytes of application documents in S3 (DOCUMENTS_BUCKET):
// presigned uploads to incoming/ and downloads through shared/platform/blob, and the few
// object calls a confirm, a direct upload and a delete make (head, ranged get, copy, put,
// delete).
package appdocss3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/platform/blob"
)

// Files implements appdocs.Files over one bucket.
type Files struct {
	S3     *s3.Client
	Blob   *blob.Store
	Bucket string
}

var _ appdocs.Files = (*Files)(nil)

// New returns Files over bucket.
func New(client *s3.Client, bucket string) *Files {
	return &Files{S3: client, Blob: blob.New(client, bucket), Bucket: bucket}
}

// PresignUpload hands out a presigned POST.
func (f *Files) PresignUpload(ctx context.Context, key string, rule blob.UploadRule) (blob.Upload, error) {
	return f.Blob.PresignPost(ctx, key, rule)
}

// notFound tells whether err says the object is not there.
func notFound(err error) bool {
	var nk *s3types.NoSuchKey
	var nf *s3types.NotFound
	if errors.As(err, &nk) || errors.As(err, &nf) {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "NotFound" || ae.ErrorCode() == "NoSuchKey") {
		return true
	}
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}

// Size heads the object (the function needs s3:ListBucket on the prefix, else S3 answers a
// missing object with 403 rather than 404).
func (f *Files) Size(ctx context.Context, key string) (int64, bool, error) {
	out, err := f.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key)})
	if notFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("s3 head %s: %w", key, err)
	}
	return aws.ToInt64(out.ContentLength), true, nil
}

// Head reads the first n bytes with a ranged GET.
func (f *Files) Head(ctx context.Context, key string, n int64) ([]byte, error) {
	out, err := f.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key),
		Range: aws.String(fmt.Sprintf("bytes=0-%d", n-1))})
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", key, err)
	}
	defer out.Body.Close()
	return io.ReadAll(io.LimitReader(out.Body, n))
}

// Copy copies within the bucket, replacing the metadata so the stored content type is ours
// (not whatever the uploader sent).
func (f *Files) Copy(ctx context.Context, from, to, contentType string) error {
	_, err := f.S3.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(to),
		CopySource:        aws.String(f.Bucket + "/" + from), // our keys hold only ULIDs, letters and "/"
		ContentType:       aws.String(contentType),
		MetadataDirective: s3types.MetadataDirectiveReplace})
	if err != nil {
		return fmt.Errorf("s3 copy %s to %s: %w", from, to, err)
	}
	return nil
}

// Put writes an object.
func (f *Files) Put(ctx context.Context, key, contentType string, body []byte) error {
	_, err := f.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String(contentType)})
	if err != nil {
		return fmt.Errorf("s3 put %s: %w", key, err)
	}
	return nil
}

// Delete removes an object; S3 answers a missing one with success.
func (f *Files) Delete(ctx context.Context, key string) error {
	_, err := f.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key)})
	if err != nil && !notFound(err) {
		return fmt.Errorf("s3 delete %s: %w", key, err)
	}
	return nil
}

// PresignDownload returns a presigned GET valid for blob.DownloadExpiry.
func (f *Files) PresignDownload(ctx context.Context, key, fileName string) (string, time.Time, error) {
	expires := time.Now().Add(blob.DownloadExpiry)
	u, err := f.Blob.PresignGet(ctx, key, fileName)
	return u, expires, err
}
