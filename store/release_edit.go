package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// Correcting vendors and releases: rename and remove a vendor, change a
// release's dates, remove a release recorded by mistake.

// newID is the id for a new row of table, whose rows the audit trail
// names as entity: one more than any id either has used, so that the id of
// a removed row, and with it that row's trail, is never another's.
func newID(ctx context.Context, tx *writeTx, table, entity string) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM (
		SELECT MAX(id) AS id FROM `+table+`
		UNION ALL SELECT MAX(entity_id) FROM audit WHERE entity = ?) AS used`, entity).Scan(&id); err != nil {
		return 0, fmt.Errorf("new %s id: %w", entity, err)
	}
	return id, nil
}

// RenameVendor renames a vendor and its releases.
func (db *DB) RenameVendor(ctx context.Context, actor, old, name string) (*upgradebot.Vendor, int, error) {
	var n int
	v, err := writeValue(ctx, db, "rename vendor", func(tx *writeTx) (v *upgradebot.Vendor, err error) {
		if err := requireMember(ctx, tx, actor, "change vendors"); err != nil {
			return nil, err
		}
		if err := checkPHI(ctx, tx, "vendor", 0, upgradebot.PHIContext{}, upgradebot.PHIText{Field: "vendor name", Text: name}); err != nil {
			return nil, err
		}
		v, n, err = renameVendor(ctx, tx, actor, old, name)
		return v, err
	})
	return v, n, db.refused(ctx, actor, err)
}

// RemoveVendor removes a vendor no release uses.
func (db *DB) RemoveVendor(ctx context.Context, actor, name string) (*upgradebot.Vendor, error) {
	return writeValue(ctx, db, "remove vendor", func(tx *writeTx) (*upgradebot.Vendor, error) {
		if err := requireMember(ctx, tx, actor, "change vendors"); err != nil {
			return nil, err
		}
		return removeVendor(ctx, tx, actor, name)
	})
}

// EditRelease changes a release's GA date or end of support.
func (db *DB) EditRelease(ctx context.Context, actor, key string, ch upgradebot.ReleaseChange) (*upgradebot.Release, error) {
	return writeValue(ctx, db, "edit release", func(tx *writeTx) (*upgradebot.Release, error) {
		if err := requireMember(ctx, tx, actor, "record or change releases"); err != nil {
			return nil, err
		}
		return editRelease(ctx, tx, actor, key, ch)
	})
}

// RemoveRelease removes a release nothing was done on.
func (db *DB) RemoveRelease(ctx context.Context, actor, key string) (*upgradebot.Release, []*upgradebot.Task, error) {
	var cancelled []*upgradebot.Task
	r, err := writeValue(ctx, db, "remove release", func(tx *writeTx) (r *upgradebot.Release, err error) {
		if err := requireMember(ctx, tx, actor, "record or change releases"); err != nil {
			return nil, err
		}
		r, cancelled, err = removeRelease(ctx, tx, actor, key)
		return r, err
	})
	if err != nil {
		return nil, nil, err
	}
	return r, cancelled, nil
}

// vendorNamed reads the vendor called name, in any case: ENOTFOUND.
func vendorNamed(ctx context.Context, tx *writeTx, name string) (*upgradebot.Vendor, error) {
	v, err := scanVendor(tx.QueryRowContext(ctx, vendorSelect+` WHERE lower(name) = ?`, foldCase(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "No vendor is called %s; `/upgrade vendor` lists them.", upgradebot.Escape(upgradebot.Clip(name, 40)))
	} else if err != nil {
		return nil, fmt.Errorf("find vendor: %w", err)
	}
	return v, nil
}

func renameVendor(ctx context.Context, tx *writeTx, actor, old, name string) (*upgradebot.Vendor, int, error) {
	if err := requireActor(actor); err != nil {
		return nil, 0, err
	}
	name = strings.TrimSpace(name)
	if err := upgradebot.ValidateTitle("vendor", name); err != nil {
		return nil, 0, err
	}
	v, err := vendorNamed(ctx, tx, old)
	if err != nil {
		return nil, 0, err
	}
	if name == v.Name {
		return nil, 0, upgradebot.Errorf(upgradebot.EINVALID, "The vendor is already called %s.", upgradebot.Escape(v.Name))
	}
	if !strings.EqualFold(name, v.Name) {
		switch other, err := vendorNamed(ctx, tx, name); {
		case err == nil:
			return nil, 0, upgradebot.Errorf(upgradebot.ECONFLICT, "There is already a vendor called %s.", upgradebot.Escape(other.Name))
		case upgradebot.ErrorCode(err) != upgradebot.ENOTFOUND:
			return nil, 0, err
		}
	}
	before := *v
	v.Name, v.UpdatedBy, v.UpdatedAt = name, actor, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE vendors SET name = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
		v.Name, actor, formatTime(tx.now), v.ID); err != nil {
		return nil, 0, fmt.Errorf("rename vendor %d: %w", v.ID, err)
	}
	if err := tx.audit(ctx, actor, "vendor.rename", "vendor", v.ID, &before, v); err != nil {
		return nil, 0, err
	}
	// Releases name their vendor: they follow, so the forecast and the
	// carried items still find them.
	rs, err := findReleases(ctx, tx, upgradebot.ReleaseFilter{Vendors: []string{before.Name}})
	if err != nil {
		return nil, 0, fmt.Errorf("find %s releases: %w", before.Name, err)
	}
	for _, r := range rs {
		rb := *r
		r.Vendor = v.Name
		if _, err := tx.ExecContext(ctx, `UPDATE releases SET vendor = ? WHERE id = ?`, r.Vendor, r.ID); err != nil {
			return nil, 0, fmt.Errorf("rename vendor of release %s: %w", r.Key, err)
		}
		if err := tx.audit(ctx, actor, "release.edit", "release", r.ID, &rb, r); err != nil {
			return nil, 0, err
		}
	}
	return v, len(rs), nil
}

func removeVendor(ctx context.Context, tx *writeTx, actor, name string) (*upgradebot.Vendor, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	v, err := vendorNamed(ctx, tx, name)
	if err != nil {
		return nil, err
	}
	rs, err := findReleases(ctx, tx, upgradebot.ReleaseFilter{Vendors: []string{v.Name}})
	if err != nil {
		return nil, fmt.Errorf("find %s releases: %w", v.Name, err)
	}
	if len(rs) > 0 {
		keys := make([]string, len(rs))
		for i, r := range rs {
			keys[i] = "`" + r.Key + "`"
		}
		return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "%s has %s (%s), so it stays: the forecast reads them. Remove those first (`/upgrade release remove <key>`), or rename the vendor (`/upgrade vendor rename %s <new name>`).",
			upgradebot.Escape(v.Name), upgradebot.Plural(len(rs), "release"), someOf(keys, 3), quoteName(v.Name))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM vendors WHERE id = ?`, v.ID); err != nil {
		return nil, fmt.Errorf("remove vendor %d: %w", v.ID, err)
	}
	return v, tx.audit(ctx, actor, "vendor.remove", "vendor", v.ID, v, nil)
}

