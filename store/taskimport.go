package store

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/upgradebot/upgradebot"
)

// importProgressEvery is how many tasks a check goes through between two
// progress calls; storing calls it after each chunk.
const importProgressEvery = 250

// maxImportTasks is the most tasks one import takes. A larger file is
// refused as a whole: split it (every import skips the refs already there).
const maxImportTasks = 200_000

// An import stores its tasks a chunk at a time, each chunk one write
// transaction of at most importChunk tasks that stops taking more once it
// has run for importChunkTime, and pauses importPause between two chunks.
// Within a process, writes queue in order (see DB.write) and wait for at
// most one chunk. A `serve` process waiting on SQLite's lock polls it on
// busy_timeout's back-off, at most 100 ms apart, so a pause longer than
// that lets every waiting writer in: a command waits at most about
// importChunkTime plus 100 ms, well within Slack's 3 seconds, and the
// import writes about half the time (see docs/benchmarks.md).
var (
	importChunk     = 2000
	importChunkTime = 200 * time.Millisecond
	importPause     = 150 * time.Millisecond
)

// ImportTasks stores tasks keyed by ref: open tasks with new refs are
// created and audited as task.import, closed ones with new refs are left
// out, refs that exist are skipped or, with opts.Update, their tasks
// changed as importer.task says.
//
// It first checks every task in a read-only transaction, taking no write
// lock, and refuses the whole import, naming every bad task, if any is; a
// dry run stops there. Then it stores the tasks in chunks, a write
// transaction each, pausing between them, so that other writers go on
// meanwhile (see importChunk). Each chunk is stored whole or not at all. If a change made
// meanwhile makes a chunk fail (its release removed, say), the chunks
// before it stay and the error says how far the import got; importing the
// file again skips what is there. The chunks' audit rows are one change,
// as the import is.
func (db *DB) ImportTasks(ctx context.Context, actor string, tasks []*upgradebot.Task, opts upgradebot.ImportOptions) (upgradebot.ImportResult, error) {
	if len(tasks) > maxImportTasks {
		return upgradebot.ImportResult{}, upgradebot.Errorf(upgradebot.EINVALID,
			"%d tasks are more than one import takes (%d); split the file, and import the parts one after the other.", len(tasks), maxImportTasks)
	}
	if err := requireActor(actor); err != nil {
		return upgradebot.ImportResult{}, err
	}
	// Partners do not import: what comes in is the team's to triage.
	if partner, err := isPartner(ctx, db.db, actor); err != nil {
		return upgradebot.ImportResult{}, wrap("import tasks", err)
	} else if partner {
		s, err := db.Settings(ctx)
		if err != nil {
			return upgradebot.ImportResult{}, err
		}
		return upgradebot.ImportResult{}, upgradebot.PartnerRefusal("import tasks", s.TeamDoesRest())
	}
	dup := repeatedRefs(tasks)
	checked, err := db.checkImport(ctx, actor, tasks, dup, opts)
	if err != nil || opts.DryRun {
		return checked, err
	}

	var res upgradebot.ImportResult
	var change int64 // the first chunk's: the import is one change
	if opts.Progress != nil {
		opts.Progress(0, len(tasks))
	}
	for from := 0; from < len(tasks); {
		if from > 0 && importPause > 0 {
			select {
			case <-time.After(importPause):
			case <-ctx.Done():
			}
		}
		var part upgradebot.ImportResult
		var partChange int64
		next := from
		err := db.write(ctx, "import tasks", func(tx *writeTx) error {
			part, tx.change = upgradebot.ImportResult{}, change
			var full atomic.Bool
			timer := time.AfterFunc(importChunkTime, func() { full.Store(true) })
			defer timer.Stop()
			im := importer{actor: actor, update: opts.Update, q: tx, tx: tx}
			i := from
			for ; i < len(tasks) && i-from < importChunk && (i == from || !full.Load()); i++ {
				if err := ctx.Err(); err != nil { // given up: stop early
					return err
				}
				if err := im.task(ctx, tasks[i], dup[i], &part); err != nil {
					if code := upgradebot.ErrorCode(err); code != upgradebot.EINTERNAL {
						return upgradebot.Errorf(code, "task %d of %d%s: %s", i+1, len(tasks), refNote(tasks[i].Ref), upgradebot.ErrorMessage(err))
					}
					return err
				}
			}
			next, partChange = i, tx.change
			return nil
		})
		if err != nil {
			if from == 0 {
				return upgradebot.ImportResult{}, err
			}
			if code := upgradebot.ErrorCode(err); code != upgradebot.EINTERNAL {
				return res, upgradebot.Errorf(code, "Tasks 1-%d of %d were imported; then %s\nThe rest was not imported; importing the file again skips the refs already there.",
					from, len(tasks), upgradebot.ErrorMessage(err))
			}
			return res, fmt.Errorf("%w (tasks 1-%d of %d were imported, the rest was not)", err, from, len(tasks))
		}
		if change == 0 {
			change = partChange
		}
		res.Created = append(res.Created, part.Created...)
		res.Updated = append(res.Updated, part.Updated...)
		res.Skipped = append(res.Skipped, part.Skipped...)
		res.Closed = append(res.Closed, part.Closed...)
		from = next
		if opts.Progress != nil {
			opts.Progress(from, len(tasks))
		}
	}
	return res, nil
}

