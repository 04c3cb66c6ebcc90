package upgradebot

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The team's default working hours, as offsets from local midnight:
// 08:00 to 17:00.
const (
	DefaultWorkStart = 8 * time.Hour
	DefaultWorkEnd   = 17 * time.Hour
)

// DefaultWorkDays are the team's default working days, Monday to Friday.
var DefaultWorkDays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// MaxHolidays bounds the holiday list, which is kept in one setting.
const MaxHolidays = 200

// WorkingTime is the team's working calendar: working hours on working
// days in the team's zone, less the team's holidays. Nudges keep to it;
// reminders and digests are sent on working days only; escalations ignore it
// for sending but count their thresholds in its working days.
//
// Zero fields take the defaults: UTC, 08:00-17:00, Monday to Friday, no
// holidays.
type WorkingTime struct {
	Location   *time.Location
	Start, End time.Duration  // working hours, [Start, End) from local midnight
	Days       []time.Weekday // working days of the week
	Holidays   []Date         // days off that would be working days
}

// Validate reports the first thing wrong with w: hours outside the day or
// in the wrong order, an unknown weekday, too many holidays.
func (w WorkingTime) Validate() error {
	start, end := w.hours()
	switch {
	case start < 0 || end > 24*time.Hour:
		return Errorf(EINVALID, "working hours must lie within the day, not %s-%s", clock(start), clock(end))
	case start >= end:
		return Errorf(EINVALID, "working hours end (%s) before they start (%s)", clock(end), clock(start))
	case len(w.Holidays) > MaxHolidays:
		return Errorf(EINVALID, "%d holidays is more than the %d the bot keeps", len(w.Holidays), MaxHolidays)
	}
	for _, d := range w.Days {
		if d < time.Sunday || d > time.Saturday {
			return Errorf(EINVALID, "%d is not a day of the week", d)
		}
	}
	return nil
}

func (w WorkingTime) loc() *time.Location {
	if w.Location == nil {
		return time.UTC
	}
	return w.Location
}

func (w WorkingTime) hours() (start, end time.Duration) {
	if w.Start == 0 && w.End == 0 {
		return DefaultWorkStart, DefaultWorkEnd
	}
	return w.Start, w.End
}

func (w WorkingTime) days() []time.Weekday {
	if len(w.Days) == 0 {
		return DefaultWorkDays
	}
	return w.Days
}

// Today is the team's calendar day at t.
func (w WorkingTime) Today(t time.Time) Date { return Today(t, w.loc()) }

// IsHoliday reports whether d is on the holiday list.
func (w WorkingTime) IsHoliday(d Date) bool { return slices.Contains(w.Holidays, d) }

// IsWorkingDay reports whether d is a working day of the week and not a
// holiday.
func (w WorkingTime) IsWorkingDay(d Date) bool {
	return slices.Contains(w.days(), d.Weekday()) && !w.IsHoliday(d)
}

// WithinWorkingHours reports whether t falls in working hours on a working
// day, both read on the wall clock in the team's zone.
func (w WorkingTime) WithinWorkingHours(t time.Time) bool {
	local := t.In(w.loc())
	if !w.IsWorkingDay(DateOf(local)) {
		return false
	}
	h, m, s := local.Clock()
	since := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	start, end := w.hours()
	return since >= start && since < end
}

// NextWorkingDay returns the first working day strictly after d.
func (w WorkingTime) NextWorkingDay(d Date) Date { return w.AddWorkingDays(d, 1) }

// AddWorkingDays moves d by n working days: n = 1 is the next working day
// after d, n = -1 the last one before it, n = 0 is d itself (working day or
// not).
func (w WorkingTime) AddWorkingDays(d Date, n int) Date {
	if !w.anyWorkingDay() {
		return d.AddDays(n) // no working days at all: count calendar days rather than loop forever
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if w.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days in (from, to]: 0 when to is
// not after from.
func (w WorkingTime) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if w.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// anyWorkingDay reports whether some weekday is a working day; holidays
// are finitely many, so stepping from any day then ends.
func (w WorkingTime) anyWorkingDay() bool {
	for _, d := range w.days() {
		if d >= time.Sunday && d <= time.Saturday {
			return true
		}
	}
	return false
}

// ParseHolidays reads a holiday list: ISO dates separated by commas or
// spaces, such as "2026-12-24,2026-12-25". Duplicates are dropped and the
// days sorted; the empty string is no holidays.
func ParseHolidays(s string) ([]Date, error) {
	var days []Date
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		d, err := ParseDate(f)
		if err != nil {
			return nil, Errorf(EINVALID, "holiday %q is not a date like 2026-12-25", f)
		}
		days = append(days, d)
	}
	days = SortHolidays(days)
	if len(days) > MaxHolidays {
		return nil, Errorf(EINVALID, "%d holidays is more than the %d the bot keeps", len(days), MaxHolidays)
	}
	return days, nil
}

// SortHolidays returns days sorted, without duplicates or zero dates.
func SortHolidays(days []Date) []Date {
	out := slices.DeleteFunc(slices.Clone(days), Date.IsZero)
	slices.SortFunc(out, Date.Compare)
	return slices.Compact(out)
}

// FormatHolidays writes days as ParseHolidays reads them.
func FormatHolidays(days []Date) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = d.String()
	}
	return strings.Join(s, ",")
}

// clock writes an offset from midnight as 08:00.
func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}
