// Package applications keeps an agent organisation's applications to open a business account
// (A5–A8): drafts with the company's requisites (INN, KPP and OGRN checked with
// their check digits), contact, office, founders and questionnaire answers; submission to the
// bank with the required fields checked; the rework loop (A7: the bank returns an application
// with a reason, the agent edits and resubmits); the history of status transitions (A6); and
// the list with search by INN or company name and filters by status and creation date (A8),
// scoped by role (A17): a user sees its own applications, an administrator its group's, the
// head and the superuser the whole organisation's; and the organisation's statistics (A10),
// counters per Moscow day kept in the same transactions as the changes they count.
//
// The bank's side (issue 5) is shared/review: its status model decides the bank's moves
// (Moves), it moves applications with Service.Move and works the core-banking (ABS) calls;
// submitting queues the InitialCheck call (Service.ABS).
package applications

import (
	"context"
	"errors"
	"time"

	"github.com/kabinet/kabinet/shared/identity"
)

// Statuses of an application.
const (
	StatusDraft           = "draft"            // the agent fills it in
	StatusSubmitted       = "submitted"        // sent to the bank
	StatusInReview        = "in_review"        // the bank works on it
	StatusRework          = "rework"           // returned to the agent with a reason (A7)
	StatusAccountReserved = "account_reserved" // the account number is reserved
	StatusAccountOpened   = "account_opened"   // done
	StatusRejected        = "rejected"         // the bank refused
	StatusAnnulled        = "annulled"         // withdrawn
)

// Statuses lists every status in lifecycle order.
var Statuses = []string{StatusDraft, StatusSubmitted, StatusInReview, StatusRework, StatusAccountReserved, StatusAccountOpened, StatusRejected, StatusAnnulled}

// StatusIDs are the seed 004 integer ids of the statuses (statusid filters, applicationStatuses):
// fixed for these codes; a status the bank adds to its status model takes a new id.
var StatusIDs = map[string]int{
	StatusDraft: 1, StatusSubmitted: 2, StatusInReview: 3, StatusRework: 4,
	StatusAccountReserved: 5, StatusAccountOpened: 6, StatusRejected: 7, StatusAnnulled: 8,
}

// Editable tells whether the agent may change an application in status.
func Editable(status string) bool { return status == StatusDraft || status == StatusRework }

// Moves is the bank's status model (shared/review keeps it, editable, in DynamoDB) as the
// applications' own moves need it: Advance and the agent's annulment check it.
type Moves interface {
	// Allowed reports whether some action of the model moves an application from from to to.
	Allowed(ctx context.Context, from, to string) (bool, error)
}

// Company is the applicant company's requisites and names.
type Company struct {
	INN           string   `json:"inn" dynamodbav:"inn"`
	KPP           string   `json:"kpp" dynamodbav:"kpp"`
	OGRN          string   `json:"ogrn" dynamodbav:"ogrn"`
	OKPO          string   `json:"okpo" dynamodbav:"okpo"`
	ShortName     string   `json:"shortName" dynamodbav:"shortName"`
	FullName      string   `json:"fullName" dynamodbav:"fullName"`
	RegAddress    string   `json:"regAddress" dynamodbav:"regAddress"`
	ActualAddress string   `json:"actualAddress" dynamodbav:"actualAddress"`
	OKVED         []string `json:"okved" dynamodbav:"okved"`
}

// Contact is the person the bank calls about the application.
type Contact struct {
	FullName string `json:"fullName" dynamodbav:"fullName"`
	Phone    string `json:"phone" dynamodbav:"phone"` // E.164
	Email    string `json:"email" dynamodbav:"email"`
}

// Office is the bank office that serves the account. CityID and OfficeID are the ids of the
// departments directory (A12: idCity, idOffice), set when the office was picked from it.
type Office struct {
	City     string `json:"city" dynamodbav:"city"`
	Office   string `json:"office" dynamodbav:"office"`
	CityID   string `json:"idCity,omitempty" dynamodbav:"idCity,omitempty"`
	OfficeID string `json:"idOffice,omitempty" dynamodbav:"idOffice,omitempty"`
}

// Founder is one owner of the company. Share is in basis points: 1 to 10000 (0.01 % to
// 100 %; 2550 is 25.50 %), integers so that shares add up exactly.
type Founder struct {
	FullName string `json:"fullName" dynamodbav:"fullName"`
	Share    int    `json:"share" dynamodbav:"share"`
	INN      string `json:"inn,omitempty" dynamodbav:"inn,omitempty"`
}

// Application is one account-opening application.
type Application struct {
	ID            string
	Number        int64 // the organisation's sequence number, 1, 2, …: the seed agent API's documentId
	OrgID         string
	CreatedBy     string // user id
	GroupID       string // the creator's group when created: administrators see their group's
	Status        string
	Company       Company
	Contact       Contact
	Office        Office
	Product       string // the product's code in the rewards catalogue (A11); "" = its default product
	Founders      []Founder
	Questionnaire map[string]string
	Comment       string // the agent's note to the bank
	Bank          Bank   // the bank's side (issue 5, seed 004)
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SubmittedAt   time.Time // zero until first submitted
	Version       int64
}

