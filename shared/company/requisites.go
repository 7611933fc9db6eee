package company

import (
	"errors"
	"regexp"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// INN (ИНН, taxpayer number): 10 digits for a legal entity, 12 for an individual or sole
// proprietor. The last digit (two for 12 digits) is a check digit: the weighted sum of the
// preceding digits mod 11, then mod 10 (ФНС, приказ № ММВ-7-6/435@).
var (
	inn10Weights  = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights1 = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights2 = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

var (
	errINNRequired   = errors.New("INN is required")
	errINNDigits     = errors.New("INN must contain only digits")
	errINNLength     = errors.New("INN must be 10 digits for a legal entity or 12 digits for an individual")
	errINNLegal      = errors.New("INN must be 10 digits for a legal entity")
	errINNIndividual = errors.New("INN must be 12 digits for an individual or sole proprietor")
	errINNCheck      = errors.New("INN check digit is wrong")

	errKPPRequired = errors.New("KPP is required")
	errKPPLength   = errors.New("KPP must be 9 characters")
	errKPPFormat   = errors.New("KPP must be 4 digits, then 2 digits or capital Latin letters, then 3 digits")
	errKPPNotFor   = errors.New("KPP is given only to legal entities")

	errOGRNRequired   = errors.New("OGRN is required")
	errOGRNDigits     = errors.New("OGRN must contain only digits")
	errOGRNLength     = errors.New("OGRN must be 13 digits for a legal entity or 15 digits (OGRNIP) for a sole proprietor")
	errOGRNLegal      = errors.New("OGRN must be 13 digits for a legal entity")
	errOGRNFirst      = errors.New("OGRN must start with 1 or 5")
	errOGRNCheck      = errors.New("OGRN check digit is wrong")
	errOGRNIPRequired = errors.New("OGRNIP is required")
	errOGRNIPDigits   = errors.New("OGRNIP must contain only digits")
	errOGRNIPLength   = errors.New("OGRNIP must be 15 digits for a sole proprietor")
	errOGRNIPFirst    = errors.New("OGRNIP must start with 3")
	errOGRNIPCheck    = errors.New("OGRNIP check digit is wrong")

	errOKPORequired   = errors.New("OKPO is required")
	errOKPODigits     = errors.New("OKPO must contain only digits")
	errOKPOLength     = errors.New("OKPO must be 8 digits for a legal entity or 10 digits for a sole proprietor")
	errOKPOLegal      = errors.New("OKPO must be 8 digits for a legal entity")
	errOKPOIndividual = errors.New("OKPO must be 10 digits for a sole proprietor")
	errOKPOCheck      = errors.New("OKPO check digit is wrong")

	errOKVEDRequired = errors.New("OKVED code is required")
	errOKVEDFormat   = errors.New("OKVED code must look like 62.01 or 47.11.1")

	errKindUnknown = errors.New(`kind must be "LEGAL" or "INDIVIDUAL"`)
)

// digitsOnly reports whether s is a non-empty run of ASCII digits.
func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// weighted returns Σ digit(s[i])·w[i] over len(w) leading digits of s.
func weighted(s string, w []int) int {
	sum := 0
	for i, k := range w {
		sum += int(s[i]-'0') * k
	}
	return sum
}

// KindOfINN checks an INN of either length and tells whose it is: 10 digits a legal entity,
// 12 an individual or sole proprietor.
func KindOfINN(inn string) (Kind, error) {
	switch {
	case inn == "":
		return "", errINNRequired
	case !digitsOnly(inn):
		return "", errINNDigits
	case len(inn) == 10:
		if int(inn[9]-'0') != weighted(inn, inn10Weights)%11%10 {
			return "", errINNCheck
		}
		return LegalEntity, nil
	case len(inn) == 12:
		if int(inn[10]-'0') != weighted(inn, inn12Weights1)%11%10 ||
			int(inn[11]-'0') != weighted(inn, inn12Weights2)%11%10 {
			return "", errINNCheck
		}
		return Individual, nil
	}
	return "", errINNLength
}

// ValidateINN checks an INN of either kind.
func ValidateINN(inn string) error {
	_, err := KindOfINN(inn)
	return err
}

// ValidateINNFor checks an INN of the given kind.
func ValidateINNFor(kind Kind, inn string) error {
	if inn != "" && digitsOnly(inn) {
		if kind == LegalEntity && len(inn) != 10 {
			return errINNLegal
		}
		if kind == Individual && len(inn) != 12 {
			return errINNIndividual
		}
	}
	if !kind.Valid() {
		return errKindUnknown
	}
	return ValidateINN(inn)
}

// kppRe is the KPP (код причины постановки на учёт): tax office code NNNN, reason PP (digits or,
// since 2013, capital Latin letters), serial number XXX.
var kppRe = regexp.MustCompile(`^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$`)

// ValidateKPP checks a KPP. A KPP has no check digit.
func ValidateKPP(kpp string) error {
	switch {
	case kpp == "":
		return errKPPRequired
	case len(kpp) != 9:
		return errKPPLength
	case !kppRe.MatchString(kpp):
		return errKPPFormat
	}
	return nil
}

// KindOfOGRN checks an OGRN (13 digits, a legal entity) or an OGRNIP (15 digits, a sole
// proprietor) and tells which it is.
func KindOfOGRN(ogrn string) (Kind, error) {
	switch {
	case ogrn == "":
		return "", errOGRNRequired
	case !digitsOnly(ogrn):
		return "", errOGRNDigits
	case len(ogrn) == 13:
		return LegalEntity, ValidateOGRN(ogrn)
	case len(ogrn) == 15:
		return Individual, ValidateOGRNIP(ogrn)
	}
	return "", errOGRNLength
}

// ValidateOGRN checks the OGRN of a legal entity: 13 digits, the first 1 or 5 (a state
// registration number of a founding record), the last the first twelve as a number mod 11,
// then mod 10.
func ValidateOGRN(ogrn string) error {
	switch {
	case ogrn == "":
		return errOGRNRequired
	case !digitsOnly(ogrn):
		return errOGRNDigits
	case len(ogrn) != 13:
		return errOGRNLegal
	case ogrn[0] != '1' && ogrn[0] != '5':
		return errOGRNFirst
	case checkMod(ogrn, 11) != int(ogrn[12]-'0'):
		return errOGRNCheck
	}
	return nil
}

// ValidateOGRNIP checks the OGRNIP of a sole proprietor: 15 digits, the first 3, the last
// the first fourteen as a number mod 13, then mod 10.
func ValidateOGRNIP(ogrnip string) error {
	switch {
	case ogrnip == "":
		return errOGRNIPRequired
	case !digitsOnly(ogrnip):
		return errOGRNIPDigits
	case len(ogrnip) != 15:
		return errOGRNIPLength
	case ogrnip[0] != '3':
		return errOGRNIPFirst
	case checkMod(ogrnip, 13) != int(ogrnip[14]-'0'):
		return errOGRNIPCheck
	}
	return nil
}

// ValidateOGRNFor checks an OGRN of a legal entity or an OGRNIP of an individual.
func ValidateOGRNFor(kind Kind, ogrn string) error {
	switch kind {
	case LegalEntity:
		return ValidateOGRN(ogrn)
	case Individual:
		return ValidateOGRNIP(ogrn)
	}
	return errKindUnknown
}

// checkMod returns (all digits but the last, as a number) mod m, then mod 10. Fourteen digits
// fit an int64 easily.
func checkMod(s string, m int64) int {
	var n int64
	for i := 0; i < len(s)-1; i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return int(n % m % 10)
}

// ValidateOKPO checks an OKPO of either length: 8 digits (legal entities) or 10 (sole
// proprietors).
func ValidateOKPO(okpo string) error {
	switch {
	case okpo == "":
		return errOKPORequired
	case !digitsOnly(okpo):
		return errOKPODigits
	case len(okpo) != 8 && len(okpo) != 10:
		return errOKPOLength
	case okpoCheck(okpo) != int(okpo[len(okpo)-1]-'0'):
		return errOKPOCheck
	}
	return nil
}

// ValidateOKPOFor checks an OKPO of the given kind.
func ValidateOKPOFor(kind Kind, okpo string) error {
	if okpo != "" && digitsOnly(okpo) {
		if kind == LegalEntity && len(okpo) != 8 {
			return errOKPOLegal
		}
		if kind == Individual && len(okpo) != 10 {
			return errOKPOIndividual
		}
	}
	if !kind.Valid() {
		return errKindUnknown
	}
	return ValidateOKPO(okpo)
}

// okpoCheck is the check digit of Росстат's method for ОКПО codes: the digits before the last
// are weighted 1, 2, … 10, 1, … and the sum taken mod 11; if that is 10, the sum is taken again
// with the weights shifted by two (3, 4, … 10, 1, …); if it is 10 again, the check digit is 0.
func okpoCheck(s string) int {
	for _, shift := range []int{0, 2} {
		sum := 0
		for i := 0; i < len(s)-1; i++ {
			sum += int(s[i]-'0') * ((i+shift)%10 + 1)
		}
		if r := sum % 11; r < 10 {
			return r
		}
	}
	return 0
}

// okvedRe is an ОКВЭД 2 code: class XX, subclass XX.X, group XX.XX, subgroup XX.XX.X, type
// XX.XX.XX.
var okvedRe = regexp.MustCompile(`^[0-9]{2}(\.[0-9]([0-9](\.[0-9]{1,2})?)?)?$`)

// ValidateOKVED checks the format of an ОКВЭД 2 activity code ("62.01", "47.11.1"); it does not
// look the code up in the classifier.
func ValidateOKVED(code string) error {
	switch {
	case code == "":
		return errOKVEDRequired
	case !okvedRe.MatchString(code):
		return errOKVEDFormat
	}
	return nil
}

// Requisites are a company's numbers as an application form carries them.
type Requisites struct {
	Kind  Kind   // "" means: the kind of the INN
	INN   string // required
	KPP   string // required for a legal entity, absent for an individual
	OGRN  string // OGRN or OGRNIP; checked when given
	OKPO  string // checked when given
	OKVED string // checked when given
}

// Check adds to f a message for each wrong field, named prefix + inn, kpp, ogrn, okpo, okved
// (prefix "company." gives "company.inn"), or kind when Kind is not one of the two. It returns the kind it checked against ("" when
// neither Kind nor a valid INN tells it).
func (r Requisites) Check(f apperr.Fields, prefix string) Kind {
	kind := r.Kind
	if kind != "" && !kind.Valid() {
		f.Add(prefix+"kind", errKindUnknown.Error())
		return ""
	}
	if kind == "" {
		k, err := KindOfINN(r.INN)
		if err != nil {
			f.Add(prefix+"inn", err.Error())
			return ""
		}
		kind = k
	}
	if err := ValidateINNFor(kind, r.INN); err != nil {
		f.Add(prefix+"inn", err.Error())
	}
	if kind == Individual && r.KPP != "" {
		f.Add(prefix+"kpp", errKPPNotFor.Error())
	} else if kind == LegalEntity {
		if err := ValidateKPP(r.KPP); err != nil {
			f.Add(prefix+"kpp", err.Error())
		}
	}
	if r.OGRN != "" {
		if err := ValidateOGRNFor(kind, r.OGRN); err != nil {
			f.Add(prefix+"ogrn", err.Error())
		}
	}
	if r.OKPO != "" {
		if err := ValidateOKPOFor(kind, r.OKPO); err != nil {
			f.Add(prefix+"okpo", err.Error())
		}
	}
	if r.OKVED != "" {
		if err := ValidateOKVED(r.OKVED); err != nil {
			f.Add(prefix+"okved", err.Error())
		}
	}
	return kind
}
