package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/upgradebot/upgradebot"
)

// CreateFreeze records a freeze window, audited as freeze.add. Admins only
// (EFORBIDDEN); EINVALID for a bad freeze or one that ended before today.
func (db *DB) CreateFreeze(ctx context.Context, actor string, f *upgradebot.Freeze) error {
	return db.refused(ctx, actor, db.write(ctx, "create freeze", func(tx *writeTx) error {
		return createFreeze(ctx, tx, actor, f)
	}))
}

func createFreeze(ctx context.Context, tx *writeTx, actor string, f *upgradebot.Freeze) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	if err := requireAdmin(s, actor, "record a freeze"); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	if err := requireSite(ctx, tx, f.Site); err != nil {
		return err
	}
	if err := checkPHI(ctx, tx, "freeze", 0, upgradebot.PHIContext{}, upgradebot.PHIText{Field: "reason", Text: f.Reason}); err != nil {
		return err
	}
	if today := tx.today(s); f.To.Before(today) {
		return upgradebot.Errorf(upgradebot.EINVALID, "That freeze ended on %s, before today (%s).", f.To.Human(), today.Human())
	}
	f.CreatedBy, f.CreatedAt = actor, tx.now
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO freezes (from_day, to_day, reason, created_by, created_at, site)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		f.From.String(), f.To.String(), f.Reason, actor, formatTime(tx.now), f.Site).Scan(&f.ID); err != nil {
		return fmt.Errorf("insert freeze: %w", err)
	}
	return tx.audit(ctx, actor, "freeze.add", "freeze", f.ID, nil, f)
}

// DeleteFreeze removes a freeze window, audited as freeze.remove. Admins
// only (EFORBIDDEN); ENOTFOUND.
func (db *DB) DeleteFreeze(ctx context.Context, actor string, id int64) (*upgradebot.Freeze, error) {
	return writeValue(ctx, db, "delete freeze", func(tx *writeTx) (*upgradebot.Freeze, error) {
		return deleteFreeze(ctx, tx, actor, id)
	})
}

func deleteFreeze(ctx context.Context, tx *writeTx, actor string, id int64) (*upgradebot.Freeze, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireAdmin(s, actor, "remove a freeze"); err != nil {
		return nil, err
	}
	f, err := scanFreeze(tx.QueryRowContext(ctx, freezeSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no freeze %d; `/upgrade freezes` lists them.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find freeze %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM freezes WHERE id = ?`, id); err != nil {
		return nil, fmt.Errorf("delete freeze %d: %w", id, err)
	}
	return f, tx.audit(ctx, actor, "freeze.remove", "freeze", id, f, nil)
}

const freezeSelect = `SELECT id, from_day, to_day, reason, created_by, created_at, site FROM freezes`

// FindFreezes returns the freezes that end on or after from (all of them
// for the zero Date), by start day.
func (db *DB) FindFreezes(ctx context.Context, from upgradebot.Date) ([]*upgradebot.Freeze, error) {
	out, err := findFreezes(ctx, db.db, from, -1)
	return out, wrap("find freezes", err)
}

// findFreezes returns up to limit (all for a negative limit) freezes
// ending on or after from, by start day.
func findFreezes(ctx context.Context, q queryer, from upgradebot.Date, limit int) ([]*upgradebot.Freeze, error) {
	query, args := freezeSelect, []any{}
	if !from.IsZero() {
		query, args = query+` WHERE to_day >= ?`, append(args, from.String())
	}
	if limit < 0 {
		limit = math.MaxInt64
	}
	query, args = query+` ORDER BY from_day, id LIMIT ?`, append(args, limit)
	return queryAll(ctx, q, scanFreeze, query, args...)
}

func scanFreeze(s scanner) (*upgradebot.Freeze, error) {
	var f upgradebot.Freeze
	var from, to, at string
	if err := s.Scan(&f.ID, &from, &to, &f.Reason, &f.CreatedBy, &at, &f.Site); err != nil {
		return nil, err
	}
	var err error
	if f.From, err = upgradebot.ParseDate(from); err != nil {
		return nil, fmt.Errorf("bad date %q in database: %w", from, err)
	}
	if f.To, err = upgradebot.ParseDate(to); err != nil {
		return nil, fmt.Errorf("bad date %q in database: %w", to, err)
	}
	f.CreatedAt, err = parseTime(at)
	return &f, err
}
