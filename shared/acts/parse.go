package acts

import (
	"regexp"
	"strconv"
	"strings"
)

// Years an act's dates may name.
const (
	minYear = 2000
	maxYear = 2099
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
