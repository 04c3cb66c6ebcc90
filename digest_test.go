package upgradebot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// digestNow is Monday 30 November 2026, 08:00 in Chicago.
var digestNow = time.Date(2026, 11, 30, 8, 0, 0, 0, time.FixedZone("CST", -6*3600))

func date(s string) upgradebot.Date {
	d, err := upgradebot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// sampleDigest has something in every list, in no particular order.
func sampleDigest() upgradebot.DigestData {
	every, _ := upgradebot.ParseInterval("2w")
	return upgradebot.DigestData{
		Now:   digestNow,
		Today: date("2026-11-30"),
		Overdue: []*upgradebot.Task{
			{ID: 9, Title: "Update the downtime procedures", Assignee: "U0PRIYA", Due: date("2026-11-27"), Priority: upgradebot.PriorityHigh},
			{ID: 3, Title: "Regression-test the lab result interfaces", Assignee: "U0SAM", Due: date("2026-11-13")},
			{ID: 7, Title: "Tell <!channel> & the vendor", Due: date("2026-11-29")},
		},
		OverdueTotal: 40,
		DueSoon: []*upgradebot.Task{
			{ID: 12, Title: "Build the go-live checklist", Assignee: "U0DANA", Due: date("2026-12-04")},
			{ID: 11, Title: "Call the vendor about the interface engine", Assignee: "U0ALEX", Due: date("2026-11-30")},
			{ID: 14, Title: "Train the super users", Assignee: "U0SAM", Due: date("2026-12-01")},
		},
		DueSoonTotal: 3,
		Releases: []*upgradebot.Release{
			{ID: 2, Key: "medcore-2027q1", Vendor: "MedCore", Name: "2027 Q1", GA: date("2027-02-15"), Support: date("2028-02-15")},
			{ID: 1, Key: "medcore-2026q4", Vendor: "MedCore", Name: "2026 Q4", GA: date("2026-12-14")},
		},
		ReleasesTotal: 2,
		Decisions: []*upgradebot.Decision{
			{ID: 4, Question: "Freeze order-set changes during go-live week?", RequestedBy: "U0SAM", RoutedTo: "U0DANA",
				CreatedAt: digestNow.Add(-5 * time.Hour)},
			{ID: 1, Question: "Skip medcore-2026q3 and go straight to medcore-2026q4?", RequestedBy: "U0ALEX", RoutedTo: "U0DANA",
				Due: date("2026-11-27"), CreatedAt: digestNow.Add(-76 * time.Hour)},
		},
		DecisionsTotal: 2,
		Cleanups: []upgradebot.OverdueCleanup{{Maintenance: &upgradebot.Maintenance{ID: 1, Title: "Duplicate medical record clean-up",
			Every: every, Assignee: "U0PRIYA", NextDue: date("2026-11-27"), OpenTaskID: 10}, Occurrences: 1}},
		CleanupsTotal:      1,
		CleanupOccurrences: 1,
		Names:              map[string]string{"U0SAM": "sam", "U0PRIYA": "priya", "U0ALEX": "alex", "U0DANA": "dana"},
		OpenNow:            52,
		OpenWeekAgo:        47,
		FirstTask:          digestNow.AddDate(0, -3, 0), // a desk in use for months
	}
}

func TestBuildDigest(t *testing.T) {
	d := sampleDigest()
	before := fmt.Sprint(d.Overdue, d.DueSoon, d.Releases, d.Decisions)
	m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if !ok || m.Kind != upgradebot.MessagePost || m.To != "C0TEAM" {
		t.Fatalf("BuildDigest = %+v, %v; want a post to C0TEAM", m, ok)
	}
	if after := fmt.Sprint(d.Overdue, d.DueSoon, d.Releases, d.Decisions); after != before {
		t.Error("BuildDigest reordered its input")
	}
	// Issue 15: the summary is the header, the first thing shown; each
	// list at most three lines; overdue clean-up occurrences counted and
	// listed with the overdue tasks (as `list overdue` does); plain names,
	// but for whoever a late decision waits on; dates without this year.
	want := strings.Join([]string{
		"*Upgrade digest · Mon 30 Nov: 41 overdue · 3 due within 7 days · 2 vendor releases coming · 2 decisions waiting*",
		"*Overdue (41)*",
		"• #3 Regression-test the lab result interfaces · sam · 17 days overdue",
		"• #9 Update the downtime procedures · priya · 3 days overdue · high",
		"• #10 Duplicate medical record clean-up · priya · 3 days overdue · clean-up every 2 weeks",
		"…and 38 more: `/upgrade list overdue`",
		"*Due in the next 7 days (3)*",
		"• #11 Call the vendor about the interface engine · alex · due today",
		"• #14 Train the super users · sam · due tomorrow",
		"• #12 Build the go-live checklist · dana · due Fri 4 Dec",
		"*Vendor releases, next 90 days (2)*",
		"• `medcore-2026q4` MedCore 2026 Q4 · GA Mon 14 Dec (in 14 days)",
		"• `medcore-2027q1` MedCore 2027 Q1 · GA Mon 15 Feb 2027 (in 77 days) · support ends Tue 15 Feb 2028 (in 442 days)",
		"*Decisions waiting (2)*",
		"• #1 Skip medcore-2026q3 and go straight to medcore-2026q4? · asked by alex · waiting on <@U0DANA> for 3 days · needed by Fri 27 Nov (*late*)",
		"• #4 Freeze order-set changes during go-live week? · asked by sam · waiting on dana for 5 hours",
		"Open work: 52 tasks, up 5 from 47 a week ago.",
	}, "\n")
	if got := m.FullText(); got != want {
		t.Errorf("digest:\n%s\n\nwant:\n%s", got, want)
	}
	// The plain fallback is the summary: what a notification shows.
	if want := "Upgrade digest · Mon 30 Nov: 41 overdue · 3 due within 7 days · 2 vendor releases coming · " +
		"2 decisions waiting"; m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
	if m.Header() != m.Text {
		t.Errorf("Header = %q", m.Header())
	}
	if s := m.Sections[0]; s.Title != "Overdue (41)" || len(s.Lines) != 3 || s.More != 38 || s.Hint != "`/upgrade list overdue`" {
		t.Errorf("overdue section = %+v", s)
	}
	if last := m.Sections[len(m.Sections)-1]; last.Title != "" || len(last.Lines) != 1 || !strings.HasPrefix(last.Lines[0], "Open work:") {
		t.Errorf("the last section is %+v, want the untitled trend line", last)
	}
}

func TestBuildDigestQuietOrAllClear(t *testing.T) {
	empty := upgradebot.DigestData{Now: digestNow, Today: date("2026-11-30"), OpenNow: 3, OpenWeekAgo: 5, FirstTask: digestNow.AddDate(0, -3, 0)}
	if m, ok := upgradebot.BuildDigest(empty, upgradebot.DigestOptions{Channel: "C0TEAM"}); ok {
		t.Errorf("nothing to say, not all-clear: BuildDigest = %+v, true; want quiet", m)
	}
	m, ok := upgradebot.BuildDigest(empty, upgradebot.DigestOptions{Channel: "C0TEAM", AllClear: true})
	if !ok || m.Kind != upgradebot.MessagePost || m.To != "C0TEAM" || m.Sections != nil {
		t.Fatalf("all-clear = %+v, %v; want a plain post", m, ok)
	}
	// Issue 15: one date style (no year this year); overdue clean-ups are
	// overdue work, no list of their own.
	want := "*All clear* for Mon 30 Nov: nothing overdue or due within 7 days, no decisions waiting, " +
		"no vendor release within 90 days. Open work: 3 tasks, down 2 from 5 a week ago."
	if m.Text != want || m.FullText() != want {
		t.Errorf("all-clear text:\n%q\nwant\n%q", m.Text, want)
	}
	// Anything in any list is something to say; open work alone is not.
	for _, tc := range []struct {
		desc string
		edit func(d *upgradebot.DigestData)
	}{
		{"a release coming", func(d *upgradebot.DigestData) {
			d.Releases = []*upgradebot.Release{{ID: 1, Key: "x-1", Vendor: "X", Name: "1", GA: date("2027-01-01")}}
		}},
		{"only a total", func(d *upgradebot.DigestData) { d.DecisionsTotal = 2 }},
	} {
		d := empty
		tc.edit(&d)
		if m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"}); !ok || len(m.Sections) != 2 {
			t.Errorf("%s: BuildDigest = %+v, %v; want a section and the trend", tc.desc, m.Sections, ok)
		}
	}
}

