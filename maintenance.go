package upgradebot

import (
	"fmt"
	"strconv"
	"time"
)

// Interval is how often a recurring clean-up comes round: every N days,
// weeks or months.
type Interval struct {
	N    int
	Unit byte // 'd', 'w' or 'm'
}

// ParseInterval parses "14d", "2w" or "1m".
func ParseInterval(s string) (Interval, error) {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	bad := Errorf(EINVALID, "%q is not an interval; write every:14d, every:2w or every:1m", s)
	if len(s) < 2 {
		return Interval{}, bad
	}
	unit := s[len(s)-1]
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || (unit != 'd' && unit != 'w' && unit != 'm') {
		return Interval{}, bad
	}
	iv := Interval{N: n, Unit: unit}
	if n > 366 || iv.approxDays() > 366 {
		return Interval{}, Errorf(EINVALID, "%q is more than a year; the longest interval is 12m", s)
	}
	return iv, nil
}

func (iv Interval) approxDays() int {
	switch iv.Unit {
	case 'w':
		return iv.N * 7
	case 'm':
		return iv.N * 30
	}
	return iv.N
}

// String returns the interval as ParseInterval reads it.
func (iv Interval) String() string { return fmt.Sprintf("%d%c", iv.N, iv.Unit) }

// Human returns "every 2 weeks".
func (iv Interval) Human() string {
	unit := map[byte]string{'d': "day", 'w': "week", 'm': "month"}[iv.Unit]
	if iv.N == 1 {
		return "every " + unit
	}
	return fmt.Sprintf("every %d %ss", iv.N, unit)
}

// Occurrence returns the k-th occurrence (k = 0 is the anchor itself).
// Months are counted from the anchor, so a clean-up anchored on the 31st
// falls on the last day of shorter months and returns to the 31st after.
func (iv Interval) Occurrence(anchor Date, k int) Date {
	switch iv.Unit {
	case 'w':
		return anchor.AddDays(7 * iv.N * k)
	case 'm':
		return anchor.AddMonths(iv.N * k)
	}
	return anchor.AddDays(iv.N * k)
}

// NextAfter returns the first occurrence strictly after d.
func (iv Interval) NextAfter(anchor, d Date) Date {
	if anchor.After(d) {
		return anchor
	}
	// Jump close to d, then step: at most a few iterations.
	k := max(anchor.DaysUntil(d)/max(iv.approxDays(), 1)-1, 0)
	for {
		o := iv.Occurrence(anchor, k)
		if o.After(d) {
			return o
		}
		k++
	}
}

