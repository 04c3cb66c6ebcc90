package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// DateForms is what every bad-date answer shows.
const DateForms = "2026-12-05, today, tomorrow, a weekday (fri = the next Friday), +3d, 2w or 1m"

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// maxRelativeDays and maxRelativeMonths bound relative dates (+3650d and
// +120m are ten years out).
const (
	maxRelativeDays   = 3650
	maxRelativeMonths = 120
)

// ParseDateWord reads one date word as people type it in chat, relative to
// today (a day in the team's time zone):
//
//	2026-12-05          an ISO date (years 2000-2199)
//	today, tomorrow     today and the day after
//	fri, friday         the next Friday, strictly after today
//	+3d, 3d, +2w, 1m    days, weeks or months from today
//
// Words are case-insensitive. Anything else is EINVALID with a message that
// names the word and lists these forms.
func ParseDateWord(word string, today upgradebot.Date) (upgradebot.Date, error) {
	w := strings.ToLower(strings.TrimSpace(word))
	bad := upgradebot.Errorf(upgradebot.EINVALID, "%q is not a date I understand. Write %s.", upgradebot.Clip(word, 40), DateForms)
	switch w {
	case "":
		return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "a date is missing. Write %s.", DateForms)
	case "today", "tod":
		return today, nil
	case "tomorrow", "tmrw", "tmr":
		return today.AddDays(1), nil
	}
	if wd, ok := weekdays[w]; ok {
		n := (int(wd) - int(today.Weekday()) + 7) % 7
		if n == 0 {
			n = 7
		}
		return today.AddDays(n), nil
	}
	if len(w) == 10 && w[4] == '-' && w[7] == '-' {
		d, err := upgradebot.ParseDate(w)
		if err != nil {
			return upgradebot.Date{}, bad
		}
		if d.Year < 2000 || d.Year > 2199 {
			return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "%s is outside the years 2000-2199; check the year.", w)
		}
		return d, nil
	}
	rel := strings.TrimPrefix(w, "+")
	if len(rel) >= 2 {
		unit := rel[len(rel)-1]
		n, err := strconv.Atoi(rel[:len(rel)-1])
		if err == nil && n >= 0 && rel[0] != '-' && rel[0] != '+' {
			days := map[byte]int{'d': 1, 'w': 7, 'm': 31}[unit]
			if days == 0 {
				return upgradebot.Date{}, bad
			}
			if n > maxRelativeDays || (unit == 'm' && n > maxRelativeMonths) || (unit != 'm' && n*days > maxRelativeDays) {
				return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "%q is more than ten years away.", upgradebot.Clip(word, 40))
			}
			switch unit {
			case 'd':
				return today.AddDays(n), nil
			case 'w':
				return today.AddDays(7 * n), nil
			case 'm':
				return today.AddMonths(n), nil
			}
		}
	}
	return upgradebot.Date{}, bad
}

// ParseDateRange reads "<date>..<date>", both ends inclusive. A weekday at
// the end that would come before the start is the first such day on or after
// the start: mon..fri is the next Monday to the Friday after it.
func ParseDateRange(word string, today upgradebot.Date) (from, to upgradebot.Date, err error) {
	a, b, ok := strings.Cut(word, "..")
	if !ok {
		return from, to, upgradebot.Errorf(upgradebot.EINVALID, "%q is not a date range. Write it as <from>..<to>, e.g. 2026-12-22..2027-01-02 or mon..fri.", upgradebot.Clip(word, 40))
	}
	if from, err = ParseDateWord(a, today); err != nil {
		return from, to, err
	}
	if to, err = ParseDateWord(b, today); err != nil {
		return from, to, err
	}
	if wd, ok := weekdays[strings.ToLower(strings.TrimSpace(b))]; ok && to.Before(from) {
		// A weekday that would end the range before it starts means the
		// first such day on or after the start: mon..fri typed on a
		// Thursday is next week, not an error.
		to = from.AddDays((int(wd) - int(from.Weekday()) + 7) % 7)
	}
	if to.Before(from) {
		return from, to, upgradebot.Errorf(upgradebot.EINVALID, "the range %s ends before it starts.", upgradebot.Clip(word, 40))
	}
	return from, to, nil
}
