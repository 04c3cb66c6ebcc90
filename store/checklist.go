package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

const checklistSelect = `SELECT id, phase, title, estimate_min, position, updated_by, updated_at, vendor FROM checklist`

// Checklist returns the release checklist template, in the order of the
// team's phases and by position within a phase.
func (db *DB) Checklist(ctx context.Context) ([]*upgradebot.ChecklistItem, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("checklist", err)
	}
	defer tx.Rollback()
	out, err := checklist(ctx, tx)
	return out, wrap("checklist", err)
}

func checklist(ctx context.Context, q queryer) ([]*upgradebot.ChecklistItem, error) {
	items, err := queryAll(ctx, q, scanChecklistItem, checklistSelect+` ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	plan, err := phasePlan(ctx, q)
	if err != nil {
		return nil, err
	}
	// Phases no longer in the cycle go last.
	order := func(p upgradebot.Phase) int {
		if i := plan.Index(p); i >= 0 {
			return i
		}
		return len(plan)
	}
	slices.SortStableFunc(items, func(a, b *upgradebot.ChecklistItem) int {
		return cmp.Compare(order(a.Phase), order(b.Phase))
	})
	return items, nil
}

// AddChecklistItem adds an item to the template, last in its phase unless
// it has a position, audited as checklist.add. Admins only (EFORBIDDEN);
// EINVALID, also for a phase not in the team's plan (PhasePlan.Parse reads
// it, and it.Phase is set to the name it reads).
func (db *DB) AddChecklistItem(ctx context.Context, actor string, it *upgradebot.ChecklistItem) error {
	return db.refused(ctx, actor, db.write(ctx, "add checklist item", func(tx *writeTx) error {
		return addChecklistItem(ctx, tx, actor, it)
	}))
}

func addChecklistItem(ctx context.Context, tx *writeTx, actor string, it *upgradebot.ChecklistItem) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	if err := requireAdmin(s, actor, "change the release checklist"); err != nil {
		return err
	}
	if it.Phase, err = s.Config().Phases.Parse(string(it.Phase)); err != nil {
		return err
	}
	if err := it.Validate(); err != nil {
		return err
	}
	if err := checkPHI(ctx, tx, "checklist", 0, upgradebot.PHIContext{}, upgradebot.PHIText{Field: "title", Text: it.Title}); err != nil {
		return err
	}
	if it.Vendor != "" { // the vendor's name as stored
		if err := tx.QueryRowContext(ctx, `SELECT name FROM vendors WHERE lower(name) = ?`, foldCase(it.Vendor)).Scan(&it.Vendor); errors.Is(err, sql.ErrNoRows) {
			return upgradebot.Errorf(upgradebot.ENOTFOUND, "No vendor is called %s; `/upgrade vendor` lists them.", upgradebot.Escape(it.Vendor))
		} else if err != nil {
			return fmt.Errorf("find vendor: %w", err)
		}
	}
	// The same task twice in a phase would give every release it twice; a
	// command sent again must not do that.
	var dup int64
	switch err := tx.QueryRowContext(ctx, `SELECT id FROM checklist WHERE phase = ? AND lower(title) = ? AND lower(vendor) = ?`,
		string(it.Phase), foldCase(it.Title), foldCase(it.Vendor)).Scan(&dup); {
	case err == nil:
		return upgradebot.Errorf(upgradebot.ECONFLICT, "The %s phase of the release checklist already has it: %d. %s.",
			it.Phase, dup, upgradebot.Escape(it.Title))
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find checklist item: %w", err)
	}
	if it.Position == 0 {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM checklist WHERE phase = ?`,
			string(it.Phase)).Scan(&it.Position); err != nil {
			return fmt.Errorf("find checklist position: %w", err)
		}
	}
	it.UpdatedBy, it.UpdatedAt = actor, tx.now
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO checklist (phase, title, estimate_min, position, updated_by, updated_at, vendor)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(it.Phase), it.Title, int64(it.Estimate/time.Minute), it.Position, actor, formatTime(tx.now), it.Vendor).Scan(&it.ID); err != nil {
		return fmt.Errorf("insert checklist item: %w", err)
	}
	return tx.audit(ctx, actor, "checklist.add", "checklist", it.ID, nil, it)
}

// RemoveChecklistItem removes an item from the template and returns it,
// audited as checklist.remove. Tasks already made from it stay. Admins
// only (EFORBIDDEN); ENOTFOUND.
func (db *DB) RemoveChecklistItem(ctx context.Context, actor string, id int64) (*upgradebot.ChecklistItem, error) {
	return writeValue(ctx, db, "remove checklist item", func(tx *writeTx) (*upgradebot.ChecklistItem, error) {
		return removeChecklistItem(ctx, tx, actor, id)
	})
}