// TestBuildDigestOrder shows every list in its order whatever the order of
// the data: the oldest overdue first (then by number), the soonest due,
// the earliest GA, the longest waiting decision, the longest overdue
// clean-up.
func TestBuildDigestOrder(t *testing.T) {
	d := upgradebot.DigestData{Now: digestNow, Today: date("2026-11-30")}
	for i, due := range []string{"2026-11-20", "2026-10-01", "2026-11-29", "2026-10-01", "2026-11-02"} {
		d.Overdue = append(d.Overdue, &upgradebot.Task{ID: int64(10 - i), Title: "Task", Due: date(due)})
	}
	for i, due := range []string{"2026-12-03", "2026-11-30", "2026-12-01"} {
		d.DueSoon = append(d.DueSoon, &upgradebot.Task{ID: int64(20 + i), Title: "Task", Due: date(due)})
	}
	for i, ga := range []string{"2027-01-10", "2026-12-01"} {
		d.Releases = append(d.Releases, &upgradebot.Release{ID: int64(i + 1), Key: fmt.Sprintf("r-%d", i+1), Vendor: "V", Name: "N", GA: date(ga)})
	}
	for i, h := range []int{3, 100, 50} {
		d.Decisions = append(d.Decisions, &upgradebot.Decision{ID: int64(30 + i), Question: "Q?", CreatedAt: digestNow.Add(-time.Duration(h) * time.Hour)})
	}
	for i, due := range []string{"2026-11-27", "2026-11-13"} {
		d.Cleanups = append(d.Cleanups, upgradebot.OverdueCleanup{Maintenance: &upgradebot.Maintenance{ID: int64(i + 1),
			Title: fmt.Sprintf("Clean-up %d", i+1), NextDue: date(due), OpenTaskID: int64(40 + i)}, Occurrences: 1})
	}
	m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if !ok || len(m.Sections) != 5 {
		t.Fatalf("BuildDigest = %+v, %v", m.Sections, ok)
	}
	// Issue 15: each list shows its first DigestShown lines, and the
	// clean-ups behind are overdue work, in the overdue list by due date.
	for i, want := range [][]string{
		{"#7 ", "#9 ", "#6 "}, // 1 Oct (two, by number), 2 Nov; then clean-up 2 (13 Nov), 20 Nov, …
		{"#21 ", "#22 ", "#20 "},
		{"`r-2`", "`r-1`"},
		{"#31 ", "#32 ", "#30 "},
	} {
		lines := m.Sections[i].Lines
		if len(lines) != len(want) {
			t.Fatalf("section %q has %d lines, want %d", m.Sections[i].Title, len(lines), len(want))
		}
		for j, w := range want {
			if !strings.HasPrefix(strings.TrimPrefix(lines[j], "• "), w) {
				t.Errorf("section %q line %d = %q, want it to start %q", m.Sections[i].Title, j, lines[j], w)
			}
		}
	}
	if got := m.Sections[0].Lines[0]; !strings.HasSuffix(got, "60 days overdue") {
		t.Errorf("oldest overdue line = %q", got)
	}
	if s := m.Sections[0]; s.Title != "Overdue (7)" || s.More != 4 {
		t.Errorf("overdue section %q with %d more, want 7 in all (5 tasks, 2 clean-ups) and 4 more", s.Title, s.More)
	}
	// The rest of the overdue work, in order, as the section would show it
	// with room for all of it.
	d.Overdue = d.Overdue[:1] // #10, due 20 Nov, and both clean-ups
	m, _ = upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	for j, w := range []string{"#41 Clean-up 2", "#10 ", "#40 Clean-up 1"} {
		if got := strings.TrimPrefix(m.Sections[0].Lines[j], "• "); !strings.HasPrefix(got, w) {
			t.Errorf("overdue line %d = %q, want it to start %q", j, got, w)
		}
	}
}

