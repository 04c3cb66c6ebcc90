package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// importProgressEvery is how many tasks go by between two progress calls.
const importProgressEvery = 250

// ImportTasks stores tasks keyed by ref in one transaction: new refs are
// created and audited as task.import, refs that exist are skipped. On a dry
// run the transaction is rolled back.
func (db *DB) ImportTasks(ctx context.Context, actor string, tasks []*upgradebot.Task, opts upgradebot.ImportOptions) (upgradebot.ImportResult, error) {
	var res upgradebot.ImportResult
	err := db.write(ctx, "import tasks", func(tx *writeTx) error {
		seen := make(map[string]bool, len(tasks))
		for i, t := range tasks {
			if opts.Progress != nil && i%importProgressEvery == 0 {
				opts.Progress(i, len(tasks))
			}
			t.Ref = strings.TrimSpace(t.Ref)
			if t.Ref == "" {
				return upgradebot.Errorf(upgradebot.EINVALID, "task %d of %d: no ref; an imported task needs its ticket number", i+1, len(tasks))
			}
			exists := seen[t.Ref]
			if !exists {
				var err error
				if exists, err = refExists(ctx, tx, t.Ref); err != nil {
					return err
				}
			}
			seen[t.Ref] = true
			if exists {
				res.Skipped = append(res.Skipped, t)
				continue
			}
			if err := insertNewTaskAs(ctx, tx, actor, "task.import", t); err != nil {
				if code := upgradebot.ErrorCode(err); code != upgradebot.EINTERNAL {
					return upgradebot.Errorf(code, "task %d of %d (ref %s): %s", i+1, len(tasks), t.Ref, upgradebot.ErrorMessage(err))
				}
				return err
			}
			res.Created = append(res.Created, t)
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

func refExists(ctx context.Context, q queryer, ref string) (bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM tasks WHERE ref = ? LIMIT 1`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("find ref %s: %w", ref, err)
	}
	return true, nil
}
