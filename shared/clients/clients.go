// Package clients is the bank's view of its clients in the back office (seed 004 «Клиент»,
// E10): the client report and its count, the client list and the client card.
//
// Two kinds of "client" meet here:
//
//   - The client report (POST /api/client/report, …/count) is the registration funnel of the
//     cabinet: "the clients who gave a phone number during registration". In Kabinet those are
//     the people who register by phone (A1, shared/onboarding): phone entered → SMS code sent →
//     code confirmed, which creates the account, so confirmedPhone and registered are the same
//     instant. One row per phone (ReportRow): a later attempt with the same phone updates the
//     row (fio, e-mail, the last code sent) but keeps the first inputPhone. lastLogin is the
//     account's last successful login (shared/identity); inns are the INNs named by the
//     applications of the organisation the registration founded (shared/applications),
//     drafts included.
//   - The bank's clients (GET /api/clients, GET /api/client/{clientId}) are the applicant
//     companies of the applications, one per INN bank-wide (Client), with the data of the
//     application changed last. The id is the INN itself: stable, unique per client and
//     already known to every clerk; number is the ABS client id (Bank.ABSClientID, seed 004
//     `_client_id`) once the core-banking system has named one, else "".
//
// The rows and clients are kept current by the domains that change them (clientsdb's
// FunnelWrite in onboarding's transactions, MarkMonth, RecordLogin from identity's logins,
// WriteApplication after the applications store's writes); this package only reads. Reads are open to every bank role; phones and e-mails are
// personal data and never logged.
package clients

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// ReportRow is one person who entered a phone number while registering.
type ReportRow struct {
	ID             string // stable id of the row (a ULID)
	FullName       string
	Phone          string // E.164
	Email          string
	Kind           string // onboarding.Kind of the latest attempt
	INNs           []string
	InputPhone     time.Time // the phone first entered
	SentSMS        time.Time // the last code queued by SMS
	ConfirmedPhone time.Time // zero until confirmed
	Registered     time.Time // zero until the account exists (= ConfirmedPhone)
	LastLogin      time.Time // zero until the first login
	UserID, OrgID  string    // the account, once registered
}

// ReportFilter selects rows of the report. Zero values do not filter.
type ReportFilter struct {
	INN        string    // rows whose inns hold it
	Day        time.Time // the first instant of the Moscow day the phone was entered
	WithoutApp bool      // only rows whose organisation has no application (or no organisation yet)
}

// Match reports whether a row (with its inns filled) passes the filters the index cannot
// apply (the day is a key condition).
func (f ReportFilter) Match(r ReportRow) bool {
	if f.INN != "" && !slices.Contains(r.INNs, f.INN) {
		return false
	}
	return !f.WithoutApp || len(r.INNs) == 0
}

// Client is one of the bank's clients: an applicant company, by INN.
type Client struct {
	ID                string // the INN
	INN, KPP, OGRN    string
	ShortName         string
	FullName          string
	Address           string // the registered address
	ContactFIO        string
	Phone, Email      string
	ABSClientID       int64 // 0 until the ABS names the client
	LastApplicationID string
	FirstSeen         time.Time
	UpdatedAt         time.Time
}

// Individual reports whether the client is a sole proprietor (ИП): a 12-digit INN.
func (c Client) Individual() bool { return len(c.INN) == 12 }

// ErrNotFound is a Store's answer for an unknown client.
var ErrNotFound = errors.New("not found")

// Store reads the views (clientsdb implements it).
type Store interface {
	// Report returns the rows passing f, newest inputPhone first, skipping offset of them.
	Report(ctx context.Context, f ReportFilter, offset, limit int) ([]ReportRow, error)
	// ReportCount counts the rows passing f (the same walk as Report).
	ReportCount(ctx context.Context, f ReportFilter) (int64, error)
	// Clients returns clients newest first (by first application), a page at a time.
	Clients(ctx context.Context, pageToken string, limit int) ([]Client, string, error)
	// Client returns one client by id, ErrNotFound when unknown.
	Client(ctx context.Context, id string) (Client, error)
}

