package banklist

import (
	"time"

	"github.com/kabinet/kabinet/shared/applications"
)

// View is our JSON of an application for the bank (seed 004 leaves its Application
// definition out): the agent's fields, the organisation and agent who submitted it, the
// status with its seed id, and the bank's side.
type View struct {
	ID            string                 `json:"id"`
	Number        int64                  `json:"number"` // the organisation's own sequence number
	OrgID         string                 `json:"orgId"`
	OrgName       string                 `json:"orgName"`
	Agent         Person                 `json:"agent"` // the agent's user who created it
	Status        string                 `json:"status"`
	StatusID      int                    `json:"statusid"`
	Company       applications.Company   `json:"company"`
	Contact       applications.Contact   `json:"contact"`
	Office        applications.Office    `json:"office"`
	Product       string                 `json:"product"`
	Founders      []applications.Founder `json:"founders"`
	Questionnaire map[string]string      `json:"questionnaire"`
	Comment       string                 `json:"comment"`
	Bank          BankView               `json:"bank"`
	CreatedAt     time.Time              `json:"createdAt"`
	UpdatedAt     time.Time              `json:"updatedAt"`
	SubmittedAt   *time.Time             `json:"submittedAt,omitempty"`
	Version       int64                  `json:"version"`
}

// Person is a user with its name.
type Person struct {
	UserID   string `json:"userId"`
	FullName string `json:"fullName"`
}

// BankView is applications.Bank in JSON.
type BankView struct {
	TakerID       string     `json:"takerId,omitempty"`
	TakenAt       *time.Time `json:"takenAt,omitempty"`
	Signers       []string   `json:"signers"`
	LifeDate      *time.Time `json:"lifeDate,omitempty"`
	ClosedAt      *time.Time `json:"closedAt,omitempty"`
	AccountNumber string     `json:"accountNumber,omitempty"`
	AccountType   string     `json:"accountType,omitempty"`
	OpeningDate   string     `json:"openingDate,omitempty"`
	PRKOProduct   int64      `json:"prkoProduct,omitempty"`
	ABSClientID   int64      `json:"absClientId,omitempty"`
	ABSPending    string     `json:"absPending,omitempty"`
	InitialCheck  string     `json:"initialCheck,omitempty"`
}

func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func view(a applications.Application, orgName, agentName string) View {
	v := View{ID: a.ID, Number: a.Number, OrgID: a.OrgID, OrgName: orgName, Agent: Person{UserID: a.CreatedBy, FullName: agentName},
		Status: a.Status, StatusID: applications.StatusIDs[a.Status], Company: a.Company, Contact: a.Contact, Office: a.Office,
		Product: a.Product, Founders: a.Founders, Questionnaire: a.Questionnaire, Comment: a.Comment,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, SubmittedAt: when(a.SubmittedAt), Version: a.Version,
		Bank: BankView{TakerID: a.Bank.TakerID, TakenAt: when(a.Bank.TakenAt), Signers: a.Bank.Signers, LifeDate: when(a.Bank.LifeDate),
			ClosedAt: when(a.Bank.ClosedAt), AccountNumber: a.Bank.AccountNumber, AccountType: a.Bank.AccountType, OpeningDate: a.Bank.OpeningDate,
			PRKOProduct: a.Bank.PRKOProduct, ABSClientID: a.Bank.ABSClientID, ABSPending: a.Bank.ABSPending, InitialCheck: a.Bank.InitialCheck}}
	if v.Company.OKVED == nil {
		v.Company.OKVED = []string{}
	}
	if v.Founders == nil {
		v.Founders = []applications.Founder{}
	}
	if v.Questionnaire == nil {
		v.Questionnaire = map[string]string{}
	}
	if v.Bank.Signers == nil {
		v.Bank.Signers = []string{}
	}
	return v
}