// Bank is the bank's side of an application (issue 5, seed 004): who works on it, who signs
// it, its life date, the account and the core-banking (ABS) state.
type Bank struct {
	TakerID       string    `dynamodbav:"takerId,omitempty"` // the bank user who took it to work; "" = nobody
	TakenAt       time.Time `dynamodbav:"takenAt,omitempty"`
	Signers       []string  `dynamodbav:"signers,omitempty"`       // bank users who sign it
	LifeDate      time.Time `dynamodbav:"lifeDate,omitempty"`      // when it lapses (changeLifeDate); zero = never
	ClosedAt      time.Time `dynamodbav:"closedAt,omitempty"`      // when it reached a final status
	AccountNumber string    `dynamodbav:"accountNumber,omitempty"` // reserved: by NewClient or reserveaccount
	AccountByHand bool      `dynamodbav:"accountByHand,omitempty"` // reserved by hand (reserveaccount): unknown to the ABS, opened without OpenAccount
	AccountType   string    `dynamodbav:"accountType,omitempty"`
	OpeningDate   string    `dynamodbav:"openingDate,omitempty"`
	PRKOProduct   int64     `dynamodbav:"prkoProduct,omitempty"`
	ABSClientID   int64     `dynamodbav:"absClientId,omitempty"`  // the ABS's _client_id
	ABSPending    string    `dynamodbav:"absPending,omitempty"`   // the ABS call in flight (abs.Kind) while a step waits for it
	ABSJob        string    `dynamodbav:"absJob,omitempty"`       // the abs.Job id of that call: an outcome of another job is stale
	InitialCheck  string    `dynamodbav:"initialCheck,omitempty"` // "", pending, passed, failed
	// SignedAt: when each signer signed, by user id: a step a designated signer takes in the
	// Signer role is their signature (seed 004's applicationSignatures {signed, datetime}).
	SignedAt map[string]time.Time `dynamodbav:"signedAt,omitempty"`
}

// HistoryEntry is one status transition (A6).
type HistoryEntry struct {
	At      time.Time
	By      string // user id: an agent's user or a bank employee
	ByBank  bool
	From    string // "" for the creation
	To      string
	Comment string
}

// Filter selects applications (A8) and scopes them (A17).
type Filter struct {
	INNPrefix   string    // digits
	NamePrefix  string    // lower-case, spaces collapsed; matches the short name
	Status      string    // "" = any
	CreatedFrom time.Time // inclusive; zero = open
	CreatedTo   time.Time // exclusive; zero = open
	CreatedBy   string    // scope of a plain user
	GroupID     string    // scope of an administrator
}

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrStale    = errors.New("changed by another request")
	// ErrAccrued is Save's refusal of an accrual for an application whose reward exists: a
	// reward is accrued once (A11).
	ErrAccrued = errors.New("reward already accrued")
)

// Statistics counters (A10), one set per organisation and Moscow day.
const (
	StatCreated   = "created"   // applications created
	StatSubmitted = "submitted" // first submissions (from draft)
	StatOpened    = "opened"    // accounts opened
	StatRejected  = "rejected"  // applications the bank rejected
)

// Tally is one statistics counter to add one to, in the same transaction as the change that
// causes it (A10): counters are kept on write, never computed by reading the applications.
type Tally struct {
	Day   string // the Moscow date of the change, 2006-01-02
	Field string // StatCreated, StatSubmitted, StatOpened or StatRejected
}

// Stats are an organisation's counters summed over a period (A10).
type Stats struct {
	From, To                             string // the period's first and last day, 2006-01-02
	Created, Submitted, Opened, Rejected int64
}

// Store keeps applications and their history.
type Store interface {
	// NextNumber takes the next sequence number of the organisation's applications; a number
	// taken by a create that then fails is not reused.
	NextNumber(ctx context.Context, orgID string) (int64, error)
	// Create writes a new application (version 1, a.Number unique in its organisation), its
	// first history entry and the tally of a.OrgID in one transaction.
	Create(ctx context.Context, a Application, h HistoryEntry, t Tally) error
	Get(ctx context.Context, id string) (Application, error) // ErrNotFound
	// ByNumber finds the organisation's application by its number (ErrNotFound).
	ByNumber(ctx context.Context, orgID string, number int64) (Application, error)
	// Save writes a whose stored version is still a.Version-1 (else ErrStale), with a history
	// entry when h is not nil, a tally of a.OrgID when t is not nil and the agent's reward when
	// r is not nil (both only with h), in one transaction; a reward already accrued for a
	// cancels it all with ErrAccrued.
	Save(ctx context.Context, a Application, h *HistoryEntry, t *Tally, r *Accrual) error
	// Statistics sums the organisation's counters of the days from to to (inclusive,
	// 2006-01-02).
	Statistics(ctx context.Context, orgID, from, to string) (Stats, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error) // oldest first
	List(ctx context.Context, orgID string, f Filter, pageToken string, limit int) ([]Application, string, error)
}

// Users reads the caller (its group scopes what an administrator sees).
type Users interface {
	User(ctx context.Context, id string) (identity.User, error)
}

// ProductInfo is a product of the rewards catalogue (A11) as applications see it.
type ProductInfo struct {
	ID            string
	Name          string
	RewardKopecks int64 // the agent's fixed reward per opened account
	Active        bool  // offered: new and edited applications may name it
}

// Products is the product catalogue (shared/rewards) that checks an application's product and
// prices its reward.
type Products interface {
	// Product returns the product id, or the default product for id "": ok false when the
	// catalogue has no such product.
	Product(ctx context.Context, id string) (p ProductInfo, ok bool, err error)
}

// Accrual is the agent's reward for an opened account (A11), written in the transaction that
// opens it: a reward item of the application and an addition to the organisation's total of
// the Moscow month.
type Accrual struct {
	Month         string // the Moscow month of At, 2006-01
	Product       string // the effective product: the application's, or the default one
	ProductName   string
	AmountKopecks int64
	At            time.Time
}