// repeatedRefs trims each task's ref and reports, for each task, whether an
// earlier task of the import has the same ref.
func repeatedRefs(tasks []*upgradebot.Task) []bool {
	seen := make(map[string]bool, len(tasks))
	dup := make([]bool, len(tasks))
	for i, t := range tasks {
		t.Ref = strings.TrimSpace(t.Ref)
		dup[i] = t.Ref != "" && seen[t.Ref]
		seen[t.Ref] = true
	}
	return dup
}

// checkImport runs the import in a read-only transaction, writing nothing:
// the result says what it would do (new tasks with the ids they would get
// if nothing else were written meanwhile), or the error names every task
// that cannot be imported. A dry run reports its progress here.
func (db *DB) checkImport(ctx context.Context, actor string, tasks []*upgradebot.Task, dup []bool, opts upgradebot.ImportOptions) (upgradebot.ImportResult, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return upgradebot.ImportResult{}, wrap("import tasks", err)
	}
	defer tx.Rollback()
	im := importer{actor: actor, update: opts.Update, q: tx, now: db.clock.Now().UTC()}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM tasks`).Scan(&im.nextID); err != nil {
		return upgradebot.ImportResult{}, wrap("import tasks", err)
	}
	var res upgradebot.ImportResult
	var problems []string
	code := ""
	for i, t := range tasks {
		if opts.DryRun && opts.Progress != nil && i%importProgressEvery == 0 {
			opts.Progress(i, len(tasks))
		}
		if err := im.task(ctx, t, dup[i], &res); err != nil {
			if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
				return upgradebot.ImportResult{}, wrap("import tasks", err)
			}
			// A refused task changes nothing: go on, to report every one.
			if code == "" {
				code = upgradebot.ErrorCode(err)
			}
			problems = append(problems, fmt.Sprintf("task %d of %d%s: %s", i+1, len(tasks), refNote(t.Ref), upgradebot.ErrorMessage(err)))
		}
	}
	if len(problems) > 0 {
		return upgradebot.ImportResult{}, importError(code, problems)
	}
	if opts.DryRun && opts.Progress != nil {
		opts.Progress(len(tasks), len(tasks))
	}
	return res, nil
}

// importer stores the tasks of an import, or with no tx only checks them.
type importer struct {
	actor  string
	update bool
	q      queryer
	tx     *writeTx // nil: check, reading through q and writing nothing

	// Checking only: the moment the changes are made at, and the id the
	// next new task would get.
	now    time.Time
	nextID int64
}

// task stores one task of an import and files it in res. A ref seen
// earlier in the import (dup) is skipped. A new ref is created if the task
// is open and left out if it is closed. A ref that is some tasks' is
// skipped, or with update each of its open tasks is closed as the import's
// task is (done or cancelled), or else given its due date if it has
// another one. Checking, it refuses what storing would and fills in res
// as storing would, writing nothing.
func (im *importer) task(ctx context.Context, t *upgradebot.Task, dup bool, res *upgradebot.ImportResult) error {
	if t.Ref == "" {
		return upgradebot.Errorf(upgradebot.EINVALID, "no ref; an imported task needs its ticket number")
	}
	switch t.Status {
	case "", upgradebot.StatusOpen, upgradebot.StatusDone, upgradebot.StatusCancelled:
	default:
		return upgradebot.Errorf(upgradebot.EINVALID, "status %q is not open, done or cancelled", t.Status)
	}
	closed := t.Status == upgradebot.StatusDone || t.Status == upgradebot.StatusCancelled
	if dup {
		res.Skipped = append(res.Skipped, t)
		return nil
	}
	ids, err := taskIDsByRef(ctx, im.q, t.Ref)
	if err != nil {
		return err
	}
	switch {
	case len(ids) == 0 && closed:
		res.Closed = append(res.Closed, t)
		return nil
	case len(ids) == 0:
		if err := im.create(ctx, t); err != nil {
			return err
		}
		res.Created = append(res.Created, t)
		return nil
	case !im.update:
		res.Skipped = append(res.Skipped, t)
		return nil
	}
	n := len(res.Updated)
	for _, id := range ids {
		cur, err := findTaskByID(ctx, im.q, id)
		if err != nil {
			return err
		}
		if cur.Status != upgradebot.StatusOpen {
			continue // closed here: not reopened
		}
		var after *upgradebot.Task
		switch {
		case closed:
			// A clean-up's occurrence has no ref, so no next one is due.
			if after, err = im.close(ctx, cur, t); err != nil {
				return err
			}
		case !t.Due.IsZero() && t.Due != cur.Due:
			if after, err = im.setDue(ctx, cur, t.Due); err != nil {
				return err
			}
		default:
			continue
		}
		res.Updated = append(res.Updated, upgradebot.ImportUpdate{Before: cur, After: after})
	}
	if len(res.Updated) == n {
		res.Skipped = append(res.Skipped, t)
	}
	return nil
}

// create stores t as a new task, or checks it and gives it the id and
// times it would have.
func (im *importer) create(ctx context.Context, t *upgradebot.Task) error {
	if im.tx != nil {
		return insertNewTaskAs(ctx, im.tx, im.actor, "task.import", t)
	}
	if _, err := checkNewTask(ctx, im.q, im.actor, t); err != nil {
		return err
	}
	t.ID, im.nextID = im.nextID, im.nextID+1
	t.CreatedBy, t.CreatedAt, t.UpdatedAt = im.actor, im.now, im.now
	t.ClosedBy, t.ClosedAt = "", time.Time{}
	return nil
}

// close closes the open task cur as the import's t is closed, with a note
// saying why (checking: returns it as it would be).
func (im *importer) close(ctx context.Context, cur, t *upgradebot.Task) (*upgradebot.Task, error) {
	note := fmt.Sprintf("Closed by an import: ticket %s is %s in the ticket system.", t.Ref, t.Status)
	if im.tx != nil {
		return closeTask(ctx, im.tx, im.actor, cur.ID, t.Status, note)
	}
	if err := upgradebot.ValidateText("note", note); err != nil {
		return nil, err
	}
	after := *cur
	after.Status, after.ClosedBy, after.ClosedAt, after.UpdatedAt = t.Status, im.actor, im.now, im.now
	return &after, nil
}

// setDue moves the open task cur's due date (checking: returns it as it
// would be).
func (im *importer) setDue(ctx context.Context, cur *upgradebot.Task, due upgradebot.Date) (*upgradebot.Task, error) {
	if im.tx != nil {
		return setTaskDue(ctx, im.tx, im.actor, cur.ID, due)
	}
	if err := occurrenceDayFree(ctx, im.q, cur, due); err != nil {
		return nil, err
	}
	after := *cur
	after.Due, after.UpdatedAt = due, im.now
	return &after, nil
}

// maxImportProblems is how many refused tasks an import's error names.
const maxImportProblems = 50

// importError reports the refused tasks of an import, with the code of the
// first: one as it is, several one a line.
func importError(code string, problems []string) error {
	if len(problems) == 1 {
		return upgradebot.Errorf(code, "%s", problems[0])
	}
	msg := fmt.Sprintf("%d tasks cannot be imported, so none is:", len(problems))
	for _, p := range problems[:min(len(problems), maxImportProblems)] {
		msg += "\n  " + p
	}
	if len(problems) > maxImportProblems {
		msg += fmt.Sprintf("\n  and %d more", len(problems)-maxImportProblems)
	}
	return upgradebot.Errorf(code, "%s", msg)
}

// refNote names a ref in an error about an import's task.
func refNote(ref string) string {
	if ref = strings.TrimSpace(ref); ref == "" {
		return ""
	}
	return " (ref " + ref + ")"
}

// taskIDsByRef returns the ids of the tasks with ref, oldest first.
func taskIDsByRef(ctx context.Context, q queryer, ref string) ([]int64, error) {
	ids, err := queryAll(ctx, q, func(s scanner) (int64, error) {
		var id int64
		err := s.Scan(&id)
		return id, err
	}, `SELECT id FROM tasks WHERE ref = ? ORDER BY id`, ref)
	if err != nil {
		return nil, fmt.Errorf("find ref %s: %w", ref, err)
	}
	return ids, nil
}