// someOf lists up to n of items and says how many more there are:
// "`a`, `b`, `c` and 2 more".
func someOf(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// quoteName is a name as a command takes it back: quoted if it has spaces.
func quoteName(name string) string {
	if strings.ContainsAny(name, " \t") {
		return `"` + name + `"`
	}
	return name
}

// releaseByKey reads the release with key: ENOTFOUND.
func releaseByKey(ctx context.Context, tx *writeTx, key string) (*upgradebot.Release, error) {
	rs, err := findReleases(ctx, tx, upgradebot.ReleaseFilter{Key: key})
	if err != nil {
		return nil, fmt.Errorf("find release %s: %w", key, err)
	}
	if len(rs) == 0 {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no release %s; `/upgrade releases all` lists them.", upgradebot.Escape(upgradebot.Clip(key, 40)))
	}
	return rs[0], nil
}

func editRelease(ctx context.Context, tx *writeTx, actor, key string, ch upgradebot.ReleaseChange) (*upgradebot.Release, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	if ch.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Nothing to change: give ga:<date>, support:<date> or support:none.")
	}
	r, err := releaseByKey(ctx, tx, key)
	if err != nil {
		return nil, err
	}
	before := *r
	if !ch.GA.IsZero() {
		r.GA = ch.GA
	}
	switch {
	case ch.ClearSupport:
		r.Support = upgradebot.Date{}
	case !ch.Support.IsZero():
		r.Support = ch.Support
	}
	if r.GA == before.GA && r.Support == before.Support {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Release %s already has those dates; nothing changed.", r.Key)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE releases SET ga = ?, support = ? WHERE id = ?`,
		r.GA.String(), dateArg(r.Support), r.ID); err != nil {
		return nil, fmt.Errorf("edit release %s: %w", r.Key, err)
	}
	return r, tx.audit(ctx, actor, "release.edit", "release", r.ID, &before, r)
}

