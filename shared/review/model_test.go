package review

import (
	"testing"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

func TestDefaultModel(t *testing.T) {
	m := Default()
	if err := Validate(m.Statuses, m.Actions); err != nil {
		t.Fatalf("the default model is invalid: %v", err)
	}
	for code, id := range applications.StatusIDs {
		if s, ok := m.Status(code); !ok || s.ID != id {
			t.Errorf("status %s: %+v %v", code, s, ok)
		}
	}
	for _, tc := range []struct {
		code, from  string
		ok, known   bool
		to, absKind string
	}{
		{"reserve", "in_review", true, true, "account_reserved", "NewClient"},
		{"open", "account_reserved", true, true, "account_opened", "OpenAccount"},
		{"open", "in_review", false, true, "", ""},
		{"annul", "rework", true, true, "annulled", "DeleteClient"},
		{"annul", "annulled", false, true, "", ""},
		{"fly", "in_review", false, false, "", ""},
	} {
		a, ok, known := m.Action(tc.code, tc.from)
		if ok != tc.ok || known != tc.known || a.To != tc.to || a.ABS != tc.absKind {
			t.Errorf("%s from %s: %+v ok=%v known=%v", tc.code, tc.from, a, ok, known)
		}
	}
	if !m.Allowed("submitted", "in_review") || m.Allowed("rework", "account_opened") || !m.Final("rejected") || m.Final("rework") {
		t.Error("Allowed / Final")
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Model)
		field  string
	}{
		{"duplicate id", func(m *Model) { m.Statuses[1].ID = 1 }, "statuses[1].id"},
		{"zero id", func(m *Model) { m.Statuses = append(m.Statuses, Status{Code: "x", Name: "X"}) }, "statuses[8].id"},
		{"built-in id moved", func(m *Model) { m.Statuses[0].ID = 42 }, "statuses[0].id"},
		{"built-in missing", func(m *Model) { m.Statuses = m.Statuses[:7] }, "statuses"},
		{"bad code", func(m *Model) { m.Statuses = append(m.Statuses, Status{ID: 9, Code: "On Hold", Name: "X"}) }, "statuses[8].code"},
		{"duplicate code", func(m *Model) { m.Statuses = append(m.Statuses, Status{ID: 9, Code: "draft", Name: "X"}) }, "statuses[8].code"},
		{"empty name", func(m *Model) { m.Statuses[3].Name = "" }, "statuses[3].name"},
		{"unknown from", func(m *Model) { m.Actions[0].From = "nowhere" }, "actions[0].from"},
		{"unknown to", func(m *Model) { m.Actions[0].To = "nowhere" }, "actions[0].to"},
		{"out of a final status", func(m *Model) { m.Actions[0].From = "rejected" }, "actions[0].from"},
		{"to itself", func(m *Model) { m.Actions[0].To = m.Actions[0].From }, "actions[0].to"},
		{"duplicate action", func(m *Model) { m.Actions = append(m.Actions, m.Actions[3]) }, "actions[13].code"},
		{"no roles", func(m *Model) { m.Actions[0].Roles = nil }, "actions[0].roles"},
		{"unknown role", func(m *Model) { m.Actions[0].Roles = []int{5} }, "actions[0].roles"},
		{"unknown ABS call", func(m *Model) { m.Actions[0].ABS = "InitialCheck" }, "actions[0].abs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Default()
			tc.change(&m)
			err := Validate(m.Statuses, m.Actions)
			e, ok := apperr.As(err)
			if !ok || e.Fields[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestAccountValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		acc  Account
		ok   bool
	}{
		{"ok", Account{Type: "Расчётный", AccountNumber: "40702810900000000001", OpeningDate: "2026-03-01", PRKOProduct: 1}, true},
		{"no opening date", Account{Type: "Расчётный", AccountNumber: "40702810900000000001"}, true},
		{"19 digits", Account{Type: "Расчётный", AccountNumber: "4070281090000000000"}, false},
		{"letters", Account{Type: "Расчётный", AccountNumber: "4070281090000000000A"}, false},
		{"no type", Account{AccountNumber: "40702810900000000001"}, false},
		{"bad date", Account{Type: "Р", AccountNumber: "40702810900000000001", OpeningDate: "2026-13-01"}, false},
	} {
		if err := tc.acc.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
