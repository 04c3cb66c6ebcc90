package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// TimeEntry is time someone spent on a task, logged with `spent`.
type TimeEntry struct {
	ID     int64         `json:"id"`
	TaskID int64         `json:"task_id"`
	User   string        `json:"user"`
	Spent  time.Duration `json:"spent"` // whole minutes
	Day    Date          `json:"day"`   // the team's day it was logged on
	Note   string        `json:"note,omitempty"`
	At     time.Time     `json:"at"`
}

// MaxSpent bounds one entry of time spent: two working weeks.
const MaxSpent = 10 * WorkdayHours * time.Hour

// ParseSpent reads time spent as ParseEstimate reads an estimate (1.5h,
// 2d), at most MaxSpent. EINVALID, naming the forms, otherwise.
func ParseSpent(s string) (time.Duration, error) {
	d, err := ParseEstimate(s)
	if err != nil || d > MaxSpent {
		return 0, Errorf(EINVALID, "%q is not time spent; write hours or working days (8h), like 1.5h or 2d, up to %s at once",
			clipRunes(strings.TrimSpace(s), 20), FormatEffort(MaxSpent))
	}
	return d, nil
}

// TimeService keeps the time spent on tasks.
type TimeService interface {
	// LogTime records d spent by actor on task id, on the team's today,
	// with an optional note, audited as task.time; the task may be open
	// or closed. A partner logs time only on tasks assigned to them
	// (EFORBIDDEN). ENOTFOUND; EINVALID for a bad duration or note.
	LogTime(ctx context.Context, actor string, id int64, d time.Duration, note string) (*TimeEntry, error)
	// TimeSpent returns the time logged on task id, oldest first.
	// ENOTFOUND.
	TimeSpent(ctx context.Context, id int64) ([]*TimeEntry, error)
	// PartnerReport returns what the partners (as they are now) did in
	// the days from..to (both inclusive, in the team's zone), with what is
	// open with them and overdue as of today: see PartnerReport. EINVALID
	// for a window that ends before it starts.
	PartnerReport(ctx context.Context, from, to, today Date) (*PartnerReport, error)
}

// PartnerReport is what the partners took over in a window of days, with
// the team's totals beside it, so that the decision to keep or grow the
// outsourcing has numbers behind it.
type PartnerReport struct {
	From, To Date // both inclusive
	// People has one row per partner (as the desk has them now), by id.
	People []PartnerWork
	// The whole team in the window, partners included: tasks done (by
	// their assignee's role: done tasks nobody had are in-house work) and
	// time logged.
	TeamClosed int
	TeamLogged time.Duration
}

// PartnerWork is one partner's part of a PartnerReport.
type PartnerWork struct {
	User string
	// Closed are the tasks assigned to them that were done in the window,
	// most recently done first; ClosedPlanned is the sum of their
	// estimates.
	Closed        []*Task
	ClosedPlanned time.Duration
	// Open are the tasks open with them now, soonest due first; Overdue
	// how many of those are past due today, Planned their estimates.
	Open    []*Task
	Overdue int
	Planned time.Duration
	// Logged is the time they logged in the window, on any task.
	Logged time.Duration
}

// Totals sums the report's partners: tasks done, still open, overdue, the
// time they logged and the estimates of what is open.
func (r *PartnerReport) Totals() (closed, open, overdue int, logged, planned time.Duration) {
	for _, p := range r.People {
		closed += len(p.Closed)
		open += len(p.Open)
		overdue += p.Overdue
		logged += p.Logged
		planned += p.Planned
	}
	return
}

// Month is the window's name when it is one calendar month: "November
// 2026"; else its days.
func (r *PartnerReport) Month() string {
	if r.From.Day == 1 && r.To == r.From.AddMonths(1).AddDays(-1) {
		return r.From.utc().Format("January 2006")
	}
	return r.From.Human() + " to " + r.To.Human()
}

// shareDone is "12 of the team's 40 tasks done (30%)".
func shareDone(part, whole int) string {
	if whole <= 0 {
		return "none of the team's tasks done"
	}
	return fmt.Sprintf("%d of the team's %s done (%d%%)", part, Plural(whole, "task"), part*100/whole)
}

// shareHours is "62h of 310h logged (20%)".
func shareHours(part, whole time.Duration) string {
	if whole <= 0 {
		return "no time logged"
	}
	return fmt.Sprintf("%s of %s logged (%d%%)", FormatEffort(part), FormatEffort(whole), int(part*100/whole))
}

