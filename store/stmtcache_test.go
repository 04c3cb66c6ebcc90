package store

import (
	"fmt"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// A kept statement whose rows are being read is not started over by the
// same query run meanwhile on the same connection: that one is prepared
// apart.
func TestKeptStatementNotStartedOver(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	for i := range 5 {
		if err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: fmt.Sprintf("Task %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT id FROM tasks ORDER BY id`
	tx, err := db.read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for range 2 { // the second time round, the statement is a kept one
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var id, first int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			if err := tx.QueryRowContext(ctx, q).Scan(&first); err != nil || first != 1 {
				t.Fatalf("the same query inside the loop: %d, %v", first, err)
			}
			got = append(got, fmt.Sprint(id))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if s := strings.Join(got, " "); s != "1 2 3 4 5" {
			t.Errorf("rows %s, want 1 2 3 4 5", s)
		}
	}
}

// A kept statement sees a change to the schema made after it was prepared
// (here a trigger that refuses its inserts).
func TestKeptStatementSeesSchemaChange(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	if err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Before", Assignee: storetest.Alice}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `
		CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox broken'); END`); err != nil {
		t.Fatal(err)
	}
	err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "After", Assignee: storetest.Alice})
	if err == nil || !strings.Contains(err.Error(), "outbox broken") {
		t.Errorf("err = %v, want the new trigger's refusal", err)
	}
}
