package declarations

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxKopecks bounds a payment: 100 000 000 000 roubles, far from int64's end.
const maxKopecks = 10_000_000_000_000

var moneyRE = regexp.MustCompile(`^([0-9]{1,14})(?:[.,]([0-9]{1,2}))?$`)

// ParseKopecks reads a sum of roubles as the seed's clients send it, "1234.56", "1234,56",
// "1234" or "1234.5", into integer kopecks; ok false for anything else (signs, thousands
// separators, more than two decimals, beyond maxKopecks).
func ParseKopecks(s string) (int64, bool) {
	m := moneyRE.FindStringSubmatch(strings.TrimSpace(s))
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
	var kop int64
	if frac != "" {
		kop, _ = strconv.ParseInt(frac, 10, 64)
	}
	if rub > maxKopecks/100 {
		return 0, false
	}
	n := rub*100 + kop
	if n > maxKopecks {
		return 0, false
	}
	return n, true
}

// FormatKopecks writes kopecks as roubles with two decimals: 150000 → "1500.00".
func FormatKopecks(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// moscow is the zone of the declarations' days (no daylight saving since 2014).
var moscow = time.FixedZone("MSK", 3*60*60)

// ParseDay reads a Moscow day, "2006-01-02" or "02.01.2006" (an RFC 3339 instant is taken as
// its Moscow day), into "2006-01-02"; ok false otherwise or outside 2000–2099.
func ParseDay(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	for _, layout := range []string{time.DateOnly, "02.01.2006"} {
		if t, err = time.ParseInLocation(layout, s, moscow); err == nil {
			break
		}
	}
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return "", false
		}
		t = t.In(moscow)
	}
	if t.Year() < 2000 || t.Year() > 2099 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// dayOf is the Moscow day of t, "" for the zero time.
func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(moscow).Format(time.DateOnly)
}
