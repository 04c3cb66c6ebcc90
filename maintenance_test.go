package upgradebot_test

import (
	"slices"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// A clean-up kept to working days: an occurrence whose date falls on a
// weekend or a team holiday is due on the next working day; the schedule
// itself is still counted from the anchor (issue 10).
func TestMaintenanceWorkdays(t *testing.T) {
	cal := upgradebot.WorkingTime{Holidays: []upgradebot.Date{date("2026-12-25"), date("2026-12-28")}}
	// Every 2 weeks from Friday 11 Dec 2026: 25 Dec is a holiday (Friday),
	// so that one is due on Tuesday 29 Dec (Monday 28 is a holiday too).
	m := &upgradebot.Maintenance{Every: upgradebot.Interval{N: 2, Unit: 'w'}, Anchor: date("2026-12-11"), Workdays: true}
	for _, tt := range []struct{ after, want string }{
		{"2026-12-11", "2026-12-29"},
		{"2026-12-24", "2026-12-29"},
		{"2026-12-29", "2027-01-08"},
	} {
		if got := m.ScheduledAfter(date(tt.after), cal); got != date(tt.want) {
			t.Errorf("ScheduledAfter(%s) = %s, want %s", tt.after, got, tt.want)
		}
	}
	if got := m.NextOccurrence(date("2026-12-11"), date("2026-12-14"), cal); got != date("2026-12-29") {
		t.Errorf("NextOccurrence = %s, want the holiday moved to Tue 29 Dec", got)
	}
	if got := m.ScheduledFrom(date("2026-12-11"), cal); got != date("2026-12-11") {
		t.Errorf("ScheduledFrom(the anchor) = %s", got)
	}

	// Kept to working days, a Saturday anchor is due the Monday after.
	sat := &upgradebot.Maintenance{Every: upgradebot.Interval{N: 1, Unit: 'w'}, Anchor: date("2026-11-28"), Workdays: true}
	var got []string
	for _, d := range sat.DueOccurrences(upgradebot.Date{}, date("2026-12-08"), cal) {
		got = append(got, d.String())
	}
	if want := []string{"2026-11-30", "2026-12-07"}; !slices.Equal(got, want) {
		t.Errorf("weekly from a Saturday: %q, want %q", got, want)
	}
	// Daily: Saturday's and Sunday's are Monday's, one occurrence.
	daily := &upgradebot.Maintenance{Every: upgradebot.Interval{N: 1, Unit: 'd'}, Anchor: date("2026-12-03"), Workdays: true}
	got = nil
	for _, d := range daily.DueOccurrences(date("2026-12-03"), date("2026-12-08"), cal) {
		got = append(got, d.String())
	}
	if want := []string{"2026-12-04", "2026-12-07", "2026-12-08"}; !slices.Equal(got, want) {
		t.Errorf("daily over a weekend: %q, want %q", got, want)
	}
	// Not kept to working days: the calendar is ignored.
	plain := &upgradebot.Maintenance{Every: upgradebot.Interval{N: 1, Unit: 'w'}, Anchor: date("2026-11-28")}
	if got := plain.ScheduledAfter(date("2026-11-28"), cal); got != date("2026-12-05") {
		t.Errorf("plain weekly = %s, want Saturday 5 Dec", got)
	}
	// Paused: no occurrence comes due.
	paused := *sat
	paused.Paused = true
	if got := paused.DueOccurrences(upgradebot.Date{}, date("2026-12-31"), cal); got != nil {
		t.Errorf("paused: %v", got)
	}
	if m.Schedule() != "every 2 weeks, on working days" || plain.Schedule() != "every week" {
		t.Errorf("Schedule = %q, %q", m.Schedule(), plain.Schedule())
	}
}
