package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/upgradebot/upgradebot"
)

// SetVendor creates or updates a vendor's cadence and support window,
// audited as vendor.set: an existing vendor keeps its name as stored, and
// its support window unless v gives one (or clears it). EINVALID for a bad
// cadence.
func (db *DB) SetVendor(ctx context.Context, actor string, v *upgradebot.Vendor) error {
	return db.refused(ctx, actor, db.write(ctx, "set vendor", func(tx *writeTx) error {
		if err := requireMember(ctx, tx, actor, "change vendors"); err != nil {
			return err
		}
		if err := checkPHI(ctx, tx, "vendor", 0, upgradebot.PHIContext{}, upgradebot.PHIText{Field: "vendor name", Text: v.Name}); err != nil {
			return err
		}
		return setVendor(ctx, tx, actor, v)
	}))
}

func setVendor(ctx context.Context, tx *writeTx, actor string, v *upgradebot.Vendor) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	before, err := scanVendor(tx.QueryRowContext(ctx, vendorSelect+` WHERE lower(name) = ?`, foldCase(v.Name)))
	if errors.Is(err, sql.ErrNoRows) {
		before = nil
	} else if err != nil {
		return fmt.Errorf("find vendor: %w", err)
	}
	v.UpdatedBy, v.UpdatedAt = actor, tx.now
	if v.ClearSupport {
		v.SupportDays = 0
	}
	if before == nil {
		if v.ID, err = newID(ctx, tx, "vendors", "vendor"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO vendors (id, name, cadence_days, support_days, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			v.ID, v.Name, v.CadenceDays, v.SupportDays, actor, formatTime(tx.now))
		if err != nil {
			return fmt.Errorf("insert vendor: %w", err)
		}
		return tx.audit(ctx, actor, "vendor.set", "vendor", v.ID, nil, v)
	}
	// The vendor keeps its name as stored ("vendor medcore …" changes
	// MedCore, it does not rename it: `vendor rename` does), and its
	// support window unless one is given or cleared.
	v.ID, v.Name = before.ID, before.Name
	if v.SupportDays == 0 && !v.ClearSupport {
		v.SupportDays = before.SupportDays
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE vendors SET name = ?, cadence_days = ?, support_days = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
		v.Name, v.CadenceDays, v.SupportDays, actor, formatTime(tx.now), v.ID); err != nil {
		return fmt.Errorf("update vendor: %w", err)
	}
	return tx.audit(ctx, actor, "vendor.set", "vendor", v.ID, before, v)
}

const vendorSelect = `SELECT id, name, cadence_days, support_days, updated_by, updated_at FROM vendors`

// FindVendors returns every vendor, by name.
func (db *DB) FindVendors(ctx context.Context) ([]*upgradebot.Vendor, error) {
	out, err := findVendors(ctx, db.db)
	return out, wrap("find vendors", err)
}

func findVendors(ctx context.Context, q queryer) ([]*upgradebot.Vendor, error) {
	return queryAll(ctx, q, scanVendor, vendorSelect+` ORDER BY lower(name), name`)
}

func scanVendor(s scanner) (*upgradebot.Vendor, error) {
	var v upgradebot.Vendor
	var at string
	if err := s.Scan(&v.ID, &v.Name, &v.CadenceDays, &v.SupportDays, &v.UpdatedBy, &at); err != nil {
		return nil, err
	}
	var err error
	v.UpdatedAt, err = parseTime(at)
	return &v, err
}

// RecordPhase records that a release's phase started or was done on day,
// audited as release.phase. The phase is read against the team's plan
// (PhasePlan.Parse, so "golive" is go-live) and a phase started with no
// plan yet is planned for its length there. ENOTFOUND for an unknown
// release, EINVALID for a phase not in the team's plan, ECONFLICT for a phase already started (or done) or done
// before it started. Only who decides today may record a phase done
// (EFORBIDDEN; ECONFLICT if no owner is set): others ask with RequestGate.
func (db *DB) RecordPhase(ctx context.Context, actor, key string, phase upgradebot.Phase, ev upgradebot.PhaseEvent, day upgradebot.Date) (*upgradebot.ReleasePhase, error) {
	return writeValue(ctx, db, "record phase", func(tx *writeTx) (*upgradebot.ReleasePhase, error) {
		if err := requireMember(ctx, tx, actor, "record or change releases"); err != nil {
			return nil, err
		}
		return recordPhase(ctx, tx, actor, key, phase, ev, day)
	})
}

