package upgradebot_test

import (
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// TestTrendWeeksTo: the weeks are team weeks labelled by their Monday,
// the same whichever day they are drawn; an ended week is counted to the
// midnight starting the next Monday in the team's zone (across a change
// of clocks too), the week under way to now.
func TestTrendWeeksTo(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	mondays := func(ps []upgradebot.TrendPoint) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Week.String())
		}
		return out
	}
	want := []string{"2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"}
	for _, now := range []time.Time{
		time.Date(2026, 11, 16, 0, 0, 0, 0, chicago),   // Monday, the first instant of the week
		time.Date(2026, 11, 20, 9, 0, 0, 0, chicago),   // Friday
		time.Date(2026, 11, 22, 23, 59, 0, 0, chicago), // Sunday night
		time.Date(2026, 11, 23, 5, 30, 0, 0, time.UTC), // still Sunday in Chicago
	} {
		points := upgradebot.TrendWeeksTo(now, chicago, 4)
		if got := mondays(points); !slices.Equal(got, want) {
			t.Errorf("drawn at %v: weeks of %v, want %v", now, got, want)
		}
		last := points[3]
		if !last.At.Equal(now) || last.Day != upgradebot.Today(now, chicago) {
			t.Errorf("drawn at %v: the week under way is as of %v (%v), want now", now, last.At, last.Day)
		}
		for i, p := range points[:3] {
			end := p.Week.AddDays(7).Time(chicago)
			if !p.At.Equal(end) || p.Day != p.Week.AddDays(6) {
				t.Errorf("drawn at %v: points[%d] as of %v (%v), want %v (its Sunday)", now, i, p.At, p.Day, end)
			}
		}
	}
	// The week of 26 October ended after the clocks went back on 1
	// November: at 06:00 UTC (midnight CST), not 05:00.
	if p := upgradebot.TrendWeeksTo(time.Date(2026, 11, 20, 9, 0, 0, 0, chicago), chicago, 4)[0]; !p.At.Equal(time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("the week of 26 October ended at %v, want 06:00 UTC on 2 November", p.At.UTC())
	}
	// The next Monday moves the weeks on by one.
	if got := mondays(upgradebot.TrendWeeksTo(time.Date(2026, 11, 23, 8, 0, 0, 0, chicago), chicago, 4)); !slices.Equal(got, append(want[1:], "2026-11-23")) {
		t.Errorf("drawn on Monday 23 November: weeks of %v", got)
	}
	if n := len(upgradebot.TrendWeeksTo(time.Date(2026, 11, 20, 9, 0, 0, 0, chicago), chicago, 0)); n != 1 {
		t.Errorf("0 weeks gave %d points, want 1", n)
	}
}

// TestBehindByVendor: each vendor counted on its own, after its own latest
// live release; every vendor listed, by name, spelled as its first
// release spells it; the total is ReleasesBehind.
func TestBehindByVendor(t *testing.T) {
	day := func(s string) upgradebot.Date { d, _ := upgradebot.ParseDate(s); return d }
	rel := func(vendor, ga, live string) upgradebot.ReleaseLive {
		return upgradebot.ReleaseLive{Release: &upgradebot.Release{Vendor: vendor, Name: ga, GA: day(ga)}, Live: day(live)}
	}
	releases := []upgradebot.ReleaseLive{
		rel("Verisante", "2026-03-01", "2026-05-10"),
		rel("Verisante", "2026-06-01", ""), // skipped: 2026-09-01 went live
		rel("verisante", "2026-09-01", "2026-11-02"),
		rel("Verisante", "2026-10-01", ""), // behind from 1 October...
		rel("Verisante", "2026-12-01", ""),
		rel("Ledgerly ERP", "2026-07-15", ""),
	}
	for _, tc := range []struct {
		day      string
		ledgerly int
		verisant int
	}{
		{"2026-02-01", 0, 0},
		{"2026-04-01", 0, 1},
		{"2026-08-01", 1, 1}, // Verisante 2026-06-01; Ledgerly's first
		{"2026-10-15", 1, 3}, // Verisante 06, 09 and 10 out, none live since May
		{"2026-11-30", 1, 1}, // 2026-09-01 live: 06 skipped, 10 behind
		{"2026-12-02", 1, 2},
	} {
		got := upgradebot.BehindByVendor(releases, day(tc.day))
		want := []upgradebot.VendorBehind{{Vendor: "Ledgerly ERP", Behind: tc.ledgerly}, {Vendor: "Verisante", Behind: tc.verisant}}
		if !slices.Equal(got, want) {
			t.Errorf("on %s: %v, want %v", tc.day, got, want)
		}
		if n := upgradebot.ReleasesBehind(releases, day(tc.day)); n != tc.ledgerly+tc.verisant {
			t.Errorf("on %s: ReleasesBehind = %d, want %d", tc.day, n, tc.ledgerly+tc.verisant)
		}
	}
	if got := upgradebot.BehindByVendor(nil, day("2026-12-02")); len(got) != 0 {
		t.Errorf("no releases: %v", got)
	}
}
