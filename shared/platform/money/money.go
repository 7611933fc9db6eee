// Package money reads and writes sums of roubles as the seed's clients send them, keeping them
// as integer kopecks: "1234.56", "1234,56", "1234" or "1234.5" in, "1234.56" out.
package money

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MaxKopecks bounds a sum: 100 000 000 000 roubles, far from int64's end.
const MaxKopecks = 10_000_000_000_000

var sumRE = regexp.MustCompile(`^([0-9]{1,14})(?:[.,]([0-9]{1,2}))?$`)

// ParseKopecks reads a sum of roubles: digits, then optionally a point or a comma and one or
// two digits of kopecks. ok is false for anything else (signs, thousands separators, more than
// two decimals) and beyond MaxKopecks; zero is a sum (callers that need more say so).
func ParseKopecks(s string) (int64, bool) {
	m := sumRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	rub, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || rub > MaxKopecks/100 {
		return 0, false
	}
	frac := m[2]
	if len(frac) == 1 {
		frac += "0"
	}
	var kop int64
	if frac != "" {
		kop, _ = strconv.ParseInt(frac, 10, 64)
	}
	n := rub*100 + kop
	if n > MaxKopecks {
		return 0, false
	}
	return n, true
}

// FormatKopecks writes kopecks as roubles with two decimals and a point: 150000 → "1500.00".
func FormatKopecks(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}