func TestTrendLine(t *testing.T) {
	for _, tc := range []struct {
		now, before int
		want        string
	}{
		{42, 37, "Open work: 42 tasks, up 5 from 37 a week ago."},
		{40, 45, "Open work: 40 tasks, down 5 from 45 a week ago."},
		{1, 1, "Open work: 1 task, the same as a week ago."},
		{0, 0, "Open work: 0 tasks, the same as a week ago."},
		{1, 0, "Open work: 1 task, up 1 from 0 a week ago."},
	} {
		if got := upgradebot.TrendLine(tc.now, tc.before); got != tc.want {
			t.Errorf("TrendLine(%d, %d) = %q, want %q", tc.now, tc.before, got, tc.want)
		}
	}
}

func TestDigestLines(t *testing.T) {
	today := date("2026-11-30")
	long := strings.Repeat("Reconcile the charge master ", 10) // 280 characters
	d := upgradebot.DigestData{Now: digestNow, Today: today,
		Overdue: []*upgradebot.Task{{ID: 1, Title: long, Due: date("2026-11-29")}},
		DueSoon: []*upgradebot.Task{{ID: 2, Title: "Undated but listed"}},
		Releases: []*upgradebot.Release{
			{ID: 1, Key: "a-1", Vendor: "A", Name: "1", GA: today, Support: today.AddDays(1)},
			{ID: 2, Key: "b-1", Vendor: "B &", Name: "<1>", GA: today.AddDays(1)},
		},
		Decisions: []*upgradebot.Decision{{ID: 5, Question: long, RequestedBy: "U0A", RoutedTo: "U0B", CreatedAt: digestNow.Add(-time.Minute),
			Due: date("2027-12-01")}},
		Cleanups: []upgradebot.OverdueCleanup{{Maintenance: &upgradebot.Maintenance{ID: 1, Title: "Purge", NextDue: date("2026-11-02"),
			OpenTaskID: 3}, Occurrences: 3}},
	}
	m, _ := upgradebot.BuildDigest(d, upgradebot.DigestOptions{})
	text := m.FullText()
	// Issue 15: titles clipped at a whole word, plain names, relative
	// dates; a clean-up behind is overdue work.
	for _, want := range []string{
		"• #1 " + strings.TrimSpace(long[:76]) + "… · unassigned · 1 day overdue",
		"• #2 Undated but listed · unassigned\n",
		"• `a-1` A 1 · GA today · support ends tomorrow\n",
		"• `b-1` B &amp; &lt;1&gt; · GA tomorrow\n",
		"asked by U0A · waiting on U0B for under 2 hours · needed by Wed 1 Dec 2027\n",
		"• #3 Purge · unassigned · 28 days overdue (3 occurrences behind) · clean-up\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if m.To != "" || m.Kind != upgradebot.MessagePost {
		t.Errorf("with no channel: %s to %q", m.Kind, m.To)
	}
}

