// Package abs is the bank's core-banking system (АБС) as the account-opening flow needs it
// (E13, seed 004 "Интеграция РАДАР и АБС банка"): four JSON calls over HTTPS, each a POST to a
// URL the bank's administrator configures, told apart by "_input_type":
//
//	InitialCheck  check the company by INN against the bank's internal lists (auto-reject option)
//	NewClient     reserve an account: answers "_client_id" and "_account_number"
//	OpenAccount   open the reserved account (a failure keeps the status, "ABS error" in history)
//	DeleteClient  forget the client on annulment, recall or close
//
// Every answer carries "_rc" ("1" success, "-1" error), "_comment" and "_notes4staff" (the
// list of checks {"Тип Проверки","Прошла","Сообщение"}, or the string "null"); which key and
// value mean success or error is configurable per call (Settings, the seed's "dynamic fields").
//
// Client.Call makes one call and tells three outcomes apart: a business answer (Result, OK or
// not: an ABS "-1" is a Result{OK: false} the flow records, not an error), a transient failure
// (network, timeout, 408, 429, 5xx: IsTransient, retry later) and a permanent one (other 4xx, an
// answer that is not the protocol: sqsworker.IsPermanent, dead-letter and tell a human).
//
// The package is plain Go over net/http: it knows nothing of applications, queues or stores,
// so the queue consumer and the back office build Requests from their own fields. Request
// bodies carry client data and are never logged; only kind, application id, HTTP status,
// outcome and duration are.
//
// Not done yet (the bank has not said): HTTP Basic, bearer or mutual-TLS authentication
// towards the ABS. They belong in Options (a Transport with client certificates, a header) when
// the bank names one.
package abs

import (
	"encoding/json"
	"fmt"
	"github.com/kabinet/kabinet/shared/platform/moscow"
	"slices"
	"strings"
	"time"
)

// Kind is the "_input_type" of a call.
type Kind string

const (
	InitialCheck Kind = "InitialCheck" // check by INN against the bank's lists
	NewClient    Kind = "NewClient"    // reserve an account number
	OpenAccount  Kind = "OpenAccount"  // open the reserved account
	DeleteClient Kind = "DeleteClient" // delete the client (annulment, recall, close)
)

// Kinds are the four calls, in the order of the flow.
var Kinds = []Kind{InitialCheck, NewClient, OpenAccount, DeleteClient}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// OKVED is one activity code of the company, as the seed's "okved" list has it.
type OKVED struct {
	Code string `json:"code"`
	Name string `json:"name"` // may be empty: the application keeps only the codes
}

// Address is an address as the seed sends it: an object in DaData's suggestion format
// ({"value","unrestricted_value","data"}). The application keeps only the address line, so by
// default the object is built from Value alone:
//
//	{"value": s, "unrestricted_value": s, "data": {"source": s}}
//
// ("source" is DaData's field for the text as written, so a reader of DaData's format finds the
// address there too; no parsed parts are invented). Full, when set, is a whole DaData record
// (say, from the company directory) and is sent as it is. An empty Address is sent as null.
type Address struct {
	Value string
	Full  json.RawMessage
}

// AddressOf is the address line s as an Address.
func AddressOf(s string) Address { return Address{Value: strings.TrimSpace(s)} }

// MarshalJSON writes the DaData-shaped object described on Address.
func (a Address) MarshalJSON() ([]byte, error) {
	if len(a.Full) > 0 {
		if !json.Valid(a.Full) {
			return nil, fmt.Errorf("abs: address: Full is not JSON")
		}
		return a.Full, nil
	}
	if a.Value == "" {
		return []byte("null"), nil
	}
	return json.Marshal(map[string]any{"value": a.Value, "unrestricted_value": a.Value, "data": map[string]any{"source": a.Value}})
}

// Request is what one call needs, from plain fields (the consumer copies them from the
// application). Which fields a kind sends is the seed's (see MarshalJSON); Validate says which
// a kind requires.
type Request struct {
	Kind          Kind
	ApplicationID string // "applicationId": the application's id in our system
	Number        string // "number" (NewClient): the application's number, null when empty

	INN          string
	KPP          string
	OGRN         string
	OKPO         string
	OrgNameShort string
	OrgNameFull  string

	RegAddress       Address   // legal address
	RegActualAddress Address   // actual address
	RegDate          time.Time // "regDate": the application's creation, Moscow time without zone
	Branch           string    // the bank office the client chose
	OKVED            []OKVED
	// BankForm is the client's questionnaire (анкета), key → value. It is sent in the seed's
	// shape, a list of {"key","description","value"} sorted by key, descriptions null (the
	// seed's ABS reads values by key; most of its own descriptions are null too).
	BankForm map[string]string

	ClientID      int64  // "_client_id" (OpenAccount, DeleteClient): from InitialCheck or NewClient
	AccountNumber string // "_account_number" (OpenAccount): from NewClient
}

// regDateLayout is the seed's "2018-05-11T00:00:00".
const regDateLayout = "2006-01-02T15:04:05"

type formField struct {
	Key         string  `json:"key"`
	Description *string `json:"description"`
	Value       string  `json:"value"`
}

// company is the body of NewClient and OpenAccount after the kind-specific keys, in the seed's
// order.
type company struct {
	RegAddress       Address     `json:"regAddress"`
	RegActualAddress Address     `json:"regActualAddress"`
	RegDate          *string     `json:"regDate"`
	OrgNameShort     string      `json:"orgnameShort"`
	OrgNameFull      string      `json:"orgnameFull"`
	INN              string      `json:"inn"`
	Branch           string      `json:"branch"`
	KPP              string      `json:"kpp"`
	OGRN             string      `json:"ogrn"`
	OKPO             string      `json:"okpo"`
	OKVED            []OKVED     `json:"okved"`
	BankForm         []formField `json:"bankForm"`
}

