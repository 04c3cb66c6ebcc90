package taskcsv

import (
	"strconv"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// DateOrder says how a date of numbers with a slash or dash and the year
// last (12/5/2026, 12-05-2026) is read: month first, as in the US, or day
// first. Other forms read one way only: 2026-12-05 is year-month-day,
// 05.12.2026 day.month.year and 5/Dec/26 names its month.
type DateOrder string

// Date orders. The zero DateOrder is MonthFirst unless the file shows
// otherwise: a date like 25/12/2026 that reads only day first, and none
// that reads only month first.
const (
	MonthFirst DateOrder = "mdy"
	DayFirst   DateOrder = "dmy"
)

// ParseDateOrder reads -date-format: mdy or dmy (also m/d/y, d/m/y,
// us). The empty string is the zero DateOrder.
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "mdy", "m/d/y", "mm/dd/yyyy", "us":
		return MonthFirst, nil
	case "dmy", "d/m/y", "dd/mm/yyyy":
		return DayFirst, nil
	}
	return "", upgradebot.Errorf(upgradebot.EINVALID, "%q is not a date order; say mdy (12/5/2026 is 5 December) or dmy (12/5/2026 is 12 May)", s)
}

// Describe names the order for people: "month/day/year" or
// "day/month/year".
func (o DateOrder) Describe() string {
	if o == DayFirst {
		return "day/month/year"
	}
	return "month/day/year"
}

// Other is the other order.
func (o DateOrder) Other() DateOrder {
	if o == DayFirst {
		return MonthFirst
	}
	return DayFirst
}

// dateParts is a date split into its three parts, before it is read.
type dateParts struct {
	p    [3]string
	sep  byte
	text string // the date without a time after it
}

// splitDate cuts a time off s (after a space, or ISO's T) and splits the
// day at its separator, which must be /, - or . twice.
func splitDate(s string) (dateParts, bool) {
	day, _, _ := strings.Cut(s, " ")
	if len(day) > 10 && day[10] == 'T' {
		day = day[:10] // 2026-12-05T17:00:00Z
	}
	d := dateParts{text: day}
	i := strings.IndexAny(day, "/-.")
	if i <= 0 {
		return d, false
	}
	d.sep = day[i]
	parts := strings.Split(day, string(d.sep))
	if len(parts) != 3 {
		return d, false
	}
	copy(d.p[:], parts)
	return d, true
}

// ambiguous reports whether d is numbers only with the year last, so that
// only a DateOrder says which is the month; first and second are its
// first two numbers.
func (d dateParts) ambiguous() (first, second int, ok bool) {
	if d.sep == '.' || len(d.p[2]) < 2 || len(d.p[0]) > 2 || len(d.p[1]) > 2 {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(d.p[0])
	b, err2 := strconv.Atoi(d.p[1])
	if err1 != nil || err2 != nil || !digits(d.p[2]) {
		return 0, 0, false
	}
	return a, b, true
}

// inferOrder chooses the order of a file's slash dates: day first if
// some date reads only that way and none reads only month first;
// otherwise month first. It also counts the dates either order reads
// (12/5/2026), whose reading depends on the choice.
func inferOrder(values []string) (order DateOrder, ambiguous int) {
	var dayOnly, monthOnly bool
	for _, v := range values {
		d, ok := splitDate(v)
		if !ok {
			continue
		}
		a, b, ok := d.ambiguous()
		switch {
		case !ok:
		case a > 12 && b <= 12:
			dayOnly = true
		case b > 12 && a <= 12:
			monthOnly = true
		case a != b && a >= 1 && b >= 1:
			ambiguous++
		}
	}
	if dayOnly && !monthOnly {
		return DayFirst, ambiguous
	}
	return MonthFirst, ambiguous
}

// parseDue reads a due date as ticket systems and spreadsheets write it:
// 2026-12-05 (also with a time after it, as ServiceNow writes
// 2026-12-05 17:00:00), 12/5/2026 or 12-05-2026 (in order), 05.12.2026,
// and Jira's 5/Dec/26. A two-digit year is in this century.
func parseDue(s string, order DateOrder) (upgradebot.Date, error) {
	if s == "" {
		return upgradebot.Date{}, nil
	}
	order = order.orDefault()
	d, ok := splitDate(s)
	date, form := d.read(order)
	switch {
	case ok && form == dateOK:
		return date, nil
	case !ok || form == notDate:
		return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "due %q is not a date like 2026-12-05, 12/5/2026, 05.12.2026 or 5/Dec/26", clip(s))
	}
	other := order.Other()
	if _, _, amb := d.ambiguous(); amb {
		if _, f := d.read(other); f == dateOK {
			return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "due %q is not a %s date; if the file writes %s, import with -date-format %s",
				clip(s), order.Describe(), other.Describe(), other)
		}
	}
	return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "due %q is not a day of the calendar", clip(s))
}

// What read made of a date's parts.
const (
	dateOK        = iota
	notDate       // not a date's form
	notOnCalendar // a date's form, but no such day (31.02.2026)
)

// read reads d's parts in order: the year first if it has four digits, the
// day first before a month name or a dot, else as order says.
func (d dateParts) read(order DateOrder) (upgradebot.Date, int) {
	var y, m, day string
	switch {
	case len(d.p[0]) == 4:
		y, m, day = d.p[0], d.p[1], d.p[2] // 2026-12-05, 2026/12/05
	case !digits(d.p[1]):
		day, m, y = d.p[0], d.p[1], d.p[2] // 5/Dec/26
	case d.sep == '.' || order == DayFirst:
		day, m, y = d.p[0], d.p[1], d.p[2] // 05.12.2026
	default:
		m, day, y = d.p[0], d.p[1], d.p[2] // 12/5/2026
	}
	if !digits(y) || (len(y) != 2 && len(y) != 4) || !digits(day) || len(day) > 2 {
		return upgradebot.Date{}, notDate
	}
	year, _ := strconv.Atoi(y)
	if len(y) == 2 {
		year += 2000
	}
	dd, _ := strconv.Atoi(day)
	month, ok := monthOf(m)
	if !ok && !digits(m) {
		return upgradebot.Date{}, notDate // no month name
	}
	t := time.Date(year, month, dd, 0, 0, 0, 0, time.UTC)
	if !ok || t.Month() != month || t.Day() != dd || year < 1000 {
		return upgradebot.Date{}, notOnCalendar
	}
	return upgradebot.DateOf(t), dateOK
}

func (o DateOrder) orDefault() DateOrder {
	if o == "" {
		return MonthFirst
	}
	return o
}

// monthOf reads a month as a number (1 to 12) or an English name or its
// first three letters (Dec, December), in any case.
func monthOf(s string) (time.Month, bool) {
	if digits(s) {
		n, err := strconv.Atoi(s)
		if err != nil || len(s) > 2 || n < 1 || n > 12 {
			return 0, false
		}
		return time.Month(n), true
	}
	if len(s) < 3 {
		return 0, false
	}
	for m := time.January; m <= time.December; m++ {
		name := m.String()
		if strings.EqualFold(s, name) || strings.EqualFold(s, name[:3]) {
			return m, true
		}
	}
	return 0, false
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// clip shortens a cell quoted in an error.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