func TestMessageFullText(t *testing.T) {
	plain := upgradebot.Message{Text: "Decision #1 approved\n>Skip it?"}
	if plain.FullText() != plain.Text {
		t.Errorf("a plain message's FullText = %q", plain.FullText())
	}
	m := upgradebot.Message{Text: "Header\nfallback", Sections: []upgradebot.Section{
		{Title: "A", Lines: []string{"• one"}, More: 2},
		{Lines: []string{"untitled"}},
		{Title: "B", More: 1, Hint: "`/upgrade list`"},
	}}
	want := "*Header*\n*A*\n• one\n…and 2 more\nuntitled\n*B*\n…and 1 more: `/upgrade list`"
	if got := m.FullText(); got != want {
		t.Errorf("FullText = %q, want %q", got, want)
	}
}

// TestBuildDigestForecast adds one forecast line per vendor with a
// cadence, after the trend, and nothing when no vendor has one.
func TestBuildDigestForecast(t *testing.T) {
	d := sampleDigest()
	d.ForecastVendors = []*upgradebot.Vendor{
		{ID: 2, Name: "Zeta", CadenceDays: 0}, // no cadence: no line
		{ID: 1, Name: "MedCore", CadenceDays: 91},
	}
	d.ForecastReleases = []*upgradebot.Release{
		{ID: 1, Key: "medcore-2026q2", Vendor: "MedCore", Name: "2026 Q2", GA: date("2026-05-15")},
		{ID: 2, Key: "medcore-2026q3", Vendor: "MedCore", Name: "2026 Q3", GA: date("2026-08-14")},
	}
	want := upgradebot.MakeForecast(upgradebot.ForecastInput{Today: d.Today, Vendors: d.ForecastVendors,
		Releases: d.ForecastReleases})
	if len(want.Vendors) != 1 {
		t.Fatalf("forecast has %d vendors, want MedCore", len(want.Vendors))
	}
	m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if !ok {
		t.Fatal("BuildDigest is quiet")
	}
	last := m.Sections[len(m.Sections)-1]
	// Issue 15: the forecast in plain words (on a Monday, as d.Today is).
	if last.Title != "Forecast" || len(last.Lines) != 1 || last.Lines[0] != "• "+upgradebot.PlainForecast(want.Vendors[0], d.Today) {
		t.Errorf("last section = %+v, want Forecast with %q", last, "• "+upgradebot.PlainForecast(want.Vendors[0], d.Today))
	}
	if want := "• MedCore: 3 releases behind, next go-live `medcore-2026q2` Mon 15 Mar 2027; falling behind by about one release every 22 months."; last.Lines[0] != want {
		t.Errorf("forecast line %q, want %q", last.Lines[0], want)
	}
	if trend := m.Sections[len(m.Sections)-2]; trend.Title != "" || !strings.HasPrefix(trend.Lines[0], "Open work:") {
		t.Errorf("section before the forecast = %+v, want the trend", trend)
	}

	d.ForecastVendors = d.ForecastVendors[:1] // only Zeta, without a cadence
	m, _ = upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	for _, s := range m.Sections {
		if s.Title == "Forecast" {
			t.Errorf("no vendor has a cadence, yet: %+v", s)
		}
	}

	// The forecast alone does not make a quiet day worth a post.
	quiet := upgradebot.DigestData{Now: digestNow, Today: d.Today, ForecastVendors: []*upgradebot.Vendor{{ID: 1, Name: "MedCore", CadenceDays: 91}},
		ForecastReleases: d.ForecastReleases}
	if m, ok := upgradebot.BuildDigest(quiet, upgradebot.DigestOptions{Channel: "C0TEAM"}); ok {
		t.Errorf("forecast only: BuildDigest = %+v, true; want quiet", m)
	}
}