func (r Request) company() company {
	c := company{RegAddress: r.RegAddress, RegActualAddress: r.RegActualAddress, OrgNameShort: r.OrgNameShort,
		OrgNameFull: r.OrgNameFull, INN: r.INN, Branch: r.Branch, KPP: r.KPP, OGRN: r.OGRN, OKPO: r.OKPO,
		OKVED: r.OKVED, BankForm: []formField{}}
	if c.OKVED == nil {
		c.OKVED = []OKVED{}
	}
	if !r.RegDate.IsZero() {
		d := r.RegDate.In(moscow.Zone).Format(regDateLayout)
		c.RegDate = &d
	}
	keys := make([]string, 0, len(r.BankForm))
	for k := range r.BankForm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c.BankForm = append(c.BankForm, formField{Key: k, Value: r.BankForm[k]})
	}
	return c
}

// MarshalJSON writes the body the seed shows for the kind:
//
//	InitialCheck  {"_input_type","inn","orgnameFull"}
//	NewClient     {"applicationId","_input_type","number", company…}
//	OpenAccount   {"applicationId","_input_type","_account_number","_client_id", company…}
//	DeleteClient  {"_input_type","_client_id"}
//
// where company is regAddress, regActualAddress, regDate, orgnameShort, orgnameFull, inn,
// branch, kpp, ogrn, okpo, okved, bankForm.
func (r Request) MarshalJSON() ([]byte, error) {
	switch r.Kind {
	case InitialCheck:
		return json.Marshal(struct {
			Kind        Kind   `json:"_input_type"`
			INN         string `json:"inn"`
			OrgNameFull string `json:"orgnameFull"`
		}{r.Kind, r.INN, r.OrgNameFull})
	case NewClient:
		var number *string
		if r.Number != "" {
			number = &r.Number
		}
		return json.Marshal(struct {
			ApplicationID string  `json:"applicationId"`
			Kind          Kind    `json:"_input_type"`
			Number        *string `json:"number"`
			company
		}{r.ApplicationID, r.Kind, number, r.company()})
	case OpenAccount:
		return json.Marshal(struct {
			ApplicationID string `json:"applicationId"`
			Kind          Kind   `json:"_input_type"`
			AccountNumber string `json:"_account_number"`
			ClientID      int64  `json:"_client_id"`
			company
		}{r.ApplicationID, r.Kind, r.AccountNumber, r.ClientID, r.company()})
	case DeleteClient:
		return json.Marshal(struct {
			Kind     Kind  `json:"_input_type"`
			ClientID int64 `json:"_client_id"`
		}{r.Kind, r.ClientID})
	}
	return nil, fmt.Errorf("abs: unknown kind %q", r.Kind)
}

// Validate reports the first field a kind requires that is missing: a bug of the caller, never
// worth a call.
func (r Request) Validate() error {
	if !r.Kind.Valid() {
		return fmt.Errorf("abs: unknown kind %q", r.Kind)
	}
	missing := func(name string) error { return fmt.Errorf("abs: %s needs %s", r.Kind, name) }
	switch r.Kind {
	case InitialCheck:
		if r.INN == "" {
			return missing("inn")
		}
	case NewClient:
		if r.ApplicationID == "" {
			return missing("applicationId")
		}
		if r.INN == "" {
			return missing("inn")
		}
	case OpenAccount:
		if r.ApplicationID == "" {
			return missing("applicationId")
		}
		if r.ClientID == 0 {
			return missing("_client_id")
		}
		if r.AccountNumber == "" {
			return missing("_account_number")
		}
	case DeleteClient:
		if r.ClientID == 0 {
			return missing("_client_id")
		}
	}
	return nil
}

// Note is one entry of "_notes4staff": a check the bank ran and what it found. A check that
// did not pass ("Прошла": 0) is a warning for the bank's staff, not by itself a refusal.
type Note struct {
	Check   string `json:"check"`   // "Тип Проверки"
	Passed  bool   `json:"passed"`  // "Прошла"
	Message string `json:"message"` // "Сообщение"
}

// Result is the ABS's answer to one call, kept with the application (E13: "_rc", "_comment",
// "_notes4staff" stored as check results).
type Result struct {
	Kind          Kind   `json:"kind"`
	OK            bool   `json:"ok"`                      // the success key had the success value
	Comment       string `json:"comment,omitempty"`       // the comment key ("null" reads as empty)
	ClientID      int64  `json:"clientId,omitempty"`      // "_client_id" (InitialCheck, NewClient)
	AccountNumber string `json:"accountNumber,omitempty"` // "_account_number" (NewClient), digits only
	Notes         []Note `json:"notes,omitempty"`
	// DateFrom and DateTo are the values under the OpenAccount date keys, as sent, when the
	// settings name them.
	DateFrom string `json:"dateFrom,omitempty"`
	DateTo   string `json:"dateTo,omitempty"`
	// Raw is the whole answer as decoded, for the record.
	Raw map[string]any `json:"raw,omitempty"`

	HTTPStatus int           `json:"httpStatus"`
	RequestID  string        `json:"requestId"` // the X-Request-Id we sent
	Duration   time.Duration `json:"duration"`
}

// Failed returns the checks that did not pass (warnings for the staff).
func (r Result) Failed() []Note {
	var out []Note
	for _, n := range r.Notes {
		if !n.Passed {
			out = append(out, n)
		}
	}
	return out
}
