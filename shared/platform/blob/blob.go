// Package blob hands out short-lived presigned S3 URLs so file bytes go straight between
// clients and S3, never through Lambda: uploads limited by size and content type, downloads
// valid for minutes.
package blob

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// NewClient returns an S3 client for cfg. S3_FORCE_PATH_STYLE=true selects path-style
// addressing, which S3-compatible emulators need.
func NewClient(cfg aws.Config) *s3.Client {
	pathStyle, _ := strconv.ParseBool(os.Getenv("S3_FORCE_PATH_STYLE"))
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle })
}

// Store presigns requests for one bucket.
type Store struct {
	Presign *s3.PresignClient
	Bucket  string
}

// New returns a Store over client for bucket.
func New(client *s3.Client, bucket string) *Store {
	return &Store{Presign: s3.NewPresignClient(client), Bucket: bucket}
}

// Upload is a presigned upload the client performs itself.
type Upload struct {
	Method  string            `json:"method"` // POST (form) or PUT
	URL     string            `json:"url"`
	Fields  map[string]string `json:"fields,omitempty"`  // POST: form fields to send before the file
	Headers map[string]string `json:"headers,omitempty"` // PUT: headers the request must carry
	Expires time.Time         `json:"expiresAt"`
}

// UploadRule limits an upload.
type UploadRule struct {
	ContentType string
	MaxBytes    int64
	Expiry      time.Duration // default 5 minutes
}

func (u UploadRule) validate() error {
	if u.ContentType == "" || u.MaxBytes <= 0 {
		return errors.New("upload rule needs a content type and a size limit")
	}
	return nil
}

func (u UploadRule) expiry() time.Duration {
	if u.Expiry > 0 {
		return u.Expiry
	}
	return 5 * time.Minute
}

// PresignPost returns a browser-friendly POST upload of key: S3 refuses a file larger than
// rule.MaxBytes (content-length-range) or of another content type.
func (s *Store) PresignPost(ctx context.Context, key string, rule UploadRule) (Upload, error) {
	if err := rule.validate(); err != nil {
		return Upload{}, err
	}
	req, err := s.Presign.PresignPostObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.Bucket), Key: aws.String(key), ContentType: aws.String(rule.ContentType),
	}, func(o *s3.PresignPostOptions) {
		o.Expires = rule.expiry()
		o.Conditions = []any{
			[]any{"content-length-range", 1, rule.MaxBytes},
			map[string]string{"Content-Type": rule.ContentType},
		}
	})
	if err != nil {
		return Upload{}, fmt.Errorf("presign post %s: %w", key, err)
	}
	fields := req.Values
	fields["Content-Type"] = rule.ContentType
	return Upload{Method: "POST", URL: req.URL, Fields: fields, Expires: time.Now().Add(rule.expiry())}, nil
}

// PresignPut returns a PUT upload of exactly size bytes of rule.ContentType (size ≤ MaxBytes).
func (s *Store) PresignPut(ctx context.Context, key string, size int64, rule UploadRule) (Upload, error) {
	if err := rule.validate(); err != nil {
		return Upload{}, err
	}
	if size <= 0 || size > rule.MaxBytes {
		return Upload{}, fmt.Errorf("size %d outside 1..%d", size, rule.MaxBytes)
	}
	req, err := s.Presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.Bucket), Key: aws.String(key), ContentType: aws.String(rule.ContentType), ContentLength: aws.Int64(size),
	}, s3.WithPresignExpires(rule.expiry()))
	if err != nil {
		return Upload{}, fmt.Errorf("presign put %s: %w", key, err)
	}
	headers := map[string]string{}
	for k, v := range req.SignedHeader {
		if k != "Host" && len(v) > 0 {
			headers[k] = v[0]
		}
	}
	return Upload{Method: "PUT", URL: req.URL, Headers: headers, Expires: time.Now().Add(rule.expiry())}, nil
}

// DownloadExpiry is how long a download link lives.
const DownloadExpiry = 2 * time.Minute

// PresignGet returns a download link valid for DownloadExpiry, naming the file for the browser.
func (s *Store) PresignGet(ctx context.Context, key, filename string) (string, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)}
	if filename != "" {
		in.ResponseContentDisposition = aws.String(fmt.Sprintf("attachment; filename*=UTF-8''%s", pathEscape(filename)))
	}
	req, err := s.Presign.PresignGetObject(ctx, in, s3.WithPresignExpires(DownloadExpiry))
	if err != nil {
		return "", fmt.Errorf("presign get %s: %w", key, err)
	}
	return req.URL, nil
}

func pathEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}