// TestBuildDigestFreeze: the digest counts down to the next freeze on one
// line after the trend, says so while one is in force, and has no line
// when none is coming; the all-clear post carries it too. A freeze alone is
// not news.
func TestBuildDigestFreeze(t *testing.T) {
	goLive := &upgradebot.Freeze{ID: 1, From: date("2026-12-14"), To: date("2026-12-20"), Reason: "go-live"}
	for _, tc := range []struct {
		desc   string
		freeze *upgradebot.Freeze
		today  string
		want   string
	}{
		{"coming", goLive, "2026-12-02", "Next freeze: go-live freeze in 12 days, Mon 14 Dec – Sun 20 Dec."},
		{"tomorrow", goLive, "2026-12-13", "Next freeze: go-live freeze in 1 day, Mon 14 Dec – Sun 20 Dec."},
		{"starts today", goLive, "2026-12-14", "Next freeze: go-live freeze starts today, Mon 14 Dec – Sun 20 Dec."},
		{"in force", goLive, "2026-12-20", "Freeze now: go-live freeze until Sun 20 Dec."},
		{"reason names it", &upgradebot.Freeze{From: date("2027-01-04"), To: date("2027-01-08"), Reason: "Lab <freeze>"},
			"2026-12-02", "Next freeze: Lab &lt;freeze&gt; in 33 days, Mon 4 Jan – Fri 8 Jan."},
		{"over", goLive, "2026-12-21", ""},
		{"none", nil, "2026-12-02", ""},
	} {
		d := sampleDigest()
		d.Today, d.NextFreeze = date(tc.today), tc.freeze
		m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
		if !ok {
			t.Fatalf("%s: nothing to post", tc.desc)
		}
		var trend []string
		for _, s := range m.Sections {
			if s.Title == "" {
				trend = s.Lines
			}
		}
		if len(trend) == 0 || !strings.HasPrefix(trend[0], "Open work:") {
			t.Fatalf("%s: no trend section in %+v", tc.desc, m.Sections)
		}
		switch {
		case tc.want == "" && len(trend) != 1:
			t.Errorf("%s: trend section = %q, want the trend alone", tc.desc, trend)
		case tc.want != "" && (len(trend) != 2 || trend[1] != tc.want):
			t.Errorf("%s: trend section = %q, want the freeze line %q", tc.desc, trend, tc.want)
		}
	}

	empty := upgradebot.DigestData{Now: digestNow, Today: date("2026-12-02"), NextFreeze: goLive}
	if m, ok := upgradebot.BuildDigest(empty, upgradebot.DigestOptions{Channel: "C0TEAM"}); ok {
		t.Errorf("a freeze alone posted %+v", m)
	}
	m, ok := upgradebot.BuildDigest(empty, upgradebot.DigestOptions{Channel: "C0TEAM", AllClear: true})
	if !ok || !strings.HasSuffix(m.Text, " Next freeze: go-live freeze in 12 days, Mon 14 Dec – Sun 20 Dec.") {
		t.Errorf("all-clear = %q, want it to end with the countdown", m.Text)
	}
}

