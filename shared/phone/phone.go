// Package phone normalises phone numbers to E.164, the one form stored, compared and used as
// a key. Numbers written the Russian way (8 916…, 916…) are read as Russian.
package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid means the input is not a valid phone number.
var ErrInvalid = errors.New("not a valid phone number")

// Normalize returns the E.164 form (+79161234567) of a number typed in any common way.
func Normalize(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > 32 {
		return "", ErrInvalid
	}
	// A Russian trunk prefix 8 followed by ten digits is +7.
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if !strings.HasPrefix(s, "+") && len(digits) == 11 && digits[0] == '8' {
		s = "+7" + digits[1:]
	}
	num, err := phonenumbers.Parse(s, "RU")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", ErrInvalid
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