func recordPhase(ctx context.Context, tx *writeTx, actor, key string, phase upgradebot.Phase, ev upgradebot.PhaseEvent, day upgradebot.Date) (*upgradebot.ReleasePhase, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	plan, err := phasePlan(ctx, tx)
	if err != nil {
		return nil, err
	}
	if phase, err = plan.Parse(string(phase)); err != nil {
		return nil, err
	}
	if day.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "a phase needs the day it started or was done")
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM releases WHERE key = ?`, key).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no release %s; `/upgrade releases all` lists them.", upgradebot.Escape(key))
	} else if err != nil {
		return nil, fmt.Errorf("find release %s: %w", key, err)
	}
	p, err := scanPhase(tx.QueryRowContext(ctx, phaseSelect+` WHERE p.release_id = ? AND p.phase = ?`, id, string(phase)))
	exists := err == nil
	if errors.Is(err, sql.ErrNoRows) {
		p = &upgradebot.ReleasePhase{ReleaseID: id, Release: key, Phase: phase}
	} else if err != nil {
		return nil, fmt.Errorf("find phase: %w", err)
	}
	before := *p
	if err := p.Record(plan, ev, day); err != nil {
		return nil, err
	}
	if ev == upgradebot.PhaseDone {
		if err := mayClosePhase(ctx, tx, actor, key, phase); err != nil {
			return nil, err
		}
	}
	override, err := mayStartPhase(ctx, tx, actor, key, id, plan, phase, ev)
	if err != nil {
		return nil, err
	}
	p.UpdatedBy, p.UpdatedAt = actor, tx.now
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO release_phases (release_id, phase, planned_start, planned_end, actual_start, actual_end, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (release_id, phase) DO UPDATE SET planned_start = excluded.planned_start,
			planned_end = excluded.planned_end, actual_start = excluded.actual_start,
			actual_end = excluded.actual_end, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		id, string(phase), dateArg(p.PlannedStart), dateArg(p.PlannedEnd), dateArg(p.Start), dateArg(p.End),
		actor, formatTime(tx.now)); err != nil {
		return nil, fmt.Errorf("save phase: %w", err)
	}
	if err := dueOnPhaseStart(ctx, tx, actor, p, ev); err != nil {
		return nil, err
	}
	var b any
	if exists {
		b = &before
	}
	if err := tx.audit(ctx, actor, "release.phase", "release", id, b, p); err != nil {
		return nil, err
	}
	if override != nil {
		if err := tx.audit(ctx, actor, "release.phase.override", "release", id, nil, map[string]any{"key": "override",
			"value": fmt.Sprintf("%s started while the gate closing %s (D%d) waits", phase, override.Phase, override.ID)}); err != nil {
			return nil, err
		}
		p.Override = override
	}
	if ev == upgradebot.PhaseDone {
		if err := settleGates(ctx, tx, actor, id, phase, day); err != nil {
			return nil, err
		}
	}
	return p, nil
}

const phaseSelect = `SELECT p.release_id, r.key, p.phase, p.planned_start, p.planned_end, p.actual_start, p.actual_end,
	p.updated_by, p.updated_at FROM release_phases p JOIN releases r ON r.id = p.release_id`

// FindPhases returns the phases recorded for the release with key, or for
// every release when key is "", by release GA and the order of the team's
// cycle.
func (db *DB) FindPhases(ctx context.Context, key string) ([]*upgradebot.ReleasePhase, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("find phases", err)
	}
	defer tx.Rollback()
	out, err := findPhases(ctx, tx, key)
	return out, wrap("find phases", err)
}

func findPhases(ctx context.Context, q queryer, key string) ([]*upgradebot.ReleasePhase, error) {
	query, args := phaseSelect, []any{}
	if key != "" {
		query, args = query+` WHERE r.key = ?`, append(args, key)
	}
	out, err := queryAll(ctx, q, scanPhase, query+` ORDER BY r.ga, r.id`, args...)
	if err != nil {
		return nil, err
	}
	plan, err := phasePlan(ctx, q)
	if err != nil {
		return nil, err
	}
	// Phases no longer in the cycle go last.
	order := map[upgradebot.Phase]int{}
	for _, p := range out {
		order[p.Phase] = len(plan)
	}
	for i, ph := range plan.Phases() {
		order[ph] = i
	}
	sortStable(out, func(a, b *upgradebot.ReleasePhase) bool {
		return a.ReleaseID == b.ReleaseID && order[a.Phase] < order[b.Phase]
	})
	return out, nil
}

// sortStable is an insertion sort that only swaps neighbours less(b, a)
// says are out of order, so rows of different releases keep their order.
func sortStable(ps []*upgradebot.ReleasePhase, less func(a, b *upgradebot.ReleasePhase) bool) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && less(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func scanPhase(s scanner) (*upgradebot.ReleasePhase, error) {
	var p upgradebot.ReleasePhase
	var phase, at string
	var ps, pe, as, ae sql.NullString
	if err := s.Scan(&p.ReleaseID, &p.Release, &phase, &ps, &pe, &as, &ae, &p.UpdatedBy, &at); err != nil {
		return nil, err
	}
	p.Phase = upgradebot.Phase(phase)
	var err error
	for _, f := range []struct {
		dst *upgradebot.Date
		src sql.NullString
	}{{&p.PlannedStart, ps}, {&p.PlannedEnd, pe}, {&p.Start, as}, {&p.End, ae}} {
		if *f.dst, err = parseDate(f.src); err != nil {
			return nil, err
		}
	}
	p.UpdatedAt, err = parseTime(at)
	return &p, err
}
