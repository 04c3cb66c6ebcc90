package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testWorkloadWeeks: RecordWorkloadWeek snapshots the week's loads, a
// re-recording refreshes them without doubling anything, writes no audit
// row and queues nothing; DigestData names whoever was over the threshold
// in this week's snapshot and the one before, with the streak and this
// week's load, within the digest's limit.
func testWorkloadWeeks(t *testing.T, e *env) {
	lim := upgradebot.WorkloadLimits{Hours: 40, Tasks: 2} // more than 2 open tasks is over
	first := e.today()                                    // Thursday 26 November 2026
	week := func(n int) upgradebot.Date { return first.AddDays(7 * n) }

	var alices []*upgradebot.Task
	for i := range 3 {
		alices = append(alices, e.createTask(Admin, &upgradebot.Task{Title: fmt.Sprintf("Alice %d", i), Assignee: Alice,
			Estimate: 90 * time.Minute, Due: first.AddDays(3)}))
	}
	e.createTask(Admin, &upgradebot.Task{Title: "Bob 0", Assignee: Bob})

	// record records the snapshot of day's week at 08:00 that day.
	record := func(day upgradebot.Date) {
		t.Helper()
		e.clock.Set(day.Time(NewYork).Add(8 * time.Hour))
		ok(t, e.desk.RecordWorkloadWeek(e.ctx, day, lim))
	}
	// named checks who the digest of day names, and with what streak.
	named := func(day upgradebot.Date, limit int, total int, want ...string) []upgradebot.Overloaded {
		t.Helper()
		d, err := e.desk.DigestData(e.ctx, day.Time(NewYork).Add(8*time.Hour), day, limit)
		ok(t, err)
		var got []string
		for _, o := range d.Overloaded {
			got = append(got, fmt.Sprintf("%s %dw", o.User, o.Weeks))
		}
		if !slices.Equal(got, want) || d.OverloadedTotal != total {
			t.Errorf("%s: named %q of %d, want %q of %d", day, got, d.OverloadedTotal, want, total)
		}
		return d.Overloaded
	}

	// Week 0: Alice is over, for the first week.
	audit, msgs := e.lastAudit(), e.lastMessage()
	record(first)
	record(first) // a re-run
	named(first, 10, 0)

	// Week 1: the second week running; recording again changes nothing.
	record(week(1))
	got := named(week(1), 10, 1, Alice+" 2w")
	record(week(1).AddDays(1))
	record(week(1).AddDays(1))
	if again := named(week(1).AddDays(1), 10, 1, Alice+" 2w"); len(got) == 1 && len(again) == 1 {
		// This week's load as recorded; the tasks are overdue by Friday.
		want := upgradebot.Overloaded{Load: upgradebot.Load{User: Alice, Open: 3, Overdue: 3, Planned: 270 * time.Minute}, Weeks: 2}
		if again[0] != want {
			t.Errorf("named %+v, want %+v", again[0], want)
		}
	}
	e.wantActions(audit) // derived data: not audited
	if m := e.newMessages(msgs); len(m) != 0 {
		t.Errorf("recording queued %d messages", len(m))
	}

	// Still in week 1, Alice hands a task to Bob: a refresh of the week
	// finds nobody over (two tasks each).
	_, err := e.desk.AssignTask(e.ctx, Admin, alices[0].ID, Bob)
	ok(t, err)
	record(week(1).AddDays(2))
	named(week(1).AddDays(2), 10, 0)

	// Week 2: over again, but under last week: not named.
	_, err = e.desk.AssignTask(e.ctx, Admin, alices[0].ID, Alice)
	ok(t, err)
	record(week(2))
	named(week(2), 10, 0)

	// Week 3: two weeks running again. Bob is over for the first week.
	e.createTask(Admin, &upgradebot.Task{Title: "Bob 1", Assignee: Bob})
	e.createTask(Admin, &upgradebot.Task{Title: "Bob 2", Assignee: Bob})
	record(week(3))
	named(week(3), 10, 1, Alice+" 2w")

	// Week 4: Alice three weeks running, Bob two: the longest streak
	// first, and the limit holds with the total.
	record(week(4))
	named(week(4), 10, 2, Alice+" 3w", Bob+" 2w")
	named(week(4), 1, 2, Alice+" 3w")

	// A week nobody recorded breaks the streak.
	named(week(6), 10, 0)
	record(week(6))
	named(week(6), 10, 0)

	// The snapshot is of the limits given: with a higher threshold
	// nobody is over this week.
	record(week(7))
	named(week(7), 10, 2, Alice+" 2w", Bob+" 2w")
	ok(t, e.desk.RecordWorkloadWeek(e.ctx, week(7), upgradebot.WorkloadLimits{Tasks: 10}))
	named(week(7), 10, 0)

	wantErr(t, e.desk.RecordWorkloadWeek(e.ctx, upgradebot.Date{}, lim), upgradebot.EINVALID)
}
