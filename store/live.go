package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// RecordServe records serve's first start on this database; later starts
// change nothing.
func (db *DB) RecordServe(ctx context.Context) error {
	return db.write(ctx, "record serve", func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO serve_started (id, started_at) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`,
			formatTime(tx.now))
		return err
	})
}

// ServedSince returns when serve first started on this database, the zero
// time if it never has.
func (db *DB) ServedSince(ctx context.Context) (time.Time, error) {
	var s string
	err := db.db.QueryRowContext(ctx, `SELECT started_at FROM serve_started WHERE id = 1`).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, wrap("served since", err)
	}
	t, err := parseTime(s)
	return t, wrap("served since", err)
}

// LastMessageID returns the highest id in the outbox, 0 when it is empty.
func (db *DB) LastMessageID(ctx context.Context) (int64, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM outbox`).Scan(&id)
	return id, wrap("last message id", err)
}
