// Package moscow is the bank's calendar: Moscow time, and the day forms seed 004's clients
// send ("2006-01-02" or "02.01.2006").
package moscow

import (
	"strings"
	"time"
)

// Zone is Moscow time: UTC+3 all year since 2014. A fixed zone, so nothing depends on the
// time-zone database of the Lambda image.
var Zone = time.FixedZone("MSK", 3*60*60)

// Years a day may name.
const (
	minYear = 2000
	maxYear = 2099
)

// ParseDay reads a Moscow day, "2006-01-02" or "02.01.2006" (an RFC 3339 instant is taken as
// its Moscow day), and returns its first instant; ok is false for anything else and for years
// outside 2000–2099.
func ParseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	for _, layout := range []string{time.DateOnly, "02.01.2006"} {
		if t, err = time.ParseInLocation(layout, s, Zone); err == nil {
			break
		}
	}
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return time.Time{}, false
		}
		t = t.In(Zone)
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, false
	}
	return t, true
}

// Date reads a day as ParseDay does and returns it as "2006-01-02".
func Date(s string) (string, bool) {
	t, ok := ParseDay(s)
	return Day(t), ok
}

// Day is t's Moscow day, "2006-01-02"; "" for the zero time.
func Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format(time.DateOnly)
}
