package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// importProgressEvery is how many tasks go by between two progress calls.
const importProgressEvery = 250

// ImportTasks stores tasks keyed by ref in one transaction: open tasks with
// new refs are created and audited as task.import, closed ones with new
// refs are left out, refs that exist are skipped or, with opts.Update,
// their tasks changed as importTask says. On a dry run the transaction is
// rolled back.
func (db *DB) ImportTasks(ctx context.Context, actor string, tasks []*upgradebot.Task, opts upgradebot.ImportOptions) (upgradebot.ImportResult, error) {
	var res upgradebot.ImportResult
	err := db.write(ctx, "import tasks", func(tx *writeTx) error {
		if err := requireMember(ctx, tx, actor, "import tasks"); err != nil {
			return err
		}
		seen := make(map[string]bool, len(tasks))
		var problems []string
		code := ""
		for i, t := range tasks {
			if opts.Progress != nil && i%importProgressEvery == 0 {
				opts.Progress(i, len(tasks))
			}
			if err := importTask(ctx, tx, actor, t, opts.Update, seen, &res); err != nil {
				if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
					return err
				}
				// A refused task wrote nothing: go on, to report every one.
				if code == "" {
					code = upgradebot.ErrorCode(err)
				}
				problems = append(problems, fmt.Sprintf("task %d of %d%s: %s", i+1, len(tasks), refNote(t.Ref), upgradebot.ErrorMessage(err)))
			}
		}
		if len(problems) > 0 {
			return importError(code, problems)
		}
		if opts.Progress != nil {
			opts.Progress(len(tasks), len(tasks))
		}
		if opts.DryRun {
			return errRollback
		}
		return nil
	})
	if err != nil {
		return upgradebot.ImportResult{}, err
	}
	return res, nil
}

// importTask stores one task of an import and files it in res. A ref seen
// earlier in the import is skipped. A new ref is created if the task is
// open and left out if it is closed. A ref that is some tasks' is skipped,
// or with update each of its open tasks is closed as the import's task is
// (done or cancelled), or else given its due date if it has another one.
func importTask(ctx context.Context, tx *writeTx, actor string, t *upgradebot.Task, update bool, seen map[string]bool, res *upgradebot.ImportResult) error {
	t.Ref = strings.TrimSpace(t.Ref)
	if t.Ref == "" {
		return upgradebot.Errorf(upgradebot.EINVALID, "no ref; an imported task needs its ticket number")
	}
	switch t.Status {
	case "", upgradebot.StatusOpen, upgradebot.StatusDone, upgradebot.StatusCancelled:
	default:
		return upgradebot.Errorf(upgradebot.EINVALID, "status %q is not open, done or cancelled", t.Status)
	}
	closed := t.Status == upgradebot.StatusDone || t.Status == upgradebot.StatusCancelled
	if seen[t.Ref] {
		res.Skipped = append(res.Skipped, t)
		return nil
	}
	seen[t.Ref] = true
	ids, err := taskIDsByRef(ctx, tx, t.Ref)
	if err != nil {
		return err
	}
	switch {
	case len(ids) == 0 && closed:
		res.Closed = append(res.Closed, t)
		return nil
	case len(ids) == 0:
		if err := insertNewTaskAs(ctx, tx, actor, "task.import", t); err != nil {
			return err
		}
		res.Created = append(res.Created, t)
		return nil
	case !update:
		res.Skipped = append(res.Skipped, t)
		return nil
	}
	n := len(res.Updated)
	for _, id := range ids {
		cur, err := findTaskByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Status != upgradebot.StatusOpen {
			continue // closed here: not reopened
		}
		var after *upgradebot.Task
		switch {
		case closed:
			note := fmt.Sprintf("Closed by an import: ticket %s is %s in the ticket system.", t.Ref, t.Status)
			// A clean-up's occurrence has no ref, so no next one is due.
			if after, err = closeTask(ctx, tx, actor, id, t.Status, note); err != nil {
				return err
			}
		case !t.Due.IsZero() && t.Due != cur.Due:
			if after, err = setTaskDue(ctx, tx, actor, id, t.Due); err != nil {
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
