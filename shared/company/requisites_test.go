package company

import (
	"math/big"
	"strconv"
	"testing"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// The helpers below compute check digits straight from the published formulas, independently
// of the code under test, to build valid numbers (and, by changing the last digit, invalid ones).

func innCheck(prefix string, weights ...int) string {
	sum := 0
	for i, w := range weights {
		d, _ := strconv.Atoi(prefix[i : i+1])
		sum += d * w
	}
	return strconv.Itoa(sum % 11 % 10)
}

func inn10(prefix9 string) string {
	return prefix9 + innCheck(prefix9, 2, 4, 10, 3, 5, 9, 4, 6, 8)
}

func inn12(prefix10 string) string {
	s := prefix10 + innCheck(prefix10, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
	return s + innCheck(s, 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
}

// ogrnWith appends (prefix as a number mod m) mod 10, computed with math/big.
func ogrnWith(prefix string, m int64) string {
	n, _ := new(big.Int).SetString(prefix, 10)
	r := new(big.Int).Mod(n, big.NewInt(m)).Int64() % 10
	return prefix + strconv.FormatInt(r, 10)
}

// wrongLast replaces the last digit with the next one (mod 10): the check digit is then wrong.
func wrongLast(s string) string {
	d := (int(s[len(s)-1]-'0') + 1) % 10
	return s[:len(s)-1] + strconv.Itoa(d)
}

func msg(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestINN(t *testing.T) {
	tests := []struct {
		name     string
		inn      string
		wantKind Kind
		wantErr  string
	}{
		{name: "Sberbank", inn: "7707083893", wantKind: LegalEntity},
		{name: "Yandex", inn: "7736207543", wantKind: LegalEntity},
		{name: "Gazprom", inn: "7736050003", wantKind: LegalEntity},
		{name: "seed 004 company", inn: "9715316168", wantKind: LegalEntity},
		{name: "published 12-digit example", inn: "500100732259", wantKind: Individual},
		{name: "computed 10-digit", inn: inn10("771504823"), wantKind: LegalEntity},
		{name: "computed 10-digit, check 0", inn: inn10("504703925"), wantKind: LegalEntity},
		{name: "computed 12-digit", inn: inn12("7814230516"), wantKind: Individual},
		{name: "computed 12-digit Kazan", inn: inn12("1655372019"), wantKind: Individual},

		{name: "empty", inn: "", wantErr: "INN is required"},
		{name: "letters", inn: "77070838AB", wantErr: "INN must contain only digits"},
		{name: "spaces", inn: "7707 083893", wantErr: "INN must contain only digits"},
		{name: "minus", inn: "-707083893", wantErr: "INN must contain only digits"},
		{name: "9 digits", inn: "770708389", wantErr: "INN must be 10 digits for a legal entity or 12 digits for an individual"},
		{name: "11 digits", inn: "77070838930", wantErr: "INN must be 10 digits for a legal entity or 12 digits for an individual"},
		{name: "13 digits", inn: "7707083893000", wantErr: "INN must be 10 digits for a legal entity or 12 digits for an individual"},
		{name: "10-digit wrong check", inn: "7707083894", wantErr: "INN check digit is wrong"},
		{name: "12-digit wrong last check", inn: wrongLast("500100732259"), wantErr: "INN check digit is wrong"},
		{name: "12-digit wrong first check", inn: "500100732249", wantErr: "INN check digit is wrong"},
		{name: "two digits swapped", inn: "7707038893", wantErr: "INN check digit is wrong"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kind, err := KindOfINN(tc.inn)
			if msg(err) != tc.wantErr || kind != tc.wantKind {
				t.Fatalf("KindOfINN(%q) = %q, %v; want %q, %q", tc.inn, kind, err, tc.wantKind, tc.wantErr)
			}
			if got := msg(ValidateINN(tc.inn)); got != tc.wantErr {
				t.Fatalf("ValidateINN(%q) = %q; want %q", tc.inn, got, tc.wantErr)
			}
		})
	}
}

func TestINNFor(t *testing.T) {
	tests := []struct {
		kind    Kind
		inn     string
		wantErr string
	}{
		{LegalEntity, "7707083893", ""},
		{Individual, "500100732259", ""},
		{LegalEntity, "500100732259", "INN must be 10 digits for a legal entity"},
		{Individual, "7707083893", "INN must be 12 digits for an individual or sole proprietor"},
		{LegalEntity, "770708389", "INN must be 10 digits for a legal entity"},
		{LegalEntity, "7707083894", "INN check digit is wrong"},
		{Individual, "50010073225x", "INN must contain only digits"},
		{LegalEntity, "", "INN is required"},
		{"", "7707083893", `kind must be "LEGAL" or "INDIVIDUAL"`},
	}
	for _, tc := range tests {
		if got := msg(ValidateINNFor(tc.kind, tc.inn)); got != tc.wantErr {
			t.Errorf("ValidateINNFor(%q, %q) = %q; want %q", tc.kind, tc.inn, got, tc.wantErr)
		}
	}
}

func TestKPP(t *testing.T) {
	tests := []struct {
		name    string
		kpp     string
		wantErr string
	}{
		{name: "Sberbank", kpp: "773601001"},
		{name: "seed 004 company", kpp: "773401001"},
		{name: "largest taxpayer", kpp: "997750001"},
		{name: "Latin letters in the reason", kpp: "7736AB001"},
		{name: "mixed reason", kpp: "77360Z001"},

		{name: "empty", kpp: "", wantErr: "KPP is required"},
		{name: "8 characters", kpp: "77360100", wantErr: "KPP must be 9 characters"},
		{name: "10 characters", kpp: "7736010010", wantErr: "KPP must be 9 characters"},
		{name: "lower-case letters", kpp: "7736ab001", wantErr: "KPP must be 4 digits, then 2 digits or capital Latin letters, then 3 digits"},
		{name: "letter in the office code", kpp: "77A601001", wantErr: "KPP must be 4 digits, then 2 digits or capital Latin letters, then 3 digits"},
		{name: "letter in the number", kpp: "77360100A", wantErr: "KPP must be 4 digits, then 2 digits or capital Latin letters, then 3 digits"},
		// Cyrillic А and В look Latin but are two bytes each: 9 runes, 11 bytes.
		{name: "Cyrillic letters", kpp: "7736АВ001", wantErr: "KPP must be 9 characters"},
		{name: "Cyrillic letter, 9 bytes", kpp: "7736Б001", wantErr: "KPP must be 4 digits, then 2 digits or capital Latin letters, then 3 digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := msg(ValidateKPP(tc.kpp)); got != tc.wantErr {
				t.Fatalf("ValidateKPP(%q) = %q; want %q", tc.kpp, got, tc.wantErr)
			}
		})
	}
}

func TestOGRN(t *testing.T) {
	tests := []struct {
		name     string
		ogrn     string
		wantKind Kind
		wantErr  string // of KindOfOGRN
	}{
		{name: "Sberbank", ogrn: "1027700132195", wantKind: LegalEntity},
		{name: "Yandex", ogrn: "1027700229193", wantKind: LegalEntity},
		{name: "Gazprom", ogrn: "1027700070518", wantKind: LegalEntity},
		{name: "seed 004 company", ogrn: "1187746470834", wantKind: LegalEntity},
		{name: "computed, starts with 5", ogrn: ogrnWith("511774613902", 11), wantKind: LegalEntity},
		{name: "computed 2021 Moscow", ogrn: ogrnWith("121770013409", 11), wantKind: LegalEntity},
		{name: "published OGRNIP", ogrn: "304500116000157", wantKind: Individual},
		{name: "computed OGRNIP", ogrn: ogrnWith("31778470028815", 13), wantKind: Individual},
		{name: "computed OGRNIP, remainder ≥ 10", ogrn: ogrnWith("32016900041227", 13), wantKind: Individual},

		{name: "empty", ogrn: "", wantErr: "OGRN is required"},
		{name: "letters", ogrn: "10277001321O5", wantErr: "OGRN must contain only digits"},
		{name: "12 digits", ogrn: "102770013219", wantErr: "OGRN must be 13 digits for a legal entity or 15 digits (OGRNIP) for a sole proprietor"},
		{name: "14 digits", ogrn: "10277001321950", wantErr: "OGRN must be 13 digits for a legal entity or 15 digits (OGRNIP) for a sole proprietor"},
		{name: "wrong check", ogrn: wrongLast("1027700132195"), wantErr: "OGRN check digit is wrong"},
		{name: "starts with 2 (a later record, not a registration)", ogrn: ogrnWith("202770013219", 11), wantErr: "OGRN must start with 1 or 5"},
		{name: "OGRNIP wrong check", ogrn: wrongLast("304500116000157"), wantErr: "OGRNIP check digit is wrong"},
		{name: "OGRNIP starts with 4", ogrn: ogrnWith("40450011600015", 13), wantErr: "OGRNIP must start with 3"},
		// mod 11 instead of mod 13 is a classic mistake
		{name: "OGRNIP with the OGRN formula", ogrn: ogrnWith("31778470028815", 11), wantErr: "OGRNIP check digit is wrong"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kind, err := KindOfOGRN(tc.ogrn)
			if msg(err) != tc.wantErr || (err == nil && kind != tc.wantKind) {
				t.Fatalf("KindOfOGRN(%q) = %q, %v; want %q, %q", tc.ogrn, kind, err, tc.wantKind, tc.wantErr)
			}
		})
	}
}

