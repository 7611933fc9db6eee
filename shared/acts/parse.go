package acts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxKopecks bounds a payment: 10 000 000 000 ₽.
const MaxKopecks = 1_000_000_000_000

var sumRe = regexp.MustCompile(`^([0-9]{1,13})(?:[.,]([0-9]{1,2}))?$`)

// ParseKopecks reads a payment sum in roubles: digits, then optionally a point or a comma and
// one or two digits of kopecks ("1234", "1234.5", "1234,56"); more than zero, at most
// MaxKopecks.
func ParseKopecks(s string) (int64, bool) {
	m := sumRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	rub, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, false
	}
	frac := m[2]
	if len(frac) == 1 {
		frac += "0"
	}
	kop := int64(0)
	if frac != "" {
		kop, _ = strconv.ParseInt(frac, 10, 64)
	}
	n := rub*100 + kop
	return n, n > 0 && n <= MaxKopecks
}

// FormatKopecks writes kopecks as roubles with two decimals and a point: "1234.56".
func FormatKopecks(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Years an act's dates may name.
const (
	minYear = 2000
	maxYear = 2100
)

var (
	periodISO = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)
	periodRU  = regexp.MustCompile(`^([0-9]{2})\.([0-9]{4})$`)
)

// ParsePeriod reads a month, "2026-10" or "10.2026", and returns it as "2026-10".
func ParsePeriod(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var y, m string
	if p := periodISO.FindStringSubmatch(s); p != nil {
		y, m = p[1], p[2]
	} else if p := periodRU.FindStringSubmatch(s); p != nil {
		y, m = p[2], p[1]
	} else {
		return "", false
	}
	yn, _ := strconv.Atoi(y)
	mn, _ := strconv.Atoi(m)
	if yn < minYear || yn > maxYear || mn < 1 || mn > 12 {
		return "", false
	}
	return y + "-" + m, true
}

// ParseDate reads a calendar date, "2026-11-05" or "05.11.2026", and returns it as
// "2026-11-05".
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006"} {
		if len(s) != len(layout) {
			continue
		}
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= minYear && t.Year() <= maxYear {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}
