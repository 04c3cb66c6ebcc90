package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testGroupCommit: many changes at once, some of them refused after they
// have written part of their change (a bulk add whose last task is bad, a
// bulk done whose last task is closed already, the second copy of a
// request), as a backend that gathers concurrent changes into one
// transaction meets them. Every change that succeeded is there, with its
// audit row and its message, as soon as its caller hears so; every refused
// one left nothing, and did not take its neighbours down with it.
func testGroupCommit(t *testing.T, e *env) {
	const rounds = 40 // each round starts one change of each kind below
	open := make([]*upgradebot.Task, 2*rounds)
	for i := range open {
		open[i] = e.createTask(Bob, &upgradebot.Task{Title: fmt.Sprintf("Target %d", i)})
	}
	closed := e.createTask(Bob, &upgradebot.Task{Title: "Closed already"})
	if _, _, err := e.desk.CompleteTask(e.ctx, Bob, closed.ID, ""); err != nil {
		t.Fatal(err)
	}
	amark, mmark := e.lastAudit(), e.lastMessage()

	type result struct {
		kind string
		i    int
		err  error
		task *upgradebot.Task // the task created or completed
	}
	var (
		mu      sync.Mutex
		results []result
		wg      sync.WaitGroup
	)
	start := make(chan struct{})
	run := func(kind string, i int, fn func() (*upgradebot.Task, error)) {
		wg.Go(func() {
			<-start
			task, err := fn()
			if err == nil && task != nil {
				// Answered only after the commit: another reader sees it.
				if got, ferr := e.desk.FindTaskByID(e.ctx, task.ID); ferr != nil || got.Title != task.Title || got.Status != task.Status {
					t.Errorf("%s %d: answered, but the store has %+v (%v)", kind, i, got, ferr)
				}
			}
			mu.Lock()
			results = append(results, result{kind, i, err, task})
			mu.Unlock()
		})
	}
	for i := range rounds {
		// Succeeds: a task for Alice, its audit row and her DM.
		run("add", i, func() (*upgradebot.Task, error) {
			task := &upgradebot.Task{Title: fmt.Sprintf("Batch add %d", i), Assignee: Alice}
			return task, e.desk.CreateTask(e.ctx, Bob, task)
		})
		// Refused (EINVALID) after two tasks of it were written.
		run("bulk add", i, func() (*upgradebot.Task, error) {
			return nil, e.desk.CreateTasks(e.ctx, Bob, []*upgradebot.Task{
				{Title: fmt.Sprintf("Doomed %d a", i), Assignee: Alice},
				{Title: fmt.Sprintf("Doomed %d b", i)},
				{Title: " "},
			})
		})
		// Succeeds.
		run("done", i, func() (*upgradebot.Task, error) {
			done, _, err := e.desk.CompleteTask(e.ctx, Alice, open[2*i].ID, "")
			return done, err
		})
		// Refused (ECONFLICT) after the first task was marked done.
		run("bulk done", i, func() (*upgradebot.Task, error) {
			_, _, err := e.desk.CompleteTasks(e.ctx, Alice, []int64{open[2*i+1].ID, closed.ID}, "")
			return nil, err
		})
		// Two copies of one request: one runs, the other is refused
		// (ECONFLICT) having written its task.
		for range 2 {
			run("copy", i, func() (*upgradebot.Task, error) {
				ctx, _ := upgradebot.WithTrigger(e.ctx, fmt.Sprintf("batch.%d", i))
				task := &upgradebot.Task{Title: fmt.Sprintf("Copied %d", i), Assignee: Bob}
				return task, e.desk.CreateTask(ctx, Alice, task)
			})
		}
	}
	close(start)
	wg.Wait()

	added := map[string]*upgradebot.Task{} // by title
	copies := map[int]int{}
	for _, r := range results {
		switch r.kind {
		case "add", "done":
			if r.err != nil {
				t.Errorf("%s %d: %v", r.kind, r.i, r.err)
				continue
			}
			if r.kind == "add" {
				added[r.task.Title] = r.task
			}
		case "bulk add":
			if upgradebot.ErrorCode(r.err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(r.err), "task 3 of 3") {
				t.Errorf("bulk add %d: %v, want its own EINVALID for task 3 of 3", r.i, r.err)
			}
		case "bulk done":
			if upgradebot.ErrorCode(r.err) != upgradebot.ECONFLICT || !strings.Contains(upgradebot.ErrorMessage(r.err), fmt.Sprintf("#%d", closed.ID)) {
				t.Errorf("bulk done %d: %v, want its own ECONFLICT naming #%d", r.i, r.err, closed.ID)
			}
		case "copy":
			switch {
			case r.err == nil:
				copies[r.i]++
				added[r.task.Title] = r.task
			case errors.Is(r.err, upgradebot.ErrAlreadyDone):
			default:
				t.Errorf("copy %d: %v, want success or ErrAlreadyDone", r.i, r.err)
			}
		}
	}
	for i := range rounds {
		if copies[i] != 1 {
			t.Errorf("copies of request batch.%d: %d ran, want 1", i, copies[i])
		}
	}

	// The tasks: every success, nothing of a refusal.
	tasks, _ := e.findTasks(upgradebot.TaskFilter{})
	byID := map[int64]*upgradebot.Task{}
	for _, task := range tasks {
		byID[task.ID] = task
		if strings.HasPrefix(task.Title, "Doomed") {
			t.Errorf("refused bulk add left task #%d %q", task.ID, task.Title)
		}
	}
	for title, want := range added {
		if got := byID[want.ID]; got == nil || got.Title != title {
			t.Errorf("%q was answered as #%d, the store has %+v", title, want.ID, got)
		}
	}
	if want := 2*rounds + 1 + 2*rounds; len(tasks) != want {
		t.Errorf("%d tasks, want %d (targets, the closed one, the adds and one of each copy)", len(tasks), want)
	}
	for i := range rounds {
		if got := byID[open[2*i].ID].Status; got != upgradebot.StatusDone {
			t.Errorf("Target %d is %s, want done", 2*i, got)
		}
		if got := byID[open[2*i+1].ID].Status; got != upgradebot.StatusOpen {
			t.Errorf("Target %d is %s after a refused bulk done, want open", 2*i+1, got)
		}
	}

	// The audit trail: one row for each success, none for a refusal.
	rows := map[string]int{}
	for _, r := range e.newAudit(amark) {
		task := byID[r.EntityID]
		switch {
		case r.Entity != "task":
			t.Errorf("unexpected audit row %s %s #%d", r.Action, r.Entity, r.EntityID)
		case strings.Contains(r.After, "Doomed"):
			t.Errorf("a refused bulk add left audit row %d", r.ID)
		case task == nil:
			t.Errorf("audit row %d (%s) is about #%d, which is not stored", r.ID, r.Action, r.EntityID)
		default:
			rows[r.Action+" "+task.Title]++
		}
	}
	for title := range added {
		if rows["task.add "+title] != 1 {
			t.Errorf("%q has %d task.add rows, want 1", title, rows["task.add "+title])
		}
	}
	for i := range rounds {
		if n := rows[fmt.Sprintf("task.done Target %d", 2*i)]; n != 1 {
			t.Errorf("Target %d has %d task.done rows, want 1", 2*i, n)
		}
		if n := rows[fmt.Sprintf("task.done Target %d", 2*i+1)]; n != 0 {
			t.Errorf("Target %d has %d task.done rows after a refused bulk done, want 0", 2*i+1, n)
		}
	}
	if len(rows) != len(added)+rounds {
		t.Errorf("%d audited changes, want %d: %v", len(rows), len(added)+rounds, rows)
	}

	// The messages: each add's and each copy's DM, once; nothing else.
	want := map[string]string{} // the DM's recipient and text → the task's title
	for title, task := range added {
		by := Bob
		if strings.HasPrefix(title, "Copied") {
			by = Alice
		}
		m := upgradebot.AssignedMessage(task, by, e.today())
		want[m.To+" "+m.Text] = title
	}
	dms := map[string]int{}
	for _, m := range e.newMessages(mmark) {
		title, found := want[m.To+" "+m.Text]
		if !found {
			t.Errorf("unexpected message to %s: %q", m.To, m.Text)
			continue
		}
		dms[title]++
	}
	for title, task := range added {
		if dms[title] != 1 {
			t.Errorf("%q (for %s): %d DMs, want 1", title, task.Assignee, dms[title])
		}
	}
}
