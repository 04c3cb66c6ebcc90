package upgradebot

import (
	"fmt"
	"time"
)

// Date is a calendar day in the team's time zone: due dates, release dates
// and away windows are days, not instants. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the calendar day of now in loc.
func Today(now time.Time, loc *time.Location) Date {
	return DateOf(now.In(loc))
}

// ParseDate parses an ISO date (2006-01-02). The empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%q is not a date like 2026-12-05", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) utc() time.Time { return d.Time(time.UTC) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n)) }

// AddMonths returns d moved by n months, clamped to the end of the month:
// Jan 31 plus one month is Feb 28 (or 29).
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Date{first.Year(), first.Month(), min(d.Day, last)}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.utc().Compare(e.utc()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.utc().Sub(d.utc()).Hours() / 24)
}

// Human returns d the way people read it in chat: "Fri 5 Dec 2026".
func (d Date) Human() string {
	if d.IsZero() {
		return "no date"
	}
	return d.utc().Format("Mon 2 Jan 2006")
}

// Relative returns d as people read it in chat on day today: "today",
// "tomorrow" or "yesterday" near it, else Short's "Fri 4 Dec" (with the year
// only when it is not today's year). It is the one date style of messages
// and replies; Human, which always has the year, is for text kept and read
// later (a gate's question, the audit trail).
func (d Date) Relative(today Date) string {
	if d.IsZero() {
		return "no date"
	}
	if !today.IsZero() {
		switch today.DaysUntil(d) {
		case 0:
			return "today"
		case 1:
			return "tomorrow"
		case -1:
			return "yesterday"
		}
	}
	return d.Short(today)
}

// Short returns d as "Fri 4 Dec", with the year ("Mon 1 Feb 2027") only
// when it is not today's year (or today is not known).
func (d Date) Short(today Date) string {
	if d.IsZero() {
		return "no date"
	}
	if today.IsZero() || d.Year != today.Year {
		return d.Human()
	}
	return d.utc().Format("Mon 2 Jan")
}

// ClockTime is the moment t as people read it in chat, in the team's zone
// loc on day today: "11:52" when it is today, else "Fri 4 Dec, 11:52" (with
// the year when it is not this year's).
func ClockTime(t time.Time, loc *time.Location, today Date) string {
	if t.IsZero() {
		return "never"
	}
	t = t.In(loc)
	if day := DateOf(t); day != today {
		return day.Short(today) + ", " + t.Format("15:04")
	}
	return t.Format("15:04")
}

// MarshalText writes d as 2006-01-02, or nothing for the zero Date.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