func TestOGRNByKind(t *testing.T) {
	tests := []struct {
		name    string
		check   func(string) error
		value   string
		wantErr string
	}{
		{"OGRN ok", ValidateOGRN, "1027700132195", ""},
		{"OGRN given an OGRNIP", ValidateOGRN, "304500116000157", "OGRN must be 13 digits for a legal entity"},
		{"OGRN empty", ValidateOGRN, "", "OGRN is required"},
		{"OGRN letters", ValidateOGRN, "1027700132I95", "OGRN must contain only digits"},
		{"OGRNIP ok", ValidateOGRNIP, "304500116000157", ""},
		{"OGRNIP given an OGRN", ValidateOGRNIP, "1027700132195", "OGRNIP must be 15 digits for a sole proprietor"},
		{"OGRNIP empty", ValidateOGRNIP, "", "OGRNIP is required"},
		{"OGRNIP letters", ValidateOGRNIP, "30450011600015x", "OGRNIP must contain only digits"},
		{"legal kind", func(s string) error { return ValidateOGRNFor(LegalEntity, s) }, "1027700132195", ""},
		{"individual kind", func(s string) error { return ValidateOGRNFor(Individual, s) }, "304500116000157", ""},
		{"individual kind given an OGRN", func(s string) error { return ValidateOGRNFor(Individual, s) }, "1027700132195", "OGRNIP must be 15 digits for a sole proprietor"},
		{"unknown kind", func(s string) error { return ValidateOGRNFor("ORG", s) }, "1027700132195", `kind must be "LEGAL" or "INDIVIDUAL"`},
	}
	for _, tc := range tests {
		if got := msg(tc.check(tc.value)); got != tc.wantErr {
			t.Errorf("%s: %q gives %q; want %q", tc.name, tc.value, got, tc.wantErr)
		}
	}
}

