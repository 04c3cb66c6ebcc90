package upgradebot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

func TestWeekOf(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2026-11-30", "2026-11-30"}, // a Monday is its own week
		{"2026-12-01", "2026-11-30"},
		{"2026-12-04", "2026-11-30"},
		{"2026-12-06", "2026-11-30"}, // Sunday ends the week
		{"2026-12-07", "2026-12-07"},
		{"2027-01-01", "2026-12-28"}, // across the year
		{"2028-03-01", "2028-02-28"}, // across a leap day
	} {
		if got := upgradebot.WeekOf(date(tc.day)); got != date(tc.want) {
			t.Errorf("WeekOf(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
}

func TestOverStreak(t *testing.T) {
	for _, tc := range []struct {
		desc  string
		today string
		weeks []string
		want  int
	}{
		{"never over", "2026-12-09", nil, 0},
		{"this week only", "2026-12-09", []string{"2026-12-07"}, 1},
		{"last week only", "2026-12-09", []string{"2026-11-30"}, 0},
		{"two weeks running", "2026-12-09", []string{"2026-12-07", "2026-11-30"}, 2},
		{"in any order", "2026-12-09", []string{"2026-11-23", "2026-12-07", "2026-11-30"}, 3},
		{"on a Monday", "2026-12-07", []string{"2026-12-07", "2026-11-30"}, 2},
		{"on a Sunday", "2026-12-13", []string{"2026-12-07", "2026-11-30"}, 2},
		{"over, under, over", "2026-12-09", []string{"2026-12-07", "2026-11-23"}, 1},
		{"a gap further back", "2026-12-09", []string{"2026-12-07", "2026-11-30", "2026-11-16", "2026-11-09"}, 2},
		{"a later week does not count", "2026-12-09", []string{"2026-12-14", "2026-11-30"}, 0},
		{"repeated weeks", "2026-12-09", []string{"2026-12-07", "2026-12-07", "2026-11-30"}, 2},
		{"days in the weeks", "2026-12-09", []string{"2026-12-11", "2026-12-03"}, 2},
		{"across the year", "2027-01-05", []string{"2027-01-04", "2026-12-28", "2026-12-21"}, 3},
	} {
		var weeks []upgradebot.Date
		for _, w := range tc.weeks {
			weeks = append(weeks, date(w))
		}
		if got := upgradebot.OverStreak(date(tc.today), weeks); got != tc.want {
			t.Errorf("%s: OverStreak = %d, want %d", tc.desc, got, tc.want)
		}
	}
}

func TestCompareOverloaded(t *testing.T) {
	list := []upgradebot.Overloaded{
		{Load: upgradebot.Load{User: "U0D", Open: 20, Planned: 50 * time.Hour}, Weeks: 2},
		{Load: upgradebot.Load{User: "U0C", Open: 16, Planned: 50 * time.Hour}, Weeks: 2},
		{Load: upgradebot.Load{User: "U0B", Open: 16}, Weeks: 5},
		{Load: upgradebot.Load{User: "U0E", Open: 20, Overdue: 3, Planned: 50 * time.Hour}, Weeks: 2},
		{Load: upgradebot.Load{User: "U0A", Open: 20, Overdue: 3, Planned: 50 * time.Hour}, Weeks: 2},
	}
	slices.SortFunc(list, upgradebot.CompareOverloaded)
	var got []string
	for _, o := range list {
		got = append(got, o.User)
	}
	// The longest streak, then hours, tasks, overdue, and the id.
	if want := []string{"U0B", "U0A", "U0E", "U0D", "U0C"}; !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

// TestBuildDigestOverloaded: the people over the threshold weeks running
// are a section of their own, most persistent first, with a pointer to
// /upgrade workload; past the limit "…and N more" carries the pointer; a
// digest with only them is not all clear.
func TestBuildDigestOverloaded(t *testing.T) {
	base := upgradebot.DigestData{Now: digestNow, Today: date("2026-11-30"), OpenNow: 60, OpenWeekAgo: 58, FirstTask: digestNow.AddDate(0, -3, 0)}
	sam := upgradebot.Overloaded{Load: upgradebot.Load{User: "U0SAM", Open: 22, Overdue: 4, Planned: 46 * time.Hour}, Weeks: 2}
	priya := upgradebot.Overloaded{Load: upgradebot.Load{User: "U0PRIYA", Open: 17, Planned: 90 * time.Minute}, Weeks: 3}
	alex := upgradebot.Overloaded{Load: upgradebot.Load{User: "U0ALEX", Open: 1, Planned: 41 * time.Hour}, Weeks: 2}
	for _, tc := range []struct {
		desc  string
		list  []upgradebot.Overloaded
		total int
		want  []string
		text  string
	}{
		{
			desc:  "one person",
			list:  []upgradebot.Overloaded{sam},
			total: 1,
			want: []string{
				"*Over the workload threshold two weeks running (1)*",
				"• U0SAM · 22 open tasks (4 overdue) · 46h planned",
				"`/upgrade workload` suggests who has room.",
			},
			text: "1 person overloaded",
		},
		{
			desc:  "longest streak first, whatever the order given",
			list:  []upgradebot.Overloaded{alex, sam, priya},
			total: 3,
			want: []string{
				"*Over the workload threshold two weeks running (3)*",
				"• U0PRIYA · 17 open tasks · 1.5h planned · 3 weeks running",
				"• U0SAM · 22 open tasks (4 overdue) · 46h planned",
				"• U0ALEX · 1 open task · 41h planned",
				"`/upgrade workload` suggests who has room.",
			},
			text: "3 people overloaded",
		},
		{
			desc:  "past the limit",
			list:  []upgradebot.Overloaded{sam, priya},
			total: 14,
			want: []string{
				"*Over the workload threshold two weeks running (14)*",
				"• U0PRIYA · 17 open tasks · 1.5h planned · 3 weeks running",
				"• U0SAM · 22 open tasks (4 overdue) · 46h planned",
				"…and 12 more: `/upgrade workload` shows everyone and who has room",
			},
			text: "14 people overloaded",
		},
	} {
		d := base
		d.Overloaded, d.OverloadedTotal = tc.list, tc.total
		for _, allClear := range []bool{false, true} {
			m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM", AllClear: allClear})
			if !ok || len(m.Sections) != 2 {
				t.Fatalf("%s: BuildDigest = %+v, %v; want the section and the trend", tc.desc, m.Sections, ok)
			}
			// Issue 15: the summary is the header; people by plain names
			// (ids here, as the desk knows no names).
			want := strings.Join(append(append([]string{"*Upgrade digest · Mon 30 Nov: " + tc.text + "*"}, tc.want...),
				"Open work: 60 tasks, up 2 from 58 a week ago."), "\n")
			if got := m.FullText(); got != want {
				t.Errorf("%s (all clear %v):\n%s\n\nwant:\n%s", tc.desc, allClear, got, want)
			}
			if want := "Upgrade digest · Mon 30 Nov: " + tc.text; m.Text != want {
				t.Errorf("%s: Text = %q, want %q", tc.desc, m.Text, want)
			}
		}
	}

	// With the other lists, it comes last (issue 15: the clean-ups behind
	// are overdue work, in the overdue list).
	d := sampleDigest()
	d.Overloaded, d.OverloadedTotal = []upgradebot.Overloaded{sam}, 1
	m, _ := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	var titles []string
	for _, s := range m.Sections {
		titles = append(titles, s.Title)
	}
	if want := []string{"Overdue (41)", "Due in the next 7 days (3)", "Vendor releases, next 90 days (2)", "Decisions waiting (2)",
		"Over the workload threshold two weeks running (1)", ""}; !slices.Equal(titles, want) {
		t.Errorf("sections %q, want %q", titles, want)
	}
	if !strings.HasSuffix(m.Text, "2 decisions waiting · 1 person overloaded") {
		t.Errorf("Text = %q", m.Text)
	}
}