func removeRelease(ctx context.Context, tx *writeTx, actor, key string) (*upgradebot.Release, []*upgradebot.Task, error) {
	if err := requireActor(actor); err != nil {
		return nil, nil, err
	}
	r, err := releaseByKey(ctx, tx, key)
	if err != nil {
		return nil, nil, err
	}

	// What was done on it keeps it.
	var kept []string
	phases, err := queryAll(ctx, tx, scanString, `SELECT phase FROM release_phases WHERE release_id = ? ORDER BY phase`, r.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("find phases of %s: %w", r.Key, err)
	}
	if len(phases) > 0 {
		kept = append(kept, "recorded phases ("+someOf(phases, 3)+")")
	}
	var items int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM release_items WHERE release_id = ?`, r.ID).Scan(&items); err != nil {
		return nil, nil, fmt.Errorf("count items of %s: %w", r.Key, err)
	}
	if items > 0 {
		kept = append(kept, upgradebot.Plural(items, "logged note item"))
	}
	gates, err := queryAll(ctx, tx, scanString, `SELECT 'D' || id FROM decisions WHERE release_id = ? ORDER BY id`, r.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("find gates of %s: %w", r.Key, err)
	}
	if len(gates) > 0 {
		kept = append(kept, "phase gates ("+someOf(gates, 3)+")")
	}
	tasks, err := queryAll(ctx, tx, scanTask, `SELECT `+taskColumns+` `+taskFrom+` WHERE t.release_id = ? ORDER BY t.id`, r.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("find tasks of %s: %w", r.Key, err)
	}
	var done, worked, untouched []*upgradebot.Task
	for _, t := range tasks {
		switch t.Status {
		case upgradebot.StatusDone:
			done = append(done, t)
		case upgradebot.StatusOpen:
			actions, err := queryAll(ctx, tx, scanString, `SELECT action FROM audit WHERE entity = 'task' AND entity_id = ?`, t.ID)
			if err != nil {
				return nil, nil, fmt.Errorf("read trail of task %d: %w", t.ID, err)
			}
			if len(actions) == 1 && actions[0] == "task.checklist" {
				untouched = append(untouched, t)
			} else {
				worked = append(worked, t)
			}
		}
	}
	if len(done) > 0 {
		kept = append(kept, upgradebot.Plural(len(done), "task")+" done ("+taskRefs(done)+")")
	}
	if len(worked) > 0 {
		kept = append(kept, upgradebot.Plural(len(worked), "open task")+" someone added or worked on ("+taskRefs(worked)+")")
	}
	if len(kept) > 0 {
		return nil, nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Release `%s` has %s, so it stays: `release remove` only takes back a release nothing was done on. "+
			"Correct its dates with `/upgrade release edit %s ga:<date> support:<date>`; cancel open tasks that were never meant for it first.",
			r.Key, strings.Join(kept, ", "), r.Key)
	}

	// Only what `release add` made goes: its untouched checklist tasks are
	// cancelled, and no task keeps the release.
	note := fmt.Sprintf("Cancelled: release %s was removed.", r.Key)
	var cancelled []*upgradebot.Task
	for _, t := range untouched {
		if _, err := closeTask(ctx, tx, actor, t.ID, upgradebot.StatusCancelled, note); err != nil {
			return nil, nil, err
		}
		cancelled = append(cancelled, t)
	}
	for _, t := range tasks {
		now, err := findTaskByID(ctx, tx, t.ID)
		if err != nil {
			return nil, nil, err
		}
		before := *now
		now.Release, now.UpdatedAt = "", tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET release_id = NULL, updated_at = ? WHERE id = ?`,
			formatTime(now.UpdatedAt), now.ID); err != nil {
			return nil, nil, fmt.Errorf("detach task %d: %w", t.ID, err)
		}
		if err := tx.audit(ctx, actor, "task.detach", "task", now.ID, &before, now); err != nil {
			return nil, nil, err
		}
		tx.affects(now.Assignee)
		for i, c := range cancelled {
			if c.ID == now.ID {
				cancelled[i] = now
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM releases WHERE id = ?`, r.ID); err != nil {
		return nil, nil, fmt.Errorf("remove release %s: %w", r.Key, err)
	}
	if err := tx.audit(ctx, actor, "release.remove", "release", r.ID, r, nil); err != nil {
		return nil, nil, err
	}
	return r, cancelled, nil
}

// taskRefs names up to three tasks and how many more: "#12, #14 and 3
// more".
func taskRefs(ts []*upgradebot.Task) string {
	refs := make([]string, len(ts))
	for i, t := range ts {
		refs[i] = fmt.Sprintf("#%d", t.ID)
	}
	return someOf(refs, 3)
}
