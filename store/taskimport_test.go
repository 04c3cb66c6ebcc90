package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// importTasks makes n open tasks with refs R1…Rn, the ones from the
// from-th on (1-based) in release key.
func importTasks(n, from int, key string) []*upgradebot.Task {
	tasks := make([]*upgradebot.Task, n)
	for i := range tasks {
		tasks[i] = &upgradebot.Task{Title: fmt.Sprintf("Imported %d", i+1), Ref: fmt.Sprintf("R%d", i+1), Assignee: storetest.Alice}
		if i+1 >= from {
			tasks[i].Release = key
		}
	}
	return tasks
}

// A dry run only reads: it finishes while another process holds SQLite's
// write lock and this process's writers are held up too.
func TestImportDryRunTakesNoWriteLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upgradebot.db")
	clock := upgradebot.NewFakeClock(storetest.Start)
	db, other := mustOpenPath(t, path, clock), mustOpenPath(t, path, clock)
	if err := db.Bootstrap(t.Context(), storetest.Channel, storetest.TimeZone, []string{storetest.Admin}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateTask(t.Context(), storetest.Bob, &upgradebot.Task{Title: "Already here", Ref: "R2"}); err != nil {
		t.Fatal(err)
	}
	locked, err := other.db.BeginTx(t.Context(), nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Rollback()
	if err := db.lockWriter(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer db.unlockWriter()

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	res, err := db.ImportTasks(ctx, storetest.Admin, importTasks(1200, 0, ""), upgradebot.ImportOptions{DryRun: true})
	if err != nil {
		t.Fatalf("dry run with the write lock held elsewhere: %v", err)
	}
	if len(res.Created) != 1199 || len(res.Skipped) != 1 || res.Created[0].ID != 2 || res.Created[1198].ID != 1200 {
		t.Errorf("dry run: %d created (ids %d…), %d skipped; want 1199 with ids 2…1200 and R2 skipped",
			len(res.Created), res.Created[0].ID, len(res.Skipped))
	}
	// A refusal is found without the lock too.
	bad := importTasks(3, 3, "nope")
	if _, err := db.ImportTasks(ctx, storetest.Admin, bad, upgradebot.ImportOptions{DryRun: true}); upgradebot.ErrorCode(err) != upgradebot.ENOTFOUND ||
		!strings.Contains(upgradebot.ErrorMessage(err), "task 3 of 3 (ref R3): No release with key nope") {
		t.Errorf("dry run of a bad task: %v", err)
	}
}

// A real import writes in chunks of importChunk tasks (500 here), one commit each,
// whose audit rows are one change; a change made between two chunks that
// makes a later one fail leaves the earlier chunks and says how far the
// import got.
func TestImportChunks(t *testing.T) {
	defer func(n int, d, p time.Duration) { importChunk, importChunkTime, importPause = n, d, p }(importChunk, importChunkTime, importPause)
	importChunk, importChunkTime, importPause = 500, time.Hour, 0
	ctx := t.Context()
	db, _ := bootstrapped(t)
	if err := db.CreateRelease(ctx, storetest.Admin, &upgradebot.Release{Key: "medcore-2027", Vendor: "MedCore", Name: "2027", GA: upgradebot.DateOf(storetest.Start).AddDays(90)}); err != nil {
		t.Fatal(err)
	}

	const n = 1100
	commits := db.commits.Load()
	var calls []string
	res, err := db.ImportTasks(ctx, storetest.Admin, importTasks(n, 0, ""), upgradebot.ImportOptions{
		Progress: func(done, total int) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) },
	})
	if err != nil || len(res.Created) != n {
		t.Fatalf("import: %d created, %v", len(res.Created), err)
	}
	if got := db.commits.Load() - commits; got != 3 {
		t.Errorf("%d commits for %d tasks, want 3 chunks", got, n)
	}
	if got := strings.Join(calls, " "); got != "0/1100 500/1100 1000/1100 1100/1100" {
		t.Errorf("progress calls %s", got)
	}
	var changes int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT COALESCE(change_id, id)) FROM audit WHERE action = 'task.import'`).Scan(&changes); err != nil || changes != 1 {
		t.Errorf("the import's audit rows are %d changes (%v), want one", changes, err)
	}

	// The release of the second chunk's tasks goes between two chunks.
	more := importTasks(n, 700, "medcore-2027")
	for _, task := range more {
		task.Ref = "N" + task.Ref
	}
	res, err = db.ImportTasks(ctx, storetest.Admin, more, upgradebot.ImportOptions{
		Progress: func(done, total int) {
			if done == 500 {
				if _, err := db.db.ExecContext(ctx, `DELETE FROM releases WHERE key = 'medcore-2027'`); err != nil {
					t.Error(err)
				}
			}
		},
	})
	if upgradebot.ErrorCode(err) != upgradebot.ENOTFOUND || upgradebot.ErrorMessage(err) !=
		"Tasks 1-500 of 1100 were imported; then task 700 of 1100 (ref NR700): No release with key medcore-2027. `/upgrade releases` lists them.\n"+
			"The rest was not imported; importing the file again skips the refs already there." {
		t.Errorf("err = %v", err)
	}
	if len(res.Created) != 500 {
		t.Errorf("the result has %d created, want the first chunk's 500", len(res.Created))
	}
	if _, total, err := db.FindTasks(ctx, upgradebot.TaskFilter{Words: []string{"NR"}}); err != nil || total != 500 {
		t.Errorf("%d tasks of the failed import stored (%v), want 500", total, err)
	}
}

// An import of more than maxImportTasks tasks is refused before anything
// is read.
func TestImportTooLarge(t *testing.T) {
	db, _ := bootstrapped(t)
	tasks := make([]*upgradebot.Task, maxImportTasks+1)
	_, err := db.ImportTasks(t.Context(), storetest.Admin, tasks, upgradebot.ImportOptions{DryRun: true})
	if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(err), "200001 tasks are more than one import takes (200000)") {
		t.Errorf("err = %v", err)
	}
}
