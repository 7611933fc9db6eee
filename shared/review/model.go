package review

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Status is a status of the model: the built-in ones keep their codes and the seed's ids
// (applications.StatusIDs); the bank may rename them and add its own.
type Status struct {
	ID    int    `json:"id"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Final bool   `json:"final"` // no action leaves it; reaching it sets the application's closedAt
}

// Action is a transition ("ветвь перехода"): nextStep's {action} from status From to To.
// One code may leave several statuses (reject, annul); (Code, From) is unique.
type Action struct {
	Code            string `json:"code"`
	Name            string `json:"name"`
	From            string `json:"from"`
	To              string `json:"to"`
	Roles           []int  `json:"roles"`           // back-office role ids allowed (backoffice.RoleID)
	CommentRequired bool   `json:"commentRequired"` // the step's body must carry a comment
	// ABS is the core-banking call of the step (E13): "" none; NewClient and OpenAccount are
	// queued and the status moves when the ABS answers OK (an error keeps it and writes
	// "Ошибка АБС: …" to the history); DeleteClient moves at once and the call follows (when
	// the ABS knows the client).
	ABS string `json:"abs,omitempty"`
}

// Model is the status model: one versioned document (Version 0 = Default, never saved).
type Model struct {
	Version   int64
	Statuses  []Status
	Actions   []Action
	UpdatedAt time.Time
	UpdatedBy string
}

// ModelStore keeps the model.
type ModelStore interface {
	// Get returns the saved model, or ok false when none was ever saved.
	Get(ctx context.Context) (m Model, ok bool, err error)
	// Put saves m when the saved one has version m.Version-1 (none saved when that is 0);
	// otherwise an apperr.Conflict.
	Put(ctx context.Context, m Model) error
}

var (
	operator = int(backoffice.Operator)
	admin    = int(backoffice.Administrator)
	signer   = int(backoffice.Signer)
	executor = int(backoffice.Executor)
)

// Default is the model until the bank first saves one: submitted → (InitialCheck, or by hand
// "review") in_review → reserve (NewClient) → account_reserved → open (OpenAccount) →
// account_opened; rework back to the agent, reject, annul (DeleteClient) on the way.
func Default() Model {
	st := func(code, name string, final bool) Status {
		return Status{ID: applications.StatusIDs[code], Code: code, Name: name, Final: final}
	}
	a := func(code, name, from, to string, comment bool, kind abs.Kind, roles ...int) Action {
		return Action{Code: code, Name: name, From: from, To: to, Roles: roles, CommentRequired: comment, ABS: string(kind)}
	}
	const (
		draft, submitted, inReview, rework = applications.StatusDraft, applications.StatusSubmitted, applications.StatusInReview, applications.StatusRework
		reserved, opened, rejected, annul  = applications.StatusAccountReserved, applications.StatusAccountOpened, applications.StatusRejected, applications.StatusAnnulled
	)
	return Model{
		Statuses: []Status{
			st(draft, "Черновик", false),
			st(submitted, "Отправлена в банк", false),
			st(inReview, "На рассмотрении", false),
			st(rework, "На доработке", false),
			st(reserved, "Счёт зарезервирован", false),
			st(opened, "Счёт открыт", true),
			st(rejected, "Отказ", true),
			st(annul, "Аннулирована", true),
		},
		Actions: []Action{
			a("review", "Взять на рассмотрение", submitted, inReview, false, "", admin, operator, executor),
			a("rework", "Вернуть на доработку", submitted, rework, true, "", admin, operator, executor),
			a("rework", "Вернуть на доработку", inReview, rework, true, "", admin, operator, executor),
			a("reserve", "Зарезервировать счёт", inReview, reserved, false, abs.NewClient, admin, operator, executor),
			a("open", "Открыть счёт", reserved, opened, false, abs.OpenAccount, admin, operator, signer),
			a("reject", "Отказать", submitted, rejected, true, "", admin, operator, signer),
			a("reject", "Отказать", inReview, rejected, true, "", admin, operator, signer),
			a("reject", "Отказать", reserved, rejected, true, "", admin, operator, signer),
			a("annul", "Аннулировать", draft, annul, false, abs.DeleteClient, admin, operator),
			a("annul", "Аннулировать", submitted, annul, false, abs.DeleteClient, admin, operator),
			a("annul", "Аннулировать", inReview, annul, false, abs.DeleteClient, admin, operator),
			a("annul", "Аннулировать", rework, annul, false, abs.DeleteClient, admin, operator),
			a("annul", "Аннулировать", reserved, annul, false, abs.DeleteClient, admin, operator),
		},
	}
}

// Limits of the model.
const (
	maxStatuses = 100
	maxActions  = 500
	maxName     = 200
)

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,49}$`)