func TestOKPO(t *testing.T) {
	tests := []struct {
		name    string
		okpo    string
		kind    Kind // for ValidateOKPOFor; "" skips it
		wantErr string
	}{
		{name: "Sberbank", okpo: "00032537", kind: LegalEntity},
		{name: "seed 004 company", okpo: "28517963", kind: LegalEntity},
		{name: "Gazprom", okpo: "00040778", kind: LegalEntity},
		// 1000006: weights 1…7 give 1·1 + 6·7 = 43 ≡ 10 (mod 11); weights 3…9 give
		// 1·3 + 6·9 = 57 ≡ 2, so the check digit is 2.
		{name: "second pass", okpo: "10000062", kind: LegalEntity},
		// 1000064: 1 + 6·6 + 4·7 = 65 ≡ 10; 3 + 6·8 + 4·9 = 87 ≡ 10 again, so 0.
		{name: "both passes 10", okpo: "10000640", kind: LegalEntity},
		// 100000001: 1·1 + 1·9 = 10; second pass weights 3…10, 1: 1·3 + 1·1 = 4.
		{name: "10 digits, second pass wraps the weights", okpo: "1000000014", kind: Individual},
		{name: "10 digits computed", okpo: "0173845266", kind: Individual},

		{name: "empty", okpo: "", wantErr: "OKPO is required"},
		{name: "letters", okpo: "0003253A", wantErr: "OKPO must contain only digits"},
		{name: "7 digits", okpo: "0003253", wantErr: "OKPO must be 8 digits for a legal entity or 10 digits for a sole proprietor"},
		{name: "9 digits", okpo: "000325370", wantErr: "OKPO must be 8 digits for a legal entity or 10 digits for a sole proprietor"},
		{name: "wrong check", okpo: "00032538", wantErr: "OKPO check digit is wrong"},
		{name: "remainder 10 taken as 0", okpo: "10000060", wantErr: "OKPO check digit is wrong"},
		{name: "10 digits wrong check", okpo: "1000000010", wantErr: "OKPO check digit is wrong"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := msg(ValidateOKPO(tc.okpo)); got != tc.wantErr {
				t.Fatalf("ValidateOKPO(%q) = %q; want %q", tc.okpo, got, tc.wantErr)
			}
			if tc.kind != "" {
				if err := ValidateOKPOFor(tc.kind, tc.okpo); err != nil {
					t.Fatalf("ValidateOKPOFor(%q, %q) = %v", tc.kind, tc.okpo, err)
				}
			}
		})
	}
	for _, tc := range []struct {
		kind       Kind
		okpo, want string
	}{
		{LegalEntity, "0173845266", "OKPO must be 8 digits for a legal entity"},
		{Individual, "00032537", "OKPO must be 10 digits for a sole proprietor"},
		{Individual, "x", "OKPO must contain only digits"},
		{"", "00032537", `kind must be "LEGAL" or "INDIVIDUAL"`},
	} {
		if got := msg(ValidateOKPOFor(tc.kind, tc.okpo)); got != tc.want {
			t.Errorf("ValidateOKPOFor(%q, %q) = %q; want %q", tc.kind, tc.okpo, got, tc.want)
		}
	}
}