// Maintenance is a recurring clean-up, such as duplicate medical record
// clean-up every two weeks. Each occurrence is a Task of kind cleanup.
type Maintenance struct {
	ID       int64    `json:"id"`
	Title    string   `json:"title"`
	Every    Interval `json:"every"`
	Assignee string   `json:"assignee,omitempty"`
	Anchor   Date     `json:"anchor"` // the first occurrence; later ones are counted from it
	Active   bool     `json:"active"` // false once removed
	// Paused: it makes no new occurrence until resumed.
	Paused bool `json:"paused,omitempty"`
	// Workdays: an occurrence whose day falls on a weekend or a team
	// holiday is due on the next working day instead (see OnWorkday).
	Workdays bool `json:"workdays,omitempty"`
	// Site is the site the clean-up is for, "" for the whole system; its
	// occurrences carry it.
	Site string `json:"site,omitempty"`

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`

	// The clean-up's queue, as last measured (see SetQueue): items left
	// and how many one person clears per hour; zero if never recorded.
	Queue   int       `json:"queue,omitempty"`
	Rate    float64   `json:"rate,omitempty"`
	QueueAt time.Time `json:"queue_at,omitzero"`

	// Filled by reads: the open occurrence, if any.
	NextDue    Date  `json:"next_due"`
	OpenTaskID int64 `json:"open_task_id,omitempty"`
}

// Validate reports the first thing wrong with m.
func (m *Maintenance) Validate() error {
	if err := ValidateTitle("title", m.Title); err != nil {
		return err
	}
	if m.Every.N <= 0 {
		return Errorf(EINVALID, "a clean-up needs an interval: every:2w")
	}
	if m.Anchor.IsZero() {
		return Errorf(EINVALID, "a clean-up needs a first date")
	}
	return nil
}

// NextOccurrence returns the due date of the occurrence after one due on
// due, completed on today: the next date on the schedule that is after both,
// so finishing late does not create an occurrence that is already overdue.
// For a clean-up kept to working days it is moved to a working day of cal.
func (m *Maintenance) NextOccurrence(due, today Date, cal WorkingTime) Date {
	after := due
	if today.After(after) {
		after = today
	}
	return m.ScheduledAfter(after, cal)
}

// OnWorkday is the day an occurrence scheduled on d is due: d itself, or
// for a clean-up kept to working days the first working day of cal on or
// after d (a weekend or a holiday moves it on).
func (m *Maintenance) OnWorkday(d Date, cal WorkingTime) Date {
	if !m.Workdays || d.IsZero() || cal.IsWorkingDay(d) {
		return d
	}
	return cal.NextWorkingDay(d)
}

// ScheduledAfter returns the day of the first occurrence due strictly
// after d: the next date on the schedule, moved to a working day (see
// OnWorkday). Two dates of a daily schedule that move to the same working
// day are one occurrence.
func (m *Maintenance) ScheduledAfter(d Date, cal WorkingTime) Date {
	next := m.Every.NextAfter(m.Anchor, d)
	for {
		if due := m.OnWorkday(next, cal); due.After(d) {
			return due
		}
		next = m.Every.NextAfter(m.Anchor, next)
	}
}

// ScheduledFrom returns the day of the first occurrence due on or after d
// (see ScheduledAfter).
func (m *Maintenance) ScheduledFrom(d Date, cal WorkingTime) Date {
	return m.ScheduledAfter(d.AddDays(-1), cal)
}

// Schedule describes how often m comes round: "every 2 weeks", and ", on
// working days" when it is kept to them.
func (m *Maintenance) Schedule() string {
	if m.Workdays {
		return m.Every.Human() + ", on working days"
	}
	return m.Every.Human()
}

// MaintenanceChange is what EditMaintenance changes: each zero field (nil
// Workdays) keeps what the clean-up has.
type MaintenanceChange struct {
	Title    string
	Every    Interval
	Assignee string
	Anchor   Date  // the first occurrence: later ones are counted from it
	Workdays *bool // keep occurrences to working days, or not
}

// IsZero reports whether ch changes nothing.
func (ch MaintenanceChange) IsZero() bool {
	return ch.Title == "" && ch.Every.N == 0 && ch.Assignee == "" && ch.Anchor.IsZero() && ch.Workdays == nil
}

// MaintenanceResult is what a change to a clean-up did: the clean-up as it
// now is, the occurrences the change touched (moved, retitled, reassigned,
// created on resume or cancelled on removal) as they now are, and the
// people who were told because someone else changed their clean-up.
type MaintenanceResult struct {
	Maintenance *Maintenance
	Occurrences []*Task
	Told        []string
}

// MaintenanceChangedMessage tells user that by changed their clean-up m:
// what says how ("paused", "removed; its open occurrence #31 was
// cancelled").
func MaintenanceChangedMessage(user, by string, m *Maintenance, what string) Message {
	return Message{Kind: MessageDM, To: user,
		Text: fmt.Sprintf("%s changed your recurring clean-up %d. %s (%s): %s.", Mention(by), m.ID, Escape(m.Title), m.Schedule(), what)}
}

// MarshalText writes the interval as ParseInterval reads it.
func (iv Interval) MarshalText() ([]byte, error) {
	if iv.N == 0 {
		return nil, nil
	}
	return []byte(iv.String()), nil
}

// UnmarshalText reads what MarshalText writes.
func (iv *Interval) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*iv = Interval{}
		return nil
	}
	v, err := ParseInterval(string(b))
	if err != nil {
		return err
	}
	*iv = v
	return nil
}