// Line is the report in one line, for the digest: "Partners in November
// 2026: 12 of the team's 40 tasks done (30%) · 62h of 310h logged (20%) ·
// 5 tasks still open with them, 1 overdue, 20h planned." "" when there are
// no partners.
func (r *PartnerReport) Line() string {
	if len(r.People) == 0 {
		return ""
	}
	closed, open, overdue, logged, planned := r.Totals()
	s := fmt.Sprintf("Partners in %s: %s · %s · %s still open with them",
		r.Month(), shareDone(closed, r.TeamClosed), shareHours(logged, r.TeamLogged), Plural(open, "task"))
	if overdue > 0 {
		s += fmt.Sprintf(", %d overdue", overdue)
	}
	if planned > 0 {
		s += ", " + FormatEffort(planned) + " planned"
	}
	return s + "."
}

// reportLimit is how many tasks a partner report lists per partner and
// kind before "…and N more".
const reportLimit = 10

// Text is the report for `partner report`: the totals against the team's,
// then per partner what they closed, what is still open with them and the
// time they logged.
func (r *PartnerReport) Text(today Date) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*Partner report, %s*", r.Month())
	if len(r.People) == 0 {
		b.WriteString("\nThere are no partners. An admin adds one with `/upgrade admin partner add @name`.")
		return b.String()
	}
	closed, open, overdue, logged, planned := r.Totals()
	fmt.Fprintf(&b, "\nPartners: %s · %s · still open with them: %s",
		shareDone(closed, r.TeamClosed), shareHours(logged, r.TeamLogged), Plural(open, "task"))
	if overdue > 0 {
		fmt.Fprintf(&b, " (%d overdue)", overdue)
	}
	if planned > 0 {
		fmt.Fprintf(&b, ", %s planned", FormatEffort(planned))
	}
	b.WriteString(".")
	people := slices.Clone(r.People)
	slices.SortStableFunc(people, func(a, b PartnerWork) int {
		return cmp.Or(cmp.Compare(len(b.Closed), len(a.Closed)), cmp.Compare(a.User, b.User))
	})
	for _, p := range people {
		fmt.Fprintf(&b, "\n*%s* · closed %d", Mention(p.User), len(p.Closed))
		if p.ClosedPlanned > 0 {
			fmt.Fprintf(&b, " (%s estimated)", FormatEffort(p.ClosedPlanned))
		}
		fmt.Fprintf(&b, " · logged %s · %s open", FormatEffort(p.Logged), Plural(len(p.Open), "task"))
		if p.Overdue > 0 {
			fmt.Fprintf(&b, ", %d overdue", p.Overdue)
		}
		if p.Planned > 0 {
			fmt.Fprintf(&b, ", %s planned", FormatEffort(p.Planned))
		}
		for i, t := range p.Closed {
			if i == reportLimit {
				fmt.Fprintf(&b, "\n  …and %d more done", len(p.Closed)-reportLimit)
				break
			}
			fmt.Fprintf(&b, "\n  • done %s %s", t.ClosedAt.UTC().Format("2 Jan"), taskRef(t))
		}
		for i, t := range p.Open {
			if i == reportLimit {
				fmt.Fprintf(&b, "\n  …and %d more open", len(p.Open)-reportLimit)
				break
			}
			b.WriteString("\n  • open " + TaskLine(t, today))
		}
	}
	return b.String()
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// ParseMonth reads the month a partner report covers, relative to today:
// "" or "this" is this month, "last" the one before, 2026-11 that month,
// and a month's name (nov, November) the latest such month not after
// today's. It returns the month's first and last days. EINVALID
// otherwise, and for a month that has not begun.
func ParseMonth(s string, today Date) (from, to Date, err error) {
	w := strings.ToLower(strings.TrimSpace(s))
	this := Date{today.Year, today.Month, 1}
	switch {
	case w == "" || w == "this":
		from = this
	case w == "last":
		from = this.AddMonths(-1)
	default:
		if t, perr := time.Parse("2006-01", w); perr == nil {
			from = Date{t.Year(), t.Month(), 1}
			break
		}
		for i, name := range monthNames {
			if len(w) >= 3 && strings.HasPrefix(name, w) {
				from = Date{today.Year, time.Month(i + 1), 1}
				if from.After(this) {
					from = from.AddMonths(-12)
				}
				break
			}
		}
		if from.IsZero() {
			return Date{}, Date{}, Errorf(EINVALID, "%q is not a month; write 2026-11, nov, last or nothing for this month", Clip(s, 20))
		}
	}
	if from.After(this) {
		return Date{}, Date{}, Errorf(EINVALID, "%s has not begun yet", from.utc().Format("January 2006"))
	}
	return from, from.AddMonths(1).AddDays(-1), nil
}
