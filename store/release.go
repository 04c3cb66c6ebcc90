package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// CreateRelease validates and stores r and, in the same transaction, gives
// it its checklist tasks (see applyChecklist). ECONFLICT if its key is taken.
func (db *DB) CreateRelease(ctx context.Context, actor string, r *upgradebot.Release) error {
	return db.refused(ctx, actor, db.write(ctx, "create release", func(tx *writeTx) error {
		if err := requireMember(ctx, tx, actor, "record or change releases"); err != nil {
			return err
		}
		if err := createRelease(ctx, tx, actor, r); err != nil {
			return err
		}
		return applyChecklist(ctx, tx, actor, r)
	}))
}

// FindReleases returns the matching releases, earliest GA first.
func (db *DB) FindReleases(ctx context.Context, f upgradebot.ReleaseFilter) ([]*upgradebot.Release, error) {
	releases, err := findReleases(ctx, db.db, f)
	return releases, wrap("find releases", err)
}

func findReleases(ctx context.Context, q queryer, f upgradebot.ReleaseFilter) ([]*upgradebot.Release, error) {
	var where []string
	var args []any
	if f.Key != "" {
		where, args = append(where, `key = ?`), append(args, f.Key)
	}
	if !f.GAFrom.IsZero() {
		where, args = append(where, `ga >= ?`), append(args, f.GAFrom.String())
	}
	if len(f.Vendors) > 0 {
		marks := make([]string, len(f.Vendors))
		for i, v := range f.Vendors {
			marks[i], args = "?", append(args, foldCase(v))
		}
		// Case folded as the vendors table compares names (see foldCase).
		where = append(where, `lower(vendor) IN (`+strings.Join(marks, ", ")+`)`)
	}
	query := `SELECT id, key, vendor, name, ga, support, created_by, created_at, site FROM releases`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY ga, id`
	return queryAll(ctx, q, scanReleaseSite, query, args...)
}

// scanReleaseSite is scanRelease for a row with the site after the
// release's columns.
func scanReleaseSite(s scanner) (*upgradebot.Release, error) {
	var site string
	r, err := scanRelease(scanWith{s, []any{&site}})
	if err != nil {
		return nil, err
	}
	r.Site = site
	return r, nil
}

func createRelease(ctx context.Context, tx *writeTx, actor string, r *upgradebot.Release) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if err := requireSite(ctx, tx, r.Site); err != nil {
		return err
	}
	if err := checkPHI(ctx, tx, "release", 0, upgradebot.PHIContext{},
		upgradebot.PHIText{Field: "vendor", Text: r.Vendor}, upgradebot.PHIText{Field: "release name", Text: r.Name},
		upgradebot.PHIText{Field: "release key", Text: r.Key}); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM releases WHERE key = ?`, r.Key).Scan(&n); err != nil {
		return fmt.Errorf("find release %s: %w", r.Key, err)
	} else if n > 0 {
		return upgradebot.Errorf(upgradebot.ECONFLICT, "Release key %s already exists.", r.Key)
	}
	r.CreatedBy, r.CreatedAt = actor, tx.now
	id, err := newID(ctx, tx, "releases", "release")
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO releases (id, key, vendor, name, ga, support, created_by, created_at, site)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, r.Key, r.Vendor, r.Name, r.GA.String(), dateArg(r.Support), r.CreatedBy, formatTime(r.CreatedAt), r.Site,
	); err != nil {
		return fmt.Errorf("insert release: %w", err)
	}
	r.ID = id
	return tx.audit(ctx, actor, "release.add", "release", r.ID, nil, r)
}

func scanRelease(s scanner) (*upgradebot.Release, error) {
	var r upgradebot.Release
	var ga, support sql.NullString
	var createdAt string
	if err := s.Scan(&r.ID, &r.Key, &r.Vendor, &r.Name, &ga, &support, &r.CreatedBy, &createdAt); err != nil {
		return nil, err
	}
	var err error
	if r.GA, err = parseDate(ga); err != nil {
		return nil, err
	}
	if r.Support, err = parseDate(support); err != nil {
		return nil, err
	}
	if r.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, err
	}
	return &r, nil
}