// ErrBadPageToken is a Store's answer for a page token it did not issue.
var ErrBadPageToken = errors.New("bad page token")

// Limits of the reads.
const (
	DefaultSize = 20
	MaxSize     = 100
	// MaxOffset bounds page × size: a page is found by walking the rows before it (~300 bytes
	// each), so deep pages need a narrower filter (a day).
	MaxOffset    = 10_000
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ReportRequest is seed 004's filter object of clientReports / clientReportCount. page is
// 0-based and counts pages of size (offset = page × size); inputPhone is a Moscow date,
// "2026-11-26" or "26.11.2026" (an RFC 3339 instant is taken as its Moscow day: moscow.ParseDay).
type ReportRequest struct {
	INN              string `json:"inn,omitempty"`
	InputPhone       string `json:"inputPhone,omitempty"`
	Size             *int   `json:"size,omitempty"`
	Page             *int   `json:"page,omitempty"`
	ClientWithoutApp bool   `json:"clientWithoutApp,omitempty"`
}

var innRe = regexp.MustCompile(`^([0-9]{10}|[0-9]{12})$`)

// Validate checks the request (400 naming the field).
func (q *ReportRequest) Validate() error {
	_, _, _, err := q.parse()
	return err
}

func (q ReportRequest) parse() (f ReportFilter, offset, size int, err error) {
	fs := apperr.Fields{}
	size = DefaultSize
	if q.Size != nil {
		size = *q.Size
		fs.Check(size >= 1 && size <= MaxSize, "size", "from 1 to 100")
	}
	page := 0
	if q.Page != nil {
		page = *q.Page
		fs.Check(page >= 0, "page", "0 or more (0 is the first page)")
	}
	if size >= 1 && size <= MaxSize && page >= 0 {
		offset = page * size
		fs.Check(offset <= MaxOffset, "page", "page × size at most 10000; narrow the filter (inputPhone) for deeper pages")
	}
	f.INN = strings.TrimSpace(q.INN)
	if f.INN != "" {
		fs.Check(innRe.MatchString(f.INN), "inn", "10 or 12 digits")
	}
	if d := strings.TrimSpace(q.InputPhone); d != "" {
		t, ok := moscow.ParseDay(d)
		fs.Check(ok, "inputPhone", "a date, 2026-11-26 or 26.11.2026")
		f.Day = t
	}
	f.WithoutApp = q.ClientWithoutApp
	return f, offset, size, fs.Err()
}

// Service answers the clients' reads.
type Service struct{ Store Store }

// Report returns a page of the client report.
func (s *Service) Report(ctx context.Context, q ReportRequest) ([]ReportRow, error) {
	f, offset, size, err := q.parse()
	if err != nil {
		return nil, err
	}
	return s.Store.Report(ctx, f, offset, size)
}

// ReportCount counts the rows the report gives for q (paging ignored).
func (s *Service) ReportCount(ctx context.Context, q ReportRequest) (int64, error) {
	f, _, _, err := q.parse()
	if err != nil {
		return 0, err
	}
	return s.Store.ReportCount(ctx, f)
}

// Clients returns a page of clients, newest first.
func (s *Service) Clients(ctx context.Context, pageToken string, limit int) ([]Client, string, error) {
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return nil, "", apperr.InvalidField("limit", "from 1 to 1000")
	}
	out, next, err := s.Store.Clients(ctx, pageToken, limit)
	if errors.Is(err, ErrBadPageToken) {
		return nil, "", apperr.InvalidField("pageToken", "not a page token of this list")
	}
	return out, next, err
}

// Client returns one client; 404 when the id is not a known client's.
func (s *Service) Client(ctx context.Context, id string) (Client, error) {
	if !innRe.MatchString(id) {
		return Client{}, apperr.New(apperr.NotFound, "no such client")
	}
	c, err := s.Store.Client(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Client{}, apperr.New(apperr.NotFound, "no such client")
	}
	return c, err
}
