// Package company holds what the cabinets know about a Russian company (A5, the application to
// open a business account): its requisites — INN, KPP, OGRN / OGRNIP, OKPO, OKVED — checked
// with their official check digits, and the Party a company directory returns when an agent
// types a name or an INN (Suggester; the DaData adapter is company/dadata, its simulator
// infra/dadatasim).
//
// Each validator returns nil or an error whose message is plain English fit to show as a field
// error ("INN check digit is wrong"). Values are checked as given: callers trim spaces first.
package company

import (
	"context"
	"encoding/json"
	"time"
)

// Kind tells a legal entity (ЮЛ) from an individual, who may be a sole proprietor (ИП). Its
// values are DaData's data.type.
type Kind string

const (
	LegalEntity Kind = "LEGAL"      // юридическое лицо: INN of 10 digits, OGRN of 13, KPP
	Individual  Kind = "INDIVIDUAL" // физическое лицо / ИП: INN of 12 digits, OGRNIP of 15, no KPP
)

// Valid reports whether k is one of the two kinds.
func (k Kind) Valid() bool { return k == LegalEntity || k == Individual }

// Status is the state of a company in the state register (DaData's data.state.status).
type Status string

const (
	StatusActive       Status = "ACTIVE"       // действующая
	StatusLiquidating  Status = "LIQUIDATING"  // ликвидируется
	StatusLiquidated   Status = "LIQUIDATED"   // ликвидирована
	StatusBankrupt     Status = "BANKRUPT"     // банкротство
	StatusReorganizing Status = "REORGANIZING" // в процессе присоединения к другому юрлицу
)

// Party is a company (or a sole proprietor) as a company directory returns it.
type Party struct {
	// Value is the one-line name shown in a suggestion list (ООО "РОМАШКА");
	// UnrestrictedValue the same in full.
	Value             string `json:"value"`
	UnrestrictedValue string `json:"unrestrictedValue"`

	Kind  Kind   `json:"kind"`
	INN   string `json:"inn"`
	KPP   string `json:"kpp,omitempty"` // legal entities only
	OGRN  string `json:"ogrn,omitempty"`
	OKPO  string `json:"okpo,omitempty"`
	OKVED string `json:"okved,omitempty"` // the main activity code

	FullName  string `json:"fullName"`  // full name with the legal form (ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА")
	ShortName string `json:"shortName"` // short name with the legal form (ООО "РОМАШКА")
	OPF       OPF    `json:"opf"`
	FIO       *FIO   `json:"fio,omitempty"` // sole proprietors only

	Address    Address     `json:"address"`
	Management *Management `json:"management,omitempty"` // legal entities only
	Status     Status      `json:"status"`
	BranchType string      `json:"branchType,omitempty"` // MAIN (head office) or BRANCH

	RegistrationDate time.Time `json:"registrationDate,omitzero"`
	LiquidationDate  time.Time `json:"liquidationDate,omitzero"`

	// Raw is the directory's own record as received (for DaData the whole suggestion), kept so
	// it can be passed on verbatim: seed 004's account reservation sends it as regAddress.
	Raw json.RawMessage `json:"-"`
}

// OPF is the organisational and legal form (ООО, АО, ПАО, ИП…) by the ОКОПФ classifier.
type OPF struct {
	Code  string `json:"code,omitempty"`  // 12300
	Short string `json:"short,omitempty"` // ООО
	Full  string `json:"full,omitempty"`  // Общество с ограниченной ответственностью
}

// FIO is the name of a sole proprietor.
type FIO struct {
	Surname    string `json:"surname"`
	Name       string `json:"name"`
	Patronymic string `json:"patronymic,omitempty"`
}

// Management is the head of a legal entity.
type Management struct {
	Name string `json:"name"` // ГРЕФ ГЕРМАН ОСКАРОВИЧ
	Post string `json:"post"` // ГЕНЕРАЛЬНЫЙ ДИРЕКТОР
}

// Address is the registered address: one line plus the parts a questionnaire asks for.
type Address struct {
	Value             string `json:"value"`
	UnrestrictedValue string `json:"unrestrictedValue"` // with the postal code
	PostalCode        string `json:"postalCode,omitempty"`
	Country           string `json:"country,omitempty"`
	Region            string `json:"region,omitempty"`     // region_with_type: г Москва, Свердловская обл
	Area              string `json:"area,omitempty"`       // area_with_type: р-н Одинцовский
	City              string `json:"city,omitempty"`       // city_with_type: г Екатеринбург
	Settlement        string `json:"settlement,omitempty"` // settlement_with_type: поселок Горки
	Street            string `json:"street,omitempty"`     // street_with_type: ул Вавилова
	HouseType         string `json:"houseType,omitempty"`  // д, влд
	House             string `json:"house,omitempty"`
	BlockType         string `json:"blockType,omitempty"` // к, стр
	Block             string `json:"block,omitempty"`
	FlatType          string `json:"flatType,omitempty"` // кв, офис, помещ
	Flat              string `json:"flat,omitempty"`
	FiasID            string `json:"fiasId,omitempty"`
	KladrID           string `json:"kladrId,omitempty"`
	OKATO             string `json:"okato,omitempty"`
	OKTMO             string `json:"oktmo,omitempty"`
	TaxOffice         string `json:"taxOffice,omitempty"`
	Source            string `json:"source,omitempty"` // the address as the register writes it
}

// Suggester finds companies in a company directory. Both methods return an empty slice, not an
// error, when nothing matches. Errors are apperr errors: Unavailable (503, with RetryAfter when
// known) when the directory is down, overloaded or slow — the form can still be filled by hand;
// Internal when the directory refuses our configuration (wrong key, exhausted quota).
type Suggester interface {
	// SuggestParty returns up to count companies whose name, INN or OGRN matches query as the
	// user types it (count ≤ 0 means the directory's default).
	SuggestParty(ctx context.Context, query string, count int) ([]Party, error)
	// FindParty returns the company with this INN or OGRN / OGRNIP: the head office and its
	// branches, or only the unit with kpp when kpp is not empty.
	FindParty(ctx context.Context, innOrOgrn, kpp string) ([]Party, error)
}
