package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// inOneBatch runs calls concurrently so that write takes them into one
// transaction: it holds the write lock until all of them are queued.
func inOneBatch(t *testing.T, db *DB, calls ...func()) {
	t.Helper()
	if len(calls) > maxBatch {
		t.Fatalf("%d calls do not fit in one batch of %d", len(calls), maxBatch)
	}
	if err := db.lockWriter(t.Context()); err != nil {
		t.Fatal(err)
	}
	commits := db.commits.Load()
	var wg sync.WaitGroup
	for _, call := range calls {
		wg.Go(call)
	}
	for {
		db.queueMu.Lock()
		n := len(db.queue)
		db.queueMu.Unlock()
		if n == len(calls) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	db.unlockWriter()
	wg.Wait()
	if got := db.commits.Load() - commits; got > 1 {
		t.Errorf("the calls took %d commits, want one", got)
	}
}

// Concurrent writes share transactions: fewer commits than writes.
func TestGroupCommitGathers(t *testing.T) {
	db, _ := bootstrapped(t)
	commits, committed := db.commits.Load(), db.committed.Load()
	const n = 100
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := db.CreateTask(t.Context(), storetest.Bob, &upgradebot.Task{Title: fmt.Sprintf("Task %d", i), Assignee: storetest.Alice}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	txs, calls := db.commits.Load()-commits, db.committed.Load()-committed
	t.Logf("%d writes in %d commits", calls, txs)
	if calls != n || txs >= n {
		t.Errorf("%d writes in %d commits, want %d in fewer", calls, txs, n)
	}
}

// A call that makes SQLite roll the whole transaction back (here a trigger
// raising ROLLBACK; a full disk or an I/O error do the same) gets its error;
// the calls before it in the batch run again in a new transaction, those
// after it run there too, and each is committed once.
func TestGroupCommitLostTransaction(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	if _, err := db.db.ExecContext(ctx, `
		CREATE TRIGGER poison BEFORE INSERT ON tasks WHEN NEW.title = 'Poison'
		BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END`); err != nil {
		t.Fatal(err)
	}
	const n = 9
	errs := make([]error, n)
	runs := make([]int, n) // how often each fn ran
	var calls []func()
	for i := range n {
		calls = append(calls, func() {
			title := fmt.Sprintf("Task %d", i)
			if i == n/2 {
				title = "Poison"
			}
			errs[i] = db.write(ctx, "create task", func(tx *writeTx) error {
				runs[i]++
				return createTask(ctx, tx, storetest.Bob, &upgradebot.Task{Title: title, Assignee: storetest.Alice})
			})
		})
	}
	inOneBatch(t, db, calls...)
	for i, err := range errs {
		switch {
		case i == n/2:
			if err == nil || !strings.Contains(err.Error(), "poisoned") || !strings.HasPrefix(err.Error(), "store: create task: ") {
				t.Errorf("the poisoned call: %v", err)
			}
		case err != nil:
			t.Errorf("call %d: %v", i, err)
		}
	}
	// The ones before the poison ran twice, the rest once (queue order).
	t.Logf("runs: %v", runs)
	for i, r := range runs {
		if r < 1 || r > 2 {
			t.Errorf("call %d ran %d times", i, r)
		}
	}
	tasks, total, err := db.FindTasks(ctx, upgradebot.TaskFilter{})
	if err != nil || total != n-1 {
		t.Fatalf("%d tasks (%v), want %d", total, err, n-1)
	}
	for _, task := range tasks {
		if rows, err := db.FindAudit(ctx, upgradebot.AuditFilter{Entity: "task", EntityID: task.ID}); err != nil || len(rows) != 1 {
			t.Errorf("%q has %d audit rows (%v), want 1", task.Title, len(rows), err)
		}
	}
	counts, err := db.CountMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Each task's DM to Alice, and Bob's and Alice's App Home refreshes.
	if got := counts[upgradebot.MessagePending]; got != n-1+2 {
		t.Errorf("%d messages pending, want %d", got, n-1+2)
	}
}

// A panic in one call of a batch is raised in its caller's goroutine; its
// neighbours commit.
func TestGroupCommitPanic(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	var got any
	errs := make([]error, 2)
	inOneBatch(t, db,
		func() { errs[0] = db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Before"}) },
		func() {
			defer func() { got = recover() }()
			db.write(ctx, "panic", func(tx *writeTx) error {
				if err := insertNewTask(ctx, tx, storetest.Bob, &upgradebot.Task{Title: "Panicked"}); err != nil {
					return err
				}
				panic("boom")
			})
		},
		func() { errs[1] = db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "After"}) },
	)
	if p, ok := got.(*writePanic); !ok || p.value != "boom" || !strings.Contains(p.Error(), "batch_test.go") {
		t.Errorf("recovered %v, want the panic with its stack", got)
	}
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("neighbours: %v", errs)
	}
	tasks, _, err := db.FindTasks(ctx, upgradebot.TaskFilter{})
	if err != nil || len(tasks) != 2 || tasks[0].Title == "Panicked" || tasks[1].Title == "Panicked" {
		t.Errorf("tasks %v (%v), want Before and After", tasks, err)
	}
}