func TestOKVED(t *testing.T) {
	const format = "OKVED code must look like 62.01 or 47.11.1"
	tests := []struct{ code, wantErr string }{
		{"62", ""},
		{"01.1", ""},
		{"62.01", ""},
		{"47.11.1", ""},
		{"62.02.9", ""},
		{"01.11.11", ""},
		{"", "OKVED code is required"},
		{"6", format},
		{"620", format},
		{"62.", format},
		{"62.0.1", format},
		{"62.011", format},
		{"47.11.111", format},
		{"47.11.", format},
		{"62,01", format},
		{"A.62.01", format},
		{" 62.01", format},
	}
	for _, tc := range tests {
		if got := msg(ValidateOKVED(tc.code)); got != tc.wantErr {
			t.Errorf("ValidateOKVED(%q) = %q; want %q", tc.code, got, tc.wantErr)
		}
	}
}

func TestRequisitesCheck(t *testing.T) {
	tests := []struct {
		name     string
		r        Requisites
		wantKind Kind
		want     map[string]string
	}{
		{
			name:     "legal entity, all fields",
			r:        Requisites{INN: "7707083893", KPP: "773601001", OGRN: "1027700132195", OKPO: "00032537", OKVED: "64.19"},
			wantKind: LegalEntity,
		},
		{
			name:     "sole proprietor, kind given",
			r:        Requisites{Kind: Individual, INN: "500100732259", OGRN: "304500116000157", OKPO: "0173845266", OKVED: "62.01"},
			wantKind: Individual,
		},
		{
			name:     "legal entity without KPP",
			r:        Requisites{INN: "7707083893"},
			wantKind: LegalEntity,
			want:     map[string]string{"company.kpp": "KPP is required"},
		},
		{
			name:     "sole proprietor with KPP and an OGRN",
			r:        Requisites{INN: "500100732259", KPP: "773601001", OGRN: "1027700132195"},
			wantKind: Individual,
			want: map[string]string{
				"company.kpp":  "KPP is given only to legal entities",
				"company.ogrn": "OGRNIP must be 15 digits for a sole proprietor",
			},
		},
		{
			name:     "kind and INN disagree",
			r:        Requisites{Kind: LegalEntity, INN: "500100732259", KPP: "773601001", OKPO: "0173845266", OKVED: "62-01"},
			wantKind: LegalEntity,
			want: map[string]string{
				"company.inn":   "INN must be 10 digits for a legal entity",
				"company.okpo":  "OKPO must be 8 digits for a legal entity",
				"company.okved": "OKVED code must look like 62.01 or 47.11.1",
			},
		},
		{
			name: "bad INN, kind unknown",
			r:    Requisites{INN: "7707083894", KPP: "bad"},
			want: map[string]string{"company.inn": "INN check digit is wrong"},
		},
		{
			name: "unknown kind",
			r:    Requisites{Kind: "ORG", INN: "7707083893"},
			want: map[string]string{"company.kind": `kind must be "LEGAL" or "INDIVIDUAL"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := apperr.Fields{}
			kind := tc.r.Check(f, "company.")
			if kind != tc.wantKind {
				t.Fatalf("kind = %q; want %q", kind, tc.wantKind)
			}
			if len(f) != len(tc.want) {
				t.Fatalf("fields = %v; want %v", f, tc.want)
			}
			for k, v := range tc.want {
				if f[k] != v {
					t.Fatalf("fields = %v; want %v", f, tc.want)
				}
			}
			if (f.Err() == nil) != (len(tc.want) == 0) || (len(tc.want) > 0 && apperr.CodeOf(f.Err()) != apperr.Validation) {
				t.Fatalf("Err() = %v", f.Err())
			}
		})
	}
}