// digestDesk is a Desk that answers only what Digest asks, and keeps it.
type digestDesk struct {
	upgradebot.Desk // nil: any other call panics
	data            upgradebot.DigestData
	err             error
	calls           []string
}

func (d *digestDesk) RecordWorkloadWeek(ctx context.Context, today upgradebot.Date, limits upgradebot.WorkloadLimits) error {
	d.calls = append(d.calls, fmt.Sprintf("record %s %d/%d", today, limits.Hours, limits.Tasks))
	return d.err
}

func (d *digestDesk) DigestData(ctx context.Context, now time.Time, today upgradebot.Date, limit int) (upgradebot.DigestData, error) {
	d.calls = append(d.calls, fmt.Sprintf("read %s %s %d", now.Format(time.RFC3339), today, limit))
	return d.data, nil
}

// TestDigest: the one digest function records the week's workload first,
// reads the lists as of now with today in the calendar's zone, and builds
// the post BuildDigest builds from them; a failure to record stops it.
func TestDigest(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC) // still 30 November in Chicago
	opts := upgradebot.DigestOptions{Channel: "C0TEAM", Calendar: upgradebot.WorkingTime{Location: chicago}}
	desk := &digestDesk{data: sampleDigest()}
	m, ok, err := upgradebot.Digest(t.Context(), desk, now, upgradebot.WorkloadLimits{Hours: 30, Tasks: 8}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"record 2026-11-30 30/8", "read 2026-12-01T03:00:00Z 2026-11-30 " + fmt.Sprint(upgradebot.DigestLimit)}
	if !slices.Equal(desk.calls, want) {
		t.Errorf("calls %q, want %q", desk.calls, want)
	}
	if wm, wok := upgradebot.BuildDigest(sampleDigest(), opts); ok != wok || m.FullText() != wm.FullText() || m.To != "C0TEAM" {
		t.Errorf("Digest = %+v, %v; want BuildDigest's %+v, %v", m, ok, wm, wok)
	}

	// Quiet: nothing to post unless an all-clear is asked for.
	desk = &digestDesk{data: upgradebot.DigestData{Now: now, Today: date("2026-11-30")}}
	if _, ok, err := upgradebot.Digest(t.Context(), desk, now, upgradebot.WorkloadLimits{}, opts); ok || err != nil {
		t.Errorf("quiet digest = %v, %v; want nothing to post", ok, err)
	}
	opts.AllClear = true
	if m, ok, err := upgradebot.Digest(t.Context(), desk, now, upgradebot.WorkloadLimits{}, opts); !ok || err != nil || !strings.HasPrefix(m.Text, "*All clear*") {
		t.Errorf("quiet digest with all-clear = %q, %v, %v; want the all-clear", m.Text, ok, err)
	}

	busy := errors.New("database is locked")
	desk = &digestDesk{data: sampleDigest(), err: busy}
	if _, _, err := upgradebot.Digest(t.Context(), desk, now, upgradebot.WorkloadLimits{}, opts); !errors.Is(err, busy) || len(desk.calls) != 1 {
		t.Errorf("recording fails: %v after %q; want %v and no read", err, desk.calls, busy)
	}
}