// Validate checks the model: status ids and codes unique, the built-in statuses present with
// their ids, actions between known statuses, none out of a final status, (code, from) unique,
// known roles and ABS calls. The flow's own moves (InitialCheck: submitted → in_review or
// annulled) need the built-in codes.
func Validate(statuses []Status, actions []Action) error {
	f := apperr.Fields{}
	f.Check(len(statuses) <= maxStatuses, "statuses", fmt.Sprintf("at most %d statuses", maxStatuses))
	f.Check(len(actions) <= maxActions, "actions", fmt.Sprintf("at most %d actions", maxActions))
	ids, codes := map[int]bool{}, map[string]Status{}
	for i, s := range statuses {
		p := fmt.Sprintf("statuses[%d].", i)
		switch {
		case s.ID <= 0:
			f.Add(p+"id", "must be a positive integer")
		case ids[s.ID]:
			f.Add(p+"id", fmt.Sprintf("duplicate status id %d", s.ID))
		}
		ids[s.ID] = true
		switch {
		case !codeRE.MatchString(s.Code):
			f.Add(p+"code", "must be 1 to 50 of a-z, 0-9, _ and -, starting with a letter")
		case codes[s.Code].Code != "":
			f.Add(p+"code", "duplicate status code "+s.Code)
		}
		codes[s.Code] = s
		if want, ok := applications.StatusIDs[s.Code]; ok && s.ID != want {
			f.Add(p+"id", fmt.Sprintf("the built-in status %s keeps id %d", s.Code, want))
		}
		f.Check(strings.TrimSpace(s.Name) != "" && len(s.Name) <= maxName, p+"name", fmt.Sprintf("must be 1 to %d characters", maxName))
	}
	for _, code := range applications.Statuses {
		f.Check(codes[code].Code != "", "statuses", "the built-in status "+code+" is required")
	}
	pairs := map[[2]string]bool{}
	for i, a := range actions {
		p := fmt.Sprintf("actions[%d].", i)
		f.Check(codeRE.MatchString(a.Code), p+"code", "must be 1 to 50 of a-z, 0-9, _ and -, starting with a letter")
		f.Check(strings.TrimSpace(a.Name) != "" && len(a.Name) <= maxName, p+"name", fmt.Sprintf("must be 1 to %d characters", maxName))
		from, okFrom := codes[a.From]
		_, okTo := codes[a.To]
		f.Check(okFrom, p+"from", "unknown status "+a.From)
		f.Check(okTo, p+"to", "unknown status "+a.To)
		f.Check(!okFrom || !from.Final, p+"from", "no action leaves the final status "+a.From)
		f.Check(a.From != a.To, p+"to", "must differ from from")
		f.Check(!pairs[[2]string{a.Code, a.From}], p+"code", "duplicate action "+a.Code+" from "+a.From)
		pairs[[2]string{a.Code, a.From}] = true
		f.Check(len(a.Roles) > 0, p+"roles", "at least one role")
		for _, r := range a.Roles {
			if _, ok := backoffice.Roles[backoffice.RoleID(r)]; !ok {
				f.Add(p+"roles", fmt.Sprintf("no role %d", r))
			}
		}
		f.Check(a.ABS == "" || a.ABS == string(abs.NewClient) || a.ABS == string(abs.OpenAccount) || a.ABS == string(abs.DeleteClient),
			p+"abs", "must be empty, NewClient, OpenAccount or DeleteClient")
	}
	return f.Err()
}

// Status returns the status of code.
func (m Model) Status(code string) (Status, bool) {
	i := slices.IndexFunc(m.Statuses, func(s Status) bool { return s.Code == code })
	if i < 0 {
		return Status{}, false
	}
	return m.Statuses[i], true
}

// Final reports whether the status of code is final.
func (m Model) Final(code string) bool {
	s, ok := m.Status(code)
	return ok && s.Final
}

// Action finds the action code from status from: known tells whether the code exists at all.
func (m Model) Action(code, from string) (a Action, ok, known bool) {
	for _, x := range m.Actions {
		if x.Code == code {
			known = true
			if x.From == from {
				return x, true, true
			}
		}
	}
	return Action{}, false, known
}

// Allowed reports whether some action moves from → to.
func (m Model) Allowed(from, to string) bool {
	return slices.ContainsFunc(m.Actions, func(a Action) bool { return a.From == from && a.To == to })
}