func removeChecklistItem(ctx context.Context, tx *writeTx, actor string, id int64) (*upgradebot.ChecklistItem, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireAdmin(s, actor, "change the release checklist"); err != nil {
		return nil, err
	}
	it, err := scanChecklistItem(tx.QueryRowContext(ctx, checklistSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no checklist item %d; `/upgrade checklist` lists them.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find checklist item %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM checklist WHERE id = ?`, id); err != nil {
		return nil, fmt.Errorf("delete checklist item %d: %w", id, err)
	}
	return it, tx.audit(ctx, actor, "checklist.remove", "checklist", id, it, nil)
}

func scanChecklistItem(s scanner) (*upgradebot.ChecklistItem, error) {
	var it upgradebot.ChecklistItem
	var phase, at string
	var estimateMin int64
	if err := s.Scan(&it.ID, &phase, &it.Title, &estimateMin, &it.Position, &it.UpdatedBy, &at, &it.Vendor); err != nil {
		return nil, err
	}
	it.Phase, it.Estimate = upgradebot.Phase(phase), time.Duration(estimateMin)*time.Minute
	var err error
	it.UpdatedAt, err = parseTime(at)
	return &it, err
}

// applyChecklist gives the new release r its checklist: one open task per
// template item (its vendor's own items when it has any, else the team's),
// then one task in the first phase of the team's plan
// (review by default) per item deferred in an earlier release of its
// vendor and still deferred. Each task is audited as
// task.checklist; nobody is sent a message (the tasks are unassigned).
func applyChecklist(ctx context.Context, tx *writeTx, actor string, r *upgradebot.Release) error {
	template, err := checklist(ctx, tx)
	if err != nil {
		return fmt.Errorf("read checklist: %w", err)
	}
	carried, err := carriedInto(ctx, tx, r)
	if err != nil {
		return err
	}
	var tasks []*upgradebot.Task
	for _, it := range upgradebot.ChecklistFor(template, r.Vendor) {
		tasks = append(tasks, it.Task(r.Key))
	}
	plan, err := phasePlan(ctx, tx)
	if err != nil {
		return err
	}
	for _, it := range carried {
		tasks = append(tasks, &upgradebot.Task{Title: it.RevisitTitle(), Kind: upgradebot.KindUpgrade,
			Release: r.Key, Phase: plan[0].Phase})
	}
	for _, t := range tasks {
		if err := insertNewTaskAs(ctx, tx, actor, "task.checklist", t); err != nil {
			return fmt.Errorf("checklist task %q: %w", t.Title, err)
		}
	}
	r.ChecklistTasks, r.RevisitTasks = len(tasks), len(carried)
	return nil
}

// dueOnPhaseStart, when ev starts phase p, gives the open tasks of that
// phase of the release that have no due date the phase's planned end, or
// today when that has passed (a phase recorded as started long ago must not
// make its tasks overdue, and nudge people, the moment they are dated),
// each audited as task.due.
func dueOnPhaseStart(ctx context.Context, tx *writeTx, actor string, p *upgradebot.ReleasePhase, ev upgradebot.PhaseEvent) error {
	if ev != upgradebot.PhaseStart || p.PlannedEnd.IsZero() {
		return nil
	}
	tasks, err := queryAll(ctx, tx, scanTask, `SELECT `+taskColumns+` `+taskFrom+`
		WHERE t.release_id = ? AND t.phase = ? AND t.status = 'open' AND t.due IS NULL ORDER BY t.id`,
		p.ReleaseID, string(p.Phase))
	if err != nil {
		return fmt.Errorf("find %s tasks of %s: %w", p.Phase, p.Release, err)
	}
	if len(tasks) == 0 {
		return nil
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	due := p.PlannedEnd
	if today := tx.today(s); due.Before(today) {
		due = today
	}
	for _, t := range tasks {
		before := *t
		t.Due, t.UpdatedAt = due, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET due = ?, updated_at = ? WHERE id = ?`,
			dateArg(t.Due), formatTime(t.UpdatedAt), t.ID); err != nil {
			return fmt.Errorf("set due of task %d: %w", t.ID, err)
		}
		if err := tx.audit(ctx, actor, "task.due", "task", t.ID, &before, t); err != nil {
			return err
		}
		tx.affects(t.Assignee)
	}
	return nil
}

// LogReleaseItem records the verdict on an item of a release's notes;
// logging a title again changes it. Audited as release.item. ENOTFOUND for
// an unknown release, EINVALID for a bad item.
func (db *DB) LogReleaseItem(ctx context.Context, actor, key string, it *upgradebot.ReleaseItem) error {
	return db.refused(ctx, actor, db.write(ctx, "log release item", func(tx *writeTx) error {
		if err := requireMember(ctx, tx, actor, "record or change releases"); err != nil {
			return err
		}
		return logReleaseItem(ctx, tx, actor, key, it)
	}))
}

