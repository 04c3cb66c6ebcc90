package store

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// The migration that records decision cards finds the cards of the
// messages sent before it: a pending decision's request and reminder are
// open, so deciding it updates both; a decided one's are closed.
func TestMigrateDecisionCards(t *testing.T) {
	names, err := (&DB{}).migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	v := slices.Index(names, "0025_decision_cards.sql")
	if v < 0 {
		t.Fatal("no migration 0025_decision_cards.sql")
	}
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	openAtVersion(t, path, v, func(db *DB) {
		now := formatTime(storetest.Start)
		for _, s := range []string{
			`INSERT INTO settings (key, value) VALUES ('owner', 'UOWNER'), ('channel', 'CTEAM')`,
			`INSERT INTO decisions (id, question, requested_by, routed_to, status, created_at, escalation) VALUES (1, 'Take it?', 'UBOB', 'UOWNER', 'pending', '` + now + `', 1)`,
			`INSERT INTO decisions (id, question, requested_by, routed_to, status, decided_by, decided_at, created_at) VALUES (2, 'Skip it?', 'UBOB', 'UOWNER', 'approved', 'UOWNER', '` + now + `', '` + now + `')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, status, next_try, created_at, slack_channel, slack_ts) VALUES (10, 'dm', 'UOWNER', 'request 1', 1, 'sent', '` + now + `', '` + now + `', 'D1', '1.1')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, status, next_try, created_at, slack_channel, slack_ts) VALUES (11, 'dm', 'UOWNER', 'reminder 1', 1, 'sent', '` + now + `', '` + now + `', 'D1', '1.2')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, status, next_try, created_at) VALUES (12, 'dm', 'UOWNER', 'request 2', 2, 'sent', '` + now + `', '` + now + `')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, update_of, status, next_try, created_at) VALUES (13, 'update', 'UOWNER', 'approved', 2, 12, 'sent', '` + now + `', '` + now + `')`,
			`UPDATE decisions SET request_msg = 10 WHERE id = 1`,
			`UPDATE decisions SET request_msg = 12 WHERE id = 2`,
		} {
			if _, err := db.db.ExecContext(ctx, s); err != nil {
				t.Fatalf("seeding: %v\n%s", err, s)
			}
		}
	})
	db := mustOpenPath(t, path, upgradebot.NewFakeClock(storetest.Start))
	var open []int64
	rows, err := db.db.QueryContext(ctx, `SELECT message_id FROM decision_cards WHERE closed_at IS NULL ORDER BY message_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		open = append(open, id)
	}
	rows.Close()
	if !slices.Equal(open, []int64{10, 11}) {
		t.Errorf("open cards %v, want the pending decision's request and reminder", open)
	}
	if _, err := db.Decide(ctx, "UOWNER", 1, upgradebot.DecisionApproved, ""); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.PendingMessages(ctx, storetest.Start.AddDate(1, 0, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	var updated []int64
	for _, m := range msgs {
		if m.Kind == upgradebot.MessageUpdate {
			updated = append(updated, m.UpdateOf)
		}
	}
	slices.Sort(updated)
	if !slices.Equal(updated, []int64{10, 11}) {
		t.Errorf("deciding after the upgrade updated %v, want the request and the reminder", updated)
	}
}
