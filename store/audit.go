package store

import (
	"context"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// DefaultAuditLimit is how many audit rows FindAudit returns when the filter
// does not say.
const DefaultAuditLimit = 20

// FindAudit returns audit rows, newest first.
func (db *DB) FindAudit(ctx context.Context, f upgradebot.AuditFilter) ([]*upgradebot.AuditEntry, error) {
	var where []string
	var args []any
	if f.Entity != "" {
		where, args = append(where, `entity = ?`), append(args, f.Entity)
	}
	if f.EntityID != 0 {
		where, args = append(where, `entity_id = ?`), append(args, f.EntityID)
	}
	if f.Actor != "" {
		where, args = append(where, `actor = ?`), append(args, f.Actor)
	}
	query := `SELECT id, at, actor, action, entity, entity_id, before_json, after_json FROM audit`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)

	list, err := queryAll(ctx, db.db, scanAudit, query, args...)
	return list, wrap("find audit", err)
}

func scanAudit(s scanner) (*upgradebot.AuditEntry, error) {
	var e upgradebot.AuditEntry
	var at string
	if err := s.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After); err != nil {
		return nil, err
	}
	var err error
	e.At, err = parseTime(at)
	return &e, err
}