func logReleaseItem(ctx context.Context, tx *writeTx, actor, key string, it *upgradebot.ReleaseItem) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	id, err := releaseIDByKey(ctx, tx, key)
	if err != nil {
		return err
	}
	it.ReleaseID, it.Release = id, key
	it.Title, it.Reason = strings.TrimSpace(it.Title), strings.TrimSpace(it.Reason)
	if err := it.Validate(); err != nil {
		return err
	}
	if err := checkPHI(ctx, tx, "release", id, upgradebot.PHIContext{},
		upgradebot.PHIText{Field: "release-note item", Text: it.Title}, upgradebot.PHIText{Field: "reason", Text: it.Reason}); err != nil {
		return err
	}
	before, err := scanReleaseItem(tx.QueryRowContext(ctx, releaseItemSelect+` WHERE i.release_id = ? AND lower(i.title) = ?`, id, foldCase(it.Title)))
	if errors.Is(err, sql.ErrNoRows) {
		before = nil
	} else if err != nil {
		return fmt.Errorf("find release item: %w", err)
	}
	it.DecidedBy, it.DecidedAt, it.Was = actor, tx.now, ""
	if before == nil {
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO release_items (release_id, title, verdict, reason, decided_by, decided_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			id, it.Title, string(it.Verdict), it.Reason, actor, formatTime(tx.now)).Scan(&it.ID); err != nil {
			return fmt.Errorf("insert release item: %w", err)
		}
		return tx.audit(ctx, actor, "release.item", "release_item", it.ID, nil, it)
	}
	it.ID, it.Was = before.ID, before.Verdict
	if _, err := tx.ExecContext(ctx, `
		UPDATE release_items SET title = ?, verdict = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
		it.Title, string(it.Verdict), it.Reason, actor, formatTime(tx.now), it.ID); err != nil {
		return fmt.Errorf("update release item %d: %w", it.ID, err)
	}
	return tx.audit(ctx, actor, "release.item", "release_item", it.ID, before, it)
}

const (
	releaseItemSelect = `SELECT i.id, i.release_id, r.key, i.title, i.verdict, i.reason, i.decided_by, i.decided_at
		FROM release_items i JOIN releases r ON r.id = i.release_id`
	releaseItemOrder = ` ORDER BY r.ga, r.id, i.id`
)

// carriedInto returns the items deferred in releases of r's vendor before r
// and still deferred, read from that vendor's releases and items alone.
func carriedInto(ctx context.Context, q queryer, r *upgradebot.Release) ([]*upgradebot.ReleaseItem, error) {
	releases, err := findReleases(ctx, q, upgradebot.ReleaseFilter{Vendors: []string{r.Vendor}})
	if err != nil {
		return nil, fmt.Errorf("find %s releases: %w", r.Vendor, err)
	}
	// Case folded, as FindReleases and the vendors table compare vendor names.
	items, err := queryAll(ctx, q, scanReleaseItem, releaseItemSelect+` WHERE lower(r.vendor) = ?`+releaseItemOrder, foldCase(r.Vendor))
	if err != nil {
		return nil, fmt.Errorf("find %s release items: %w", r.Vendor, err)
	}
	return upgradebot.CarriedItems(r, releases, items), nil
}

// DeferredItems returns what is still deferred from earlier releases of
// the vendor of the release with key. ENOTFOUND for an unknown release.
func (db *DB) DeferredItems(ctx context.Context, key string) ([]*upgradebot.ReleaseItem, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("deferred items", err)
	}
	defer tx.Rollback()
	rs, err := findReleases(ctx, tx, upgradebot.ReleaseFilter{Key: key})
	if err != nil {
		return nil, wrap("deferred items", err)
	}
	if len(rs) == 0 {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no release %s; `/upgrade releases all` lists them.", upgradebot.Escape(key))
	}
	out, err := carriedInto(ctx, tx, rs[0])
	return out, wrap("deferred items", err)
}

// FindReleaseItems returns the items logged on the release with key, or on
// every release for "", by release and then as logged. ENOTFOUND for an
// unknown release.
func (db *DB) FindReleaseItems(ctx context.Context, key string) ([]*upgradebot.ReleaseItem, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("find release items", err)
	}
	defer tx.Rollback()
	if key == "" {
		out, err := queryAll(ctx, tx, scanReleaseItem, releaseItemSelect+releaseItemOrder)
		return out, wrap("find release items", err)
	}
	id, err := releaseIDByKey(ctx, tx, key)
	if err != nil {
		return nil, wrap("find release items", err)
	}
	out, err := queryAll(ctx, tx, scanReleaseItem, releaseItemSelect+` WHERE i.release_id = ?`+releaseItemOrder, id)
	return out, wrap("find release items", err)
}

func scanReleaseItem(s scanner) (*upgradebot.ReleaseItem, error) {
	var it upgradebot.ReleaseItem
	var verdict, at string
	if err := s.Scan(&it.ID, &it.ReleaseID, &it.Release, &it.Title, &verdict, &it.Reason, &it.DecidedBy, &at); err != nil {
		return nil, err
	}
	it.Verdict = upgradebot.Verdict(verdict)
	var err error
	it.DecidedAt, err = parseTime(at)
	return &it, err
}
