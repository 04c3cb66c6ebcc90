package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testWeeklyTrend checks the weekly points the chart draws: one per team
// week (Monday to Sunday in the team's zone), labelled by its Monday, the
// same whichever day it is drawn; open work at each week's end (a task
// created at the very instant counts), checklist work beyond the window
// apart; the releases behind on each week's last day per vendor, skips
// not counted.
func testWeeklyTrend(t *testing.T, e *env) {
	today := e.today() // Thursday 26 November 2026
	at := func(days int) time.Time { return Start.AddDate(0, 0, days) }
	day := func(s string) upgradebot.Date { d, _ := upgradebot.ParseDate(s); return d }
	midnight := func(s string) time.Time { return day(s).Time(NewYork) }
	for _, weeks := range []int{0, -1, 521} {
		_, err := e.desk.WeeklyTrend(e.ctx, Start, NewYork, weeks)
		wantErr(t, err, upgradebot.EINVALID)
	}
	_, err := e.desk.WeeklyTrend(e.ctx, Start, nil, 4)
	wantErr(t, err, upgradebot.EINVALID)

	empty, err := e.desk.WeeklyTrend(e.ctx, Start, NewYork, 4)
	ok(t, err)
	if len(empty) != 4 || empty[3].Open != 0 || empty[3].Later != 0 || empty[3].Behind != 0 || len(empty[3].Vendors) != 0 {
		t.Errorf("WeeklyTrend of an empty desk = %+v", empty)
	}

	// A release with checklist work, set up before any of it.
	e.clock.Set(at(-31))
	e.setOwner(Owner) // who closes phases
	ok(t, e.desk.SetVendor(e.ctx, Admin, &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91}))
	rel := func(vendor, name string, ga int) *upgradebot.Release {
		r := &upgradebot.Release{Vendor: vendor, Name: name, GA: today.AddDays(ga)}
		ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
		return r
	}
	m3 := rel("medcore", "3", 5)

	// Open work: A and B from day -30, E closed before the first week
	// ended, C from day -20 when A is done, D at the very instant the
	// third week ended (midnight starting Monday 23 November), B
	// cancelled on day -3 (that Monday, 09:00).
	//
	// Checklist work (tasks with a phase) counts when due within 14 days
	// of the week's last day: K1 undated never; K2 due 5 December from
	// the third week (last day 22 November, window to 6 December); K3 due
	// 22 November from the first (last day 8 November, window to 22
	// November, its last day included), done on 19 November. N, in the
	// release without a phase, always counts.
	e.clock.Set(at(-30))
	a := e.createTask(Bob, &upgradebot.Task{Title: "A"})
	b := e.createTask(Bob, &upgradebot.Task{Title: "B"})
	gone := e.createTask(Bob, &upgradebot.Task{Title: "E"})
	build := upgradebot.PhaseBuild
	e.createTask(Bob, &upgradebot.Task{Title: "K1", Release: m3.Key, Phase: build})
	e.createTask(Bob, &upgradebot.Task{Title: "K2", Release: m3.Key, Phase: build, Due: day("2026-12-05")})
	k3 := e.createTask(Bob, &upgradebot.Task{Title: "K3", Release: m3.Key, Phase: build, Due: day("2026-11-22")})
	e.createTask(Bob, &upgradebot.Task{Title: "N", Release: m3.Key})
	e.clock.Set(at(-25))
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, gone.ID, "")
	ok(t, err)
	e.clock.Set(at(-20))
	e.createTask(Bob, &upgradebot.Task{Title: "C"})
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, a.ID, "")
	ok(t, err)
	e.clock.Set(at(-7))
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, k3.ID, "")
	ok(t, err)
	e.clock.Set(midnight("2026-11-23"))
	e.createTask(Bob, &upgradebot.Task{Title: "D"})
	e.clock.Set(at(-3))
	_, err = e.desk.CancelTask(e.ctx, Bob, b.ID, "")
	ok(t, err)

	// Releases: MedCore's first goes live on day -12, its second is out
	// on day -10, its third (above) not yet; LabSys's second goes live on
	// day -10, so its first (skipped) is no longer behind. MedCore is
	// named as it is set up, LabSys as its first release spells it.
	e.clock.Set(Start)
	m1, _ := rel("MedCore", "1", -60), rel("medcore", "2", -10)
	_, l2 := rel("LabSys", "1", -40), rel("labsys", "2", -30)
	for _, p := range []struct {
		r        *upgradebot.Release
		from, to int
	}{{m1, -30, -12}, {l2, -20, -10}} {
		_, err := e.desk.RecordPhase(e.ctx, Alice, p.r.Key, upgradebot.PhaseGoLive, upgradebot.PhaseStart, today.AddDays(p.from))
		ok(t, err)
		_, err = e.desk.RecordPhase(e.ctx, Owner, p.r.Key, upgradebot.PhaseGoLive, upgradebot.PhaseDone, today.AddDays(p.to))
		ok(t, err)
	}

	points, err := e.desk.WeeklyTrend(e.ctx, Start, NewYork, 4)
	ok(t, err)
	if len(points) != 4 {
		t.Fatalf("WeeklyTrend returned %d points, want 4", len(points))
	}
	// Weeks by Monday: each ended at the midnight starting the next
	// Monday and is counted to its Sunday; the week under way as of now.
	for i, w := range []struct{ monday, end, last string }{
		{"2026-11-02", "2026-11-09", "2026-11-08"},
		{"2026-11-09", "2026-11-16", "2026-11-15"},
		{"2026-11-16", "2026-11-23", "2026-11-22"},
	} {
		p := points[i]
		if p.Week != day(w.monday) || p.Day != day(w.last) {
			t.Errorf("points[%d] is the week of %v to %v, want %s to %s", i, p.Week, p.Day, w.monday, w.last)
		}
		sameTime(t, "At", p.At, midnight(w.end))
	}
	if p := points[3]; p.Week != day("2026-11-23") || p.Day != today {
		t.Errorf("points[3] is the week of %v to %v, want 2026-11-23 to today %v", p.Week, p.Day, today)
	}
	sameTime(t, "last At", points[3].At, Start)

	ints := func(ps []upgradebot.TrendPoint, f func(upgradebot.TrendPoint) int) []int {
		var out []int
		for _, p := range ps {
			out = append(out, f(p))
		}
		return out
	}
	open := func(p upgradebot.TrendPoint) int { return p.Open }
	later := func(p upgradebot.TrendPoint) int { return p.Later }
	behind := func(p upgradebot.TrendPoint) int { return p.Behind }
	if got, want := ints(points, open), []int{4, 4, 5, 4}; !slices.Equal(got, want) {
		t.Errorf("Open = %v, want %v (B C K3 N; B C K3 N; B C D K2 N; C D K2 N)", got, want)
	}
	if got, want := ints(points, later), []int{2, 2, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("Later = %v, want %v (K1 K2; K1 K2; K1; K1)", got, want)
	}
	if got, want := ints(points, behind), []int{3, 2, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("Behind = %v, want %v", got, want)
	}
	vendors := func(labsys, medcore int) []upgradebot.VendorBehind {
		return []upgradebot.VendorBehind{{Vendor: "LabSys", Behind: labsys}, {Vendor: "MedCore", Behind: medcore}}
	}
	for i, want := range [][]upgradebot.VendorBehind{
		vendors(2, 1), // MedCore 1; LabSys 1 and 2
		vendors(2, 0), // MedCore 1 live on 14 November, 2 not out
		vendors(0, 1), // MedCore 2 out; LabSys 2 live on 16 November
		vendors(0, 1),
	} {
		if !slices.Equal(points[i].Vendors, want) {
			t.Errorf("points[%d].Vendors = %v, want %v", i, points[i].Vendors, want)
		}
	}
	// The last point is open work now as the workload counts it, checklist
	// work beyond the window apart; both together are the open tasks.
	loads, err := e.desk.Loads(e.ctx, today)
	ok(t, err)
	var loadOpen, loadLater int
	for _, l := range loads {
		loadOpen, loadLater = loadOpen+l.Open, loadLater+l.Later
	}
	if p := points[3]; p.Open != loadOpen || p.Later != loadLater {
		t.Errorf("last point: %d open and %d later, want the workload's %d and %d", p.Open, p.Later, loadOpen, loadLater)
	}
	if _, n := e.findTasks(upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}}); points[3].Open+points[3].Later != n {
		t.Errorf("last point's Open+Later = %d, want the %d open tasks", points[3].Open+points[3].Later, n)
	}
	// Fewer weeks are the latest of the same points.
	two, err := e.desk.WeeklyTrend(e.ctx, Start, NewYork, 2)
	ok(t, err)
	if !slices.EqualFunc(two, points[2:], samePoint) {
		t.Errorf("2 weeks = %+v, want the last two of %+v", two, points)
	}

	// Drawn on another day of the same week (Sunday evening, a task added
	// since), the weeks and their labels are the same, and so is every
	// week that has ended; drawn the next Monday, the weeks move on by
	// one and the week of 23 November is counted to its end.
	e.clock.Set(time.Date(2026, 11, 29, 21, 0, 0, 0, NewYork))
	e.createTask(Bob, &upgradebot.Task{Title: "F"})
	sunday, err := e.desk.WeeklyTrend(e.ctx, e.clock.Now(), NewYork, 4)
	ok(t, err)
	if !slices.EqualFunc(sunday[:3], points[:3], samePoint) || sunday[3].Week != points[3].Week {
		t.Errorf("drawn on Sunday: %+v\nwant the weeks drawn on Thursday: %+v", sunday, points)
	}
	if sunday[3].Open != 5 || sunday[3].Day != day("2026-11-29") {
		t.Errorf("drawn on Sunday, the week under way is %+v, want 5 open to 29 November", sunday[3])
	}
	monday, err := e.desk.WeeklyTrend(e.ctx, time.Date(2026, 11, 30, 10, 0, 0, 0, NewYork), NewYork, 4)
	ok(t, err)
	if got := ints(monday, func(p upgradebot.TrendPoint) int { return p.Week.Day }); !slices.Equal(got, []int{9, 16, 23, 30}) {
		t.Errorf("drawn on Monday 30 November, the weeks are of Mondays %v, want 9, 16, 23, 30 November", got)
	}
	if !slices.EqualFunc(monday[:2], points[1:3], samePoint) || monday[2].Open != sunday[3].Open || monday[2].Day != day("2026-11-29") {
		t.Errorf("drawn on Monday: %+v\nwant the weeks drawn on Sunday, moved on by one", monday)
	}
}

// samePoint compares two trend points, their instants as instants.
func samePoint(a, b upgradebot.TrendPoint) bool {
	return a.Week == b.Week && a.At.Equal(b.At) && a.Day == b.Day && a.Open == b.Open && a.Later == b.Later &&
		a.Behind == b.Behind && slices.Equal(a.Vendors, b.Vendors)
}
