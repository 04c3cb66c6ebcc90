package upgradebot

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Estimates are written in hours: est:4h, est:1.5h. A day is a working day
// of WorkdayHours (est:2d is 16h) and a week is five of them (est:1w is
// 40h), whatever the team's configured hours, so that an estimate means
// the same thing on every team calendar.
const (
	WorkdayHours = 8
	MaxEstimate  = 2000 * time.Hour // a year of full-time work
)

// ParseEstimate reads an estimate: a positive number of hours (h), working
// days (d, WorkdayHours each) or working weeks (w, five days), such as 4h,
// 1.5h, 2d or 1w, rounded to the minute. EINVALID, naming the forms,
// otherwise.
func ParseEstimate(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	bad := Errorf(EINVALID, "est: %q is not an estimate; write hours, working days (8h) or weeks (5d), like est:4h, est:1.5h, est:2d or est:1w", clipRunes(s, 20))
	if len(s) < 2 {
		return 0, bad
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'h':
		unit = time.Hour
	case 'd':
		unit = WorkdayHours * time.Hour
	case 'w':
		unit = 5 * WorkdayHours * time.Hour
	default:
		return 0, bad
	}
	n, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n <= 0 || strings.ContainsAny(s, "eEx+_") {
		return 0, bad
	}
	if n*float64(unit) > float64(MaxEstimate) {
		return 0, Errorf(EINVALID, "est: %q is more than %s; split the work into smaller tasks", clipRunes(s, 20), FormatEffort(MaxEstimate))
	}
	d := time.Duration(math.Round(n*float64(unit)/float64(time.Minute))) * time.Minute
	if d <= 0 {
		return 0, Errorf(EINVALID, "est: %q is less than a minute", clipRunes(s, 20))
	}
	return d, nil
}

// FormatEffort writes a duration in hours as ParseEstimate reads it:
// "4h", "1.5h", "0.25h" (at most two decimals).
func FormatEffort(d time.Duration) string {
	h := strconv.FormatFloat(math.Round(d.Hours()*100)/100, 'f', -1, 64)
	return h + "h"
}
