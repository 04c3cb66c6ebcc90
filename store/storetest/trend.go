package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testWeeklyTrend checks the weekly points the chart draws: open work at
// each week's end (a task created at the very instant counts) and the
// releases behind on each week's last day, skips not counted.
func testWeeklyTrend(t *testing.T, e *env) {
	today := e.today()
	at := func(days int) time.Time { return Start.AddDate(0, 0, days) }
	for _, weeks := range []int{0, -1, 521} {
		_, err := e.desk.WeeklyTrend(e.ctx, Start, today, weeks)
		wantErr(t, err, upgradebot.EINVALID)
	}
	_, err := e.desk.WeeklyTrend(e.ctx, Start, upgradebot.Date{}, 4)
	wantErr(t, err, upgradebot.EINVALID)

	empty, err := e.desk.WeeklyTrend(e.ctx, Start, today, 4)
	ok(t, err)
	if len(empty) != 4 || empty[3].Open != 0 || empty[3].Behind != 0 {
		t.Errorf("WeeklyTrend of an empty desk = %+v", empty)
	}

	// Open work: A and B from day -30, E closed before the first point, C
	// from day -20 when A is done, D at the very instant of the third
	// point, B cancelled on day -3.
	e.clock.Set(at(-30))
	a := e.createTask(Bob, &upgradebot.Task{Title: "A"})
	b := e.createTask(Bob, &upgradebot.Task{Title: "B"})
	gone := e.createTask(Bob, &upgradebot.Task{Title: "E"})
	e.clock.Set(at(-25))
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, gone.ID, "")
	ok(t, err)
	e.clock.Set(at(-20))
	e.createTask(Bob, &upgradebot.Task{Title: "C"})
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, a.ID, "")
	ok(t, err)
	e.clock.Set(at(-7))
	e.createTask(Bob, &upgradebot.Task{Title: "D"})
	e.clock.Set(at(-3))
	_, err = e.desk.CancelTask(e.ctx, Bob, b.ID, "")
	ok(t, err)

	// Releases: MedCore's first goes live on day -12, its second is out
	// on day -10, its third not yet; LabSys's second goes live on day -10,
	// so its first (skipped) is no longer behind.
	e.clock.Set(Start)
	rel := func(vendor, name string, ga int) *upgradebot.Release {
		r := &upgradebot.Release{Vendor: vendor, Name: name, GA: today.AddDays(ga)}
		ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
		return r
	}
	m1, _, _ := rel("MedCore", "1", -60), rel("MedCore", "2", -10), rel("MedCore", "3", 5)
	_, l2 := rel("LabSys", "1", -40), rel("labsys", "2", -30)
	e.setOwner(Owner) // who closes phases
	for _, p := range []struct {
		r        *upgradebot.Release
		from, to int
	}{{m1, -30, -12}, {l2, -20, -10}} {
		_, err := e.desk.RecordPhase(e.ctx, Alice, p.r.Key, upgradebot.PhaseGoLive, upgradebot.PhaseStart, today.AddDays(p.from))
		ok(t, err)
		_, err = e.desk.RecordPhase(e.ctx, Owner, p.r.Key, upgradebot.PhaseGoLive, upgradebot.PhaseDone, today.AddDays(p.to))
		ok(t, err)
	}

	points, err := e.desk.WeeklyTrend(e.ctx, Start, today, 4)
	ok(t, err)
	if len(points) != 4 {
		t.Fatalf("WeeklyTrend returned %d points, want 4", len(points))
	}
	for i, p := range points {
		back := 3 - i
		sameTime(t, "At", p.At, at(-7*back))
		if p.Day != today.AddDays(-7*back) {
			t.Errorf("points[%d].Day = %v, want %v", i, p.Day, today.AddDays(-7*back))
		}
	}
	open := func(ps []upgradebot.TrendPoint) []int {
		var out []int
		for _, p := range ps {
			out = append(out, p.Open)
		}
		return out
	}
	behind := func(ps []upgradebot.TrendPoint) []int {
		var out []int
		for _, p := range ps {
			out = append(out, p.Behind)
		}
		return out
	}
	if got, want := open(points), []int{2, 2, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("Open = %v, want %v (A B; B C; B C D; C D)", got, want)
	}
	if got, want := behind(points), []int{3, 3, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("Behind = %v, want %v", got, want)
	}
	// The last point is open work now, as the task list counts it.
	if _, n := e.findTasks(upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}}); points[3].Open != n {
		t.Errorf("last point's Open = %d, want the %d open tasks", points[3].Open, n)
	}
	// Fewer weeks are the latest of the same points.
	two, err := e.desk.WeeklyTrend(e.ctx, Start, today, 2)
	ok(t, err)
	if !slices.Equal(open(two), open(points[2:])) || !slices.Equal(behind(two), behind(points[2:])) {
		t.Errorf("2 weeks = %+v, want the last two of %+v", two, points)
	}
}