// TestBuildDigestTruths: work due inside a freeze is flagged, checklist
// work shows its release, and a desk younger than a week shows open work
// without a comparison with a week when it had none.
func TestBuildDigestTruths(t *testing.T) {
	d := sampleDigest()
	d.Freezes = []*upgradebot.Freeze{{ID: 1, From: date("2026-11-30"), To: date("2026-12-02"), Reason: "go-live"}}
	d.DueSoon[1].Release = "medcore-2026q4" // #11, due today
	m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if !ok {
		t.Fatal("nothing to post")
	}
	text := m.FullText()
	for _, w := range []string{
		"• #11 Call the vendor about the interface engine · alex · due today · medcore-2026q4 · *inside the go-live freeze*",
		"• #14 Train the super users · sam · due tomorrow · *inside the go-live freeze*",
		"Open work: 52 tasks, up 5 from 47 a week ago.",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("digest lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "#12 Build the go-live checklist · dana · due Fri 4 Dec · *inside") {
		t.Errorf("a task due after the freeze is flagged:\n%s", text)
	}
	d.FirstTask = digestNow.AddDate(0, 0, -3)
	m, _ = upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if text := m.FullText(); !strings.Contains(text, "Open work: 52 tasks.") || strings.Contains(text, "a week ago") {
		t.Errorf("a three-day-old desk compares with a week ago:\n%s", text)
	}
}

// TestDigestForecastMondaysOrChanged: the forecast goes with Monday's
// digest, and on other days only when it changed since the day before
// (issue 15): a release out, a phase recorded.
func TestDigestForecastMondaysOrChanged(t *testing.T) {
	d := sampleDigest()
	d.ForecastVendors = []*upgradebot.Vendor{{ID: 1, Name: "MedCore", CadenceDays: 91}}
	d.ForecastReleases = []*upgradebot.Release{
		{ID: 1, Key: "medcore-2026q2", Vendor: "MedCore", Name: "2026 Q2", GA: date("2026-05-15")},
		{ID: 2, Key: "medcore-2026q3", Vendor: "MedCore", Name: "2026 Q3", GA: date("2026-08-14")},
	}
	forecast := func(today string) []string {
		t.Helper()
		d.Today = date(today)
		d.Now = d.Today.Time(time.UTC).Add(8 * time.Hour)
		m, _ := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
		for _, s := range m.Sections {
			if s.Title == "Forecast" {
				return s.Lines
			}
		}
		return nil
	}
	if got := forecast("2026-11-30"); len(got) != 1 {
		t.Errorf("Monday: forecast %q, want MedCore's line", got)
	}
	if got := forecast("2026-12-01"); got != nil {
		t.Errorf("Tuesday, nothing changed: forecast %q, want none", got)
	}
	// On Wednesday medcore-2026q2 goes live: one fewer behind.
	d.ForecastPhases = []*upgradebot.ReleasePhase{{ReleaseID: 1, Release: "medcore-2026q2", Phase: "go-live",
		PlannedStart: date("2026-11-25"), PlannedEnd: date("2026-12-02"), Start: date("2026-11-25"), End: date("2026-12-02")}}
	if got := forecast("2026-12-02"); len(got) != 1 || !strings.Contains(got[0], "MedCore: 2 releases behind") {
		t.Errorf("Wednesday, a go-live recorded today: forecast %q, want MedCore's line", got)
	}
	if got := forecast("2026-12-03"); got != nil {
		t.Errorf("Thursday, nothing changed since: forecast %q, want none", got)
	}
}
