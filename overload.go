package upgradebot

import (
	"cmp"
	"fmt"
)

// OverloadWeeks is how many team weeks running someone must have been over
// the workload threshold for the digest to name them.
const OverloadWeeks = 2

// WeekOf is the Monday of d's team week: the team's weeks run Monday to
// Sunday, so a Sunday belongs to the week of the Monday six days before.
func WeekOf(d Date) Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// Overloaded is someone over the workload threshold several team weeks
// running, as the digest names them.
type Overloaded struct {
	Load      // as recorded in this week's snapshot (Unestimated is not recorded)
	Weeks int // consecutive team weeks over, this one included
}

// OverStreak counts the consecutive team weeks over, ending with the week
// of today: weeks are the Mondays of the weeks someone was over, in any
// order (days other than Mondays count as their week). A week missing, or
// a week after today's, does not extend the streak; 0 when not over this
// week.
func OverStreak(today Date, weeks []Date) int {
	over := make(map[Date]bool, len(weeks))
	for _, w := range weeks {
		over[WeekOf(w)] = true
	}
	n := 0
	for w := WeekOf(today); over[w]; w = w.AddDays(-7) {
		n++
	}
	return n
}

// CompareOverloaded orders the people over the threshold as the digest
// lists them: longest streak first, then most planned, most open, most
// overdue, then by user id.
func CompareOverloaded(a, b Overloaded) int {
	return cmp.Or(cmp.Compare(b.Weeks, a.Weeks), cmp.Compare(b.Planned, a.Planned), cmp.Compare(b.Open, a.Open),
		cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(a.User, b.User))
}

// The digest's section on people over the threshold weeks running: its
// title, its count in the post's plain text, and the line that ends it
// when nobody is left out (otherwise its "…and N more" line points to
// /upgrade workload).
const (
	overloadedTitle = "Over the workload threshold two weeks running" // OverloadWeeks
	overloadedHint  = "`/upgrade workload` suggests who has room."
)

// overloadedCount is the digest summary's count of them.
func overloadedCount(n int) string {
	if n == 1 {
		return "1 person overloaded"
	}
	return fmt.Sprintf("%d people overloaded", n)
}

// digestOverloadedLine is someone over the threshold in the digest:
// "• sam · 22 open tasks (4 overdue) · 46h planned · 3 weeks running", the
// person by a plain name (see PlainName).
// The section's title already says two weeks running, so only a longer
// streak is spelt out.
func digestOverloadedLine(o Overloaded, names map[string]string) string {
	s := "• " + PlainName(o.User, names) + " · " + Plural(o.Open, "open task")
	if o.Overdue > 0 {
		s += fmt.Sprintf(" (%d overdue)", o.Overdue)
	}
	if o.Planned > 0 {
		s += " · " + FormatEffort(o.Planned) + " planned"
	}
	if o.Weeks > OverloadWeeks {
		s += fmt.Sprintf(" · %d weeks running", o.Weeks)
	}
	return s
}
