package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// PasswordRules is told to the user whenever a password is refused (A3, A4).
const PasswordRules = "8 to 128 characters, with at least one lower-case letter, one upper-case letter and one digit, not containing the phone number"

// CheckNewPassword validates a new password and its repetition, naming the rules.
func CheckNewPassword(pw, repeat, phone string) error {
	f := apperr.Fields{}
	n := utf8.RuneCountInString(pw)
	var lower, upper, digit bool
	for _, r := range pw {
		lower = lower || unicode.IsLower(r)
		upper = upper || unicode.IsUpper(r)
		digit = digit || unicode.IsDigit(r)
	}
	digits := strings.TrimPrefix(phone, "+")
	ok := n >= 8 && n <= 128 && lower && upper && digit && (len(digits) < 10 || !strings.Contains(pw, digits[len(digits)-10:]))
	f.Check(ok, "newPassword", "the password must be "+PasswordRules)
	if ok {
		f.Check(pw == repeat, "newPasswordRepeat", "the passwords do not match")
	}
	return f.Err()
}