// Per-call state stays per call inside a batch: each call's own change id
// (undo takes back only the caller's change), its App Home refreshes, and
// its trigger, recorded once when two writes of one request share a batch.
func TestGroupCommitPerCall(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	a := &upgradebot.Task{Title: "Alice's", Assignee: storetest.Alice}
	b := &upgradebot.Task{Title: "Bob's", Assignee: storetest.Bob}
	for _, task := range []*upgradebot.Task{a, b} {
		if err := db.CreateTask(ctx, storetest.Admin, task); err != nil {
			t.Fatal(err)
		}
	}
	req, trigger := upgradebot.WithTrigger(ctx, "1.2.per-call")
	errs := make([]error, 3)
	inOneBatch(t, db,
		func() { _, _, errs[0] = db.CompleteTask(ctx, storetest.Alice, a.ID, "") },
		func() { _, errs[1] = db.AddTaskNote(req, storetest.Bob, b.ID, "first write of the request") },
		func() { _, errs[2] = db.AddTaskNote(req, storetest.Bob, b.ID, "second write of the request") },
	)
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if !trigger.Recorded() {
		t.Error("the request's trigger is not marked recorded")
	}
	if seen, err := db.TriggerSeen(ctx, trigger.ID); err != nil || !seen {
		t.Errorf("trigger seen %v (%v)", seen, err)
	}
	// Each audit row of the batch is a change of its own.
	rows, err := queryAll(ctx, db.db, func(s scanner) (string, error) {
		var action string
		var change *int64
		err := s.Scan(&action, &change)
		return fmt.Sprintf("%s:%v", action, change != nil), err
	}, `SELECT action, change_id FROM audit WHERE action IN ('task.done', 'task.note') ORDER BY action, id`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows, " "); got != "task.done:false task.note:false task.note:false" {
		t.Errorf("audit rows %s, want three changes of their own", got)
	}
	// Alice's undo takes back her change only.
	if _, err := db.UndoTaskChange(ctx, storetest.Alice); err != nil {
		t.Errorf("undo: %v", err)
	}
}

// A caller that gives up while queued is answered at once and nothing of
// it is written; one whose call is already in a transaction hears its
// outcome.
func TestGroupCommitCancelWhileQueued(t *testing.T) {
	db, _ := bootstrapped(t)
	if err := db.lockWriter(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Given up"}) }()
	for {
		db.queueMu.Lock()
		n := len(db.queue)
		db.queueMu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	err := <-errc
	db.unlockWriter()
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "store: create task: ") {
		t.Errorf("err = %v, want the operation's context.Canceled", err)
	}
	if _, n, err := db.FindTasks(t.Context(), upgradebot.TaskFilter{}); err != nil || n != 0 {
		t.Errorf("%d tasks (%v), want none", n, err)
	}
	if len(db.queue) != 0 {
		t.Errorf("%d calls left queued", len(db.queue))
	}
}
