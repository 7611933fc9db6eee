package declarations

import (
	"errors"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

func TestModificationValidate(t *testing.T) {
	s := func(v string) *string { return &v }
	i := func(v int) *int { return &v }
	v := func(n int64) *int64 { return &n }
	for name, c := range map[string]struct {
		m     Modification
		field string // "" = valid
	}{
		"empty":            {Modification{}, ""},
		"all valid":        {Modification{AppCreate: s("2026-01-02"), AppOpenDate: s("03.01.2026"), PaymentSum: s("10,5"), PaymentDate: s("2026-01-04"), SelectedStatus: i(6), Version: v(0)}, ""},
		"clears":           {Modification{AppCreate: s(""), PaymentSum: s(" "), PaymentDate: s("")}, ""},
		"bad sum":          {Modification{PaymentSum: s("1.234")}, "paymentsum"},
		"bad payment date": {Modification{PaymentDate: s("31.02.2026")}, "paymentdate"},
		"bad appcreate":    {Modification{AppCreate: s("вчера")}, "appcreate"},
		"bad appopendate":  {Modification{AppOpenDate: s("2026/01/01")}, "appopendate"},
		"status zero":      {Modification{SelectedStatus: i(0)}, "selectedStatus"},
		"negative version": {Modification{Version: v(-1)}, "version"},
	} {
		err := c.m.Validate()
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.field != "" && (err == nil || !containsField(err, c.field)):
			t.Errorf("%s: want an error on %s, got %v", name, c.field, err)
		}
	}
}

func containsField(err error, field string) bool {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return false
	}
	_, ok := e.Fields[field]
	return ok
}
