package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testWorkload: estimates are stored and read back; Loads aggregates open
// work per person, counts overdue and unestimated tasks, keeps the
// unassigned apart, ignores closed work and lists people with none open.
func testWorkload(t *testing.T, e *env) {
	today := e.today()
	a1 := e.createTask(Admin, &upgradebot.Task{Title: "A1", Assignee: Alice, Estimate: 4 * time.Hour, Due: today.AddDays(-1)})
	e.createTask(Admin, &upgradebot.Task{Title: "A2", Assignee: Alice, Estimate: 90 * time.Minute})
	e.createTask(Admin, &upgradebot.Task{Title: "A3", Assignee: Alice, Due: today})
	b1 := e.createTask(Admin, &upgradebot.Task{Title: "B1", Assignee: Bob, Estimate: 16 * time.Hour})
	e.createTask(Admin, &upgradebot.Task{Title: "U1", Estimate: time.Hour, Due: today.AddDays(-3)})

	got, err := e.desk.FindTaskByID(e.ctx, a1.ID)
	ok(t, err)
	if got.Estimate != 4*time.Hour {
		t.Errorf("estimate read back as %v", got.Estimate)
	}
	if err := e.desk.CreateTask(e.ctx, Admin, &upgradebot.Task{Title: "bad", Estimate: -time.Hour}); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
		t.Errorf("negative estimate: %v", err)
	}
	if _, _, err := e.desk.CompleteTask(e.ctx, Bob, b1.ID, ""); err != nil {
		t.Fatal(err)
	}

	loads, err := e.desk.Loads(e.ctx, today)
	ok(t, err)
	slices.SortFunc(loads, func(a, b upgradebot.Load) int { return strings.Compare(a.User, b.User) })
	want := []upgradebot.Load{
		{User: "", Open: 1, Overdue: 1, Planned: time.Hour},
		{User: Alice, Open: 3, Overdue: 1, Planned: 330 * time.Minute, Unestimated: 1},
		{User: Bob}, // had work, none open: can be offered some
	}
	if !slices.Equal(loads, want) {
		t.Errorf("Loads =\n%+v\nwant\n%+v", loads, want)
	}
}

// testCleanupQueue: SetQueue stores a clean-up's queue and rate, audited;
// FindMaintenance and the digest read them back.
func testCleanupQueue(t *testing.T, e *env) {
	m := &upgradebot.Maintenance{Title: "Duplicate records", Every: upgradebot.Interval{N: 2, Unit: 'w'}, Assignee: Alice, Anchor: e.today().AddDays(-2)}
	_, err := e.desk.CreateMaintenance(e.ctx, Admin, m)
	ok(t, err)

	mark := e.lastAudit()
	got, err := e.desk.SetQueue(e.ctx, Alice, m.ID, 1240, 22)
	ok(t, err)
	if got.Queue != 1240 || got.Rate != 22 || got.QueueAt.IsZero() {
		t.Errorf("SetQueue returned %+v", got)
	}
	rows := e.wantActions(mark, "maintenance.queue")
	if r := rows[0]; r.Actor != Alice || r.EntityID != m.ID || !strings.Contains(r.After, `"queue":1240`) {
		t.Errorf("audit row %+v", r)
	}

	ms, err := e.desk.FindMaintenance(e.ctx)
	ok(t, err)
	if len(ms) != 1 || ms[0].Queue != 1240 || ms[0].Rate != 22 || ms[0].OpenTaskID == 0 {
		t.Errorf("FindMaintenance = %+v", ms)
	}
	d, err := e.desk.DigestData(e.ctx, e.clock.Now(), e.today(), 10)
	ok(t, err)
	if len(d.Cleanups) != 1 || d.Cleanups[0].Maintenance.Queue != 1240 {
		t.Errorf("digest clean-ups = %+v", d.Cleanups)
	}

	for _, bad := range []struct {
		id    int64
		queue int
		rate  float64
		code  string
	}{
		{m.ID, -1, 22, upgradebot.EINVALID},
		{m.ID, 10, 0, upgradebot.EINVALID},
		{m.ID + 99, 10, 1, upgradebot.ENOTFOUND},
	} {
		if _, err := e.desk.SetQueue(e.ctx, Alice, bad.id, bad.queue, bad.rate); upgradebot.ErrorCode(err) != bad.code {
			t.Errorf("SetQueue(%d, %d, %v) = %v, want %s", bad.id, bad.queue, bad.rate, err, bad.code)
		}
	}
}
