package reportsdb

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/reports"
)

// Files implements reports.Files over the documents bucket: the builder writes a file with
// PutObject, readers get presigned GET links (blob.DownloadExpiry).
type Files struct {
	S3     *s3.Client
	Bucket string
	Links  *blob.Store // presigns for Bucket
}

var _ reports.Files = (*Files)(nil)

func (f *Files) Put(ctx context.Context, key, contentType string, body []byte) error {
	_, err := f.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(f.Bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String(contentType)})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

func (f *Files) Link(ctx context.Context, key, filename string) (string, time.Time, error) {
	expires := time.Now().Add(blob.DownloadExpiry)
	url, err := f.Links.PresignGet(ctx, key, filename)
	return url, expires.UTC(), err
}

// Queue implements reports.Queue over the report queue.
type Queue struct {
	SQS      *sqs.Client
	QueueURL string
}

var _ reports.Queue = (*Queue)(nil)

func (q *Queue) Enqueue(ctx context.Context, j reports.Job) error {
	if err := sqsworker.SendJSON(ctx, q.SQS, q.QueueURL, j, nil); err != nil {
		return fmt.Errorf("enqueue report %s: %w", j.ReportID, err)
	}
	return nil
}
