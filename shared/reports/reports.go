// Package reports builds reports over an agent organisation's applications (A9, seed 000
// "Как выгрузить отчёт по заявкам?"): the agent ticks the columns, picks a period of Moscow
// days and a delivery (download, or e-mail to the address given at registration). A request
// is recorded (status queued) and put on the report queue; the report builder (an SQS worker)
// reads the applications the requester may see (the role scope of the applications list:
// A17), writes an XLSX or CSV file to the documents bucket, marks the report ready and, for
// e-mail delivery, sends a link to the cabinet. Only the requester sees a report; its file is
// handed out as a short-lived presigned link each time it is read.
//
// Lost work is repaired rather than prevented: the record is written before the job is
// enqueued, so a failed enqueue leaves a queued report that reading it (GET, list) puts on the
// queue again; the builder is idempotent (a claim per report, conditional status changes), so
// a job delivered or enqueued twice builds once.
package reports

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/identity"
)

// Statuses of a report.
const (
	StatusQueued   = "queued"   // recorded, waiting for the builder
	StatusBuilding = "building" // the builder works on it
	StatusReady    = "ready"    // the file is in the bucket
	StatusFailed   = "failed"   // it cannot be built (Report.Failure says why)
)

// Formats of the file.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// Deliveries of a ready report.
const (
	DeliveryDownload = "download" // the requester downloads it (GET gives a link)
	DeliveryEmail    = "email"    // also an e-mail to the requester with a link to the cabinet
)

// Report is one report request and, once built, its file.
type Report struct {
	ID       string
	OrgID    string
	UserID   string // the requester: the only one who sees it
	Status   string
	Format   string
	Delivery string
	Columns  []string // column ids in the order of the file
	From, To string   // the period's first and last Moscow day, 2006-01-02
	Rows     int      // applications in the file, once ready
	Key      string   // the file's key in the documents bucket, once ready
	Failure  string   // why it failed, for the requester
	Attempts int      // builds started; bounded by MaxAttempts
	// EnqueuedAt is when the job was last put on the queue; zero when an enqueue is known to
	// have failed, so that the next read puts it there again.
	EnqueuedAt time.Time
	StartedAt  time.Time // when the last build started
	CreatedAt  time.Time
	ReadyAt    time.Time
}

// Job is the report queue's message.
type Job struct {
	ReportID string `json:"reportId"`
	UserID   string `json:"userId"`
	OrgID    string `json:"orgId"`
}

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
)

// Store keeps reports, each under its requester.
type Store interface {
	Create(ctx context.Context, r Report) error
	Get(ctx context.Context, userID, id string) (Report, error) // ErrNotFound
	// List returns the user's reports, newest first.
	List(ctx context.Context, userID, pageToken string, limit int) ([]Report, string, error)
	// Requeued sets EnqueuedAt to at while the report is queued or building and its EnqueuedAt
	// is still prev (else ErrStale), so that of two readers repairing it one enqueues.
	Requeued(ctx context.Context, userID, id string, prev, at time.Time) error
	// Start moves a queued or building report to building, counting the attempt, and returns
	// it; ErrStale when it is ready or failed.
	Start(ctx context.Context, userID, id string, at time.Time) (Report, error)
	// Finish marks a building report ready (else ErrStale).
	Finish(ctx context.Context, userID, id string, rows int, key string, at time.Time) error
	// Fail marks a queued or building report failed with a reason (else ErrStale).
	Fail(ctx context.Context, userID, id, reason string, at time.Time) error
}

// Queue puts jobs on the report queue.
type Queue interface {
	Enqueue(ctx context.Context, j Job) error
}

// Files keeps report files in the documents bucket.
type Files interface {
	Put(ctx context.Context, key, contentType string, body []byte) error
	// Link returns a short-lived download link naming the file for the browser.
	Link(ctx context.Context, key, filename string) (url string, expires time.Time, err error)
}

// Mailer enqueues e-mail (email.Outbox).
type Mailer interface {
	Send(ctx context.Context, m email.Message) error
}

// Users reads the requester: its e-mail, and its role and group at build time.
type Users interface {
	User(ctx context.Context, id string) (identity.User, error)
}

// Applications reads the applications a caller may see (applications.Service.Each).
type Applications interface {
	Each(ctx context.Context, a applications.Actor, q applications.Query, fn func(applications.Application) error) error
}
