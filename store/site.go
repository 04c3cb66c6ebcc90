package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// AddSite adds a site or renames the one with its key, audited as
// site.add. Admins only.
func (db *DB) AddSite(ctx context.Context, actor string, st *upgradebot.Site) error {
	return db.refused(ctx, actor, db.write(ctx, "add site", func(tx *writeTx) error {
		if err := requireActor(actor); err != nil {
			return err
		}
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "change the sites"); err != nil {
			return err
		}
		st.Key = strings.ToLower(strings.TrimSpace(st.Key))
		st.Name = strings.TrimSpace(st.Name)
		if err := st.Validate(); err != nil {
			return err
		}
		if err := checkPHI(ctx, tx, "site", 0, upgradebot.PHIContext{},
			upgradebot.PHIText{Field: "site key", Text: st.Key}, upgradebot.PHIText{Field: "site name", Text: st.Name}); err != nil {
			return err
		}
		old, exists := s.Site(st.Key)
		switch {
		case exists && old.Name == st.Name:
			*st = old
			return nil
		case !exists && len(s.Sites) >= upgradebot.MaxSites:
			return upgradebot.Errorf(upgradebot.ECONFLICT, "The team has %d sites, the most it keeps; remove one no work names first.", len(s.Sites))
		}
		st.CreatedBy, st.CreatedAt = actor, tx.now
		var before any
		if exists {
			before = &old
			st.CreatedBy, st.CreatedAt = old.CreatedBy, old.CreatedAt
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO sites (key, name, created_by, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET name = excluded.name`,
			st.Key, st.Name, st.CreatedBy, formatTime(st.CreatedAt)); err != nil {
			return fmt.Errorf("add site %s: %w", st.Key, err)
		}
		return tx.audit(ctx, actor, "site.add", "site", 0, before, st)
	}))
}

// RemoveSite removes a site nothing names, audited as site.remove. Admins
// only; ENOTFOUND; ECONFLICT while open tasks, active clean-ups, freezes
// or releases name it. Closed tasks keep the key.
func (db *DB) RemoveSite(ctx context.Context, actor, key string) (*upgradebot.Site, error) {
	return writeValue(ctx, db, "remove site", func(tx *writeTx) (*upgradebot.Site, error) {
		if err := requireActor(actor); err != nil {
			return nil, err
		}
		s, err := tx.settings(ctx)
		if err != nil {
			return nil, err
		}
		if err := requireAdmin(s, actor, "change the sites"); err != nil {
			return nil, err
		}
		st, ok := s.Site(strings.ToLower(strings.TrimSpace(key)))
		if !ok {
			return nil, s.CheckSite(strings.ToLower(strings.TrimSpace(key)))
		}
		var parts []string
		for _, c := range []struct{ what, query string }{
			{"open task", `SELECT COUNT(*) FROM tasks WHERE site = ? AND status = 'open'`},
			{"clean-up", `SELECT COUNT(*) FROM maintenance WHERE site = ? AND active = 1`},
			{"freeze", `SELECT COUNT(*) FROM freezes WHERE site = ?`},
			{"release", `SELECT COUNT(*) FROM releases WHERE site = ?`},
		} {
			var n int
			if err := tx.QueryRowContext(ctx, c.query, st.Key).Scan(&n); err != nil {
				return nil, fmt.Errorf("count uses of site %s: %w", st.Key, err)
			}
			if n > 0 {
				parts = append(parts, upgradebot.Plural(n, c.what))
			}
		}
		if len(parts) > 0 {
			return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Site %s is named by %s; move them to another site (or none) first.", st.Key, andList(parts))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sites WHERE key = ?`, st.Key); err != nil {
			return nil, fmt.Errorf("remove site %s: %w", st.Key, err)
		}
		return &st, tx.audit(ctx, actor, "site.remove", "site", 0, &st, nil)
	})
}

func scanSite(s scanner) (upgradebot.Site, error) {
	var st upgradebot.Site
	var at string
	if err := s.Scan(&st.Key, &st.Name, &st.CreatedBy, &at); err != nil {
		return st, err
	}
	var err error
	st.CreatedAt, err = parseTime(at)
	return st, err
}

// requireSite refuses (ENOTFOUND) a site key the team does not have, in
// q's transaction; "" (the whole system) is always fine.
func requireSite(ctx context.Context, q queryer, key string) error {
	if key == "" {
		return nil
	}
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM sites WHERE key = ?`, key).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		sites, err := queryAll(ctx, q, scanSite, `SELECT key, name, created_by, created_at FROM sites ORDER BY key`)
		if err != nil {
			return fmt.Errorf("read sites: %w", err)
		}
		return upgradebot.Settings{Sites: sites}.CheckSite(key)
	} else if err != nil {
		return fmt.Errorf("find site %s: %w", key, err)
	}
	return nil
}
