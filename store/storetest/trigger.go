package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testTriggers: the first write of a Slack request records its trigger_id
// in the same transaction, and later writes of the same request go ahead;
// the same request arriving again changes nothing and gets ErrAlreadyDone,
// even when both race. A refused write records nothing, nor does
// remembering display names, which a request may repeat; RecordTrigger
// records a request that wrote nothing.
func testTriggers(t *testing.T, e *env) {
	seen := func(id string) bool {
		t.Helper()
		got, err := e.desk.TriggerSeen(e.ctx, id)
		ok(t, err)
		return got
	}
	state := func() string {
		_, tasks := e.findTasks(upgradebot.TaskFilter{})
		return fmt.Sprintf("tasks=%d pending=%d audit=%d", tasks, len(e.pending(0)), len(e.newAudit(0)))
	}
	ctx, first := upgradebot.WithTrigger(e.ctx, "1234.5678.add")
	if upgradebot.TriggerFrom(ctx) != first || upgradebot.TriggerFrom(e.ctx) != nil {
		t.Fatal("TriggerFrom does not return the request's trigger")
	}
	if seen(first.ID) {
		t.Fatal("a new trigger is seen")
	}
	task := e.createTaskCtx(ctx, Alice, &upgradebot.Task{Title: "Rebuild order sets", Assignee: Bob})
	if !first.Recorded() || !seen(first.ID) {
		t.Fatalf("after the request's first change: recorded %v, seen %v", first.Recorded(), seen(first.ID))
	}
	// Another write of the same request goes ahead.
	if _, err := e.desk.AddTaskNote(ctx, Alice, task.ID, "second write of one request"); err != nil {
		t.Fatalf("a second write of the same request: %v", err)
	}

	// The same request arrives again: nothing changes.
	before := state()
	again, replay := upgradebot.WithTrigger(e.ctx, first.ID)
	err := e.desk.CreateTask(again, Alice, &upgradebot.Task{Title: "Rebuild order sets", Assignee: Bob})
	if !errors.Is(err, upgradebot.ErrAlreadyDone) {
		t.Fatalf("the replay's write: %v, want ErrAlreadyDone", err)
	}
	wantErr(t, err, upgradebot.ECONFLICT, "Already done")
	if replay.Recorded() {
		t.Error("the replay's trigger is marked recorded")
	}
	if got := state(); got != before {
		t.Errorf("the replay changed tasks, outbox or audit: %q, was %q", got, before)
	}
	if err := e.desk.RecordTrigger(again); !errors.Is(err, upgradebot.ErrAlreadyDone) {
		t.Errorf("RecordTrigger for the replay: %v, want ErrAlreadyDone", err)
	}

	// A refused write records nothing, nor does remembering names; the
	// same names from a request arriving again are no refusal.
	ctx, refused := upgradebot.WithTrigger(e.ctx, "1234.5678.refused")
	wantErr(t, e.desk.CreateTask(ctx, Alice, &upgradebot.Task{Title: ""}), upgradebot.EINVALID)
	ok(t, e.desk.RememberPeople(ctx, []upgradebot.Person{{ID: Alice, Name: "alice"}}))
	if refused.Recorded() || seen(refused.ID) {
		t.Error("a request that wrote nothing was recorded")
	}
	ok(t, e.desk.RememberPeople(again, []upgradebot.Person{{ID: Alice, Name: "alice"}}))
	ok(t, e.desk.RecordTrigger(ctx))
	if !refused.Recorded() || !seen(refused.ID) {
		t.Error("RecordTrigger did not record the request")
	}
	ok(t, e.desk.RecordTrigger(ctx)) // recorded already by this request: nothing to do
	ok(t, e.desk.RecordTrigger(e.ctx))
	bad, _ := upgradebot.WithTrigger(e.ctx, "")
	wantErr(t, e.desk.RecordTrigger(bad), upgradebot.EINVALID)

	// Racing copies of one request: one runs.
	before = state()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var done, refusedN int
	for range 6 {
		wg.Go(func() {
			ctx, _ := upgradebot.WithTrigger(e.ctx, "1234.5678.race")
			err := e.desk.CreateTask(ctx, Alice, &upgradebot.Task{Title: "Raced", Assignee: Bob})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				done++
			case errors.Is(err, upgradebot.ErrAlreadyDone):
				refusedN++
			default:
				t.Errorf("racing write: %v", err)
			}
		})
	}
	wg.Wait()
	if done != 1 || refusedN != 5 {
		t.Errorf("racing copies: %d ran, %d refused; want 1 and 5", done, refusedN)
	}
	if _, n := e.findTasks(upgradebot.TaskFilter{}); n != 2 {
		t.Errorf("%d tasks after the race, want 2 (before: %s)", n, before)
	}
}

func (e *env) createTaskCtx(ctx context.Context, actor string, t *upgradebot.Task) *upgradebot.Task {
	e.t.Helper()
	if err := e.desk.CreateTask(ctx, actor, t); err != nil {
		e.t.Fatalf("CreateTask(%q): %v", t.Title, err)
	}
	return t
}

// testForgetSlackRequests: the records of triggers and events received
// before the cut-off are deleted, and counted; later ones are kept. A
// forgotten event id can be recorded again. Forgetting writes no audit row.
func testForgetSlackRequests(t *testing.T, e *env) {
	old, _ := upgradebot.WithTrigger(e.ctx, "1111.old")
	ok(t, e.desk.RecordTrigger(old))
	first, err := e.desk.RecordEvent(e.ctx, "EvOld", nil)
	ok(t, err)
	if !first {
		t.Fatal("a new event is a duplicate")
	}
	e.clock.Advance(upgradebot.SlackRequestsKept + time.Hour)
	recent, _ := upgradebot.WithTrigger(e.ctx, "2222.recent")
	ok(t, e.desk.RecordTrigger(recent))
	_, err = e.desk.RecordEvent(e.ctx, "EvRecent", nil)
	ok(t, err)
	audit := len(e.newAudit(0))

	n, err := e.desk.ForgetSlackRequests(e.ctx, e.clock.Now().Add(-upgradebot.SlackRequestsKept))
	ok(t, err)
	if n != 2 {
		t.Errorf("forgot %d records, want the old trigger and the old event", n)
	}
	for id, want := range map[string]bool{"1111.old": false, "2222.recent": true} {
		if seen, err := e.desk.TriggerSeen(e.ctx, id); err != nil || seen != want {
			t.Errorf("trigger %s seen %v (%v), want %v", id, seen, err, want)
		}
	}
	if again, err := e.desk.RecordEvent(e.ctx, "EvRecent", nil); err != nil || again {
		t.Errorf("the recent event recorded again: %v %v", again, err)
	}
	if again, err := e.desk.RecordEvent(e.ctx, "EvOld", nil); err != nil || !again {
		t.Errorf("the forgotten event could not be recorded again: %v %v", again, err)
	}
	if got := len(e.newAudit(0)); got != audit {
		t.Errorf("forgetting wrote %d audit rows", got-audit)
	}
	if n, err := e.desk.ForgetSlackRequests(e.ctx, e.clock.Now().Add(-upgradebot.SlackRequestsKept)); err != nil || n != 0 {
		t.Errorf("forgetting again: %d, %v", n, err)
	}
}
