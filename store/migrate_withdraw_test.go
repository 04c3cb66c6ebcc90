package store

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// The migration that lets a decision be withdrawn rebuilds the decisions
// table, which outbox rows refer to (and which refers to them): on a
// database where decisions have request DMs, outcome edits and a phase
// gate, every row and link survives, the foreign keys still hold, and a
// withdrawal works.
func TestMigrateDecisionsRebuild(t *testing.T) {
	names, err := (&DB{}).migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	v := slices.Index(names, "0020_cleanup_pause_decision_withdraw.sql")
	if v < 0 {
		t.Fatal("no migration 0020_cleanup_pause_decision_withdraw.sql")
	}
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	const pending, decided, gate = 1, 2, 3
	openAtVersion(t, path, v, func(db *DB) {
		// Raw SQL of the schema before it: two decisions and a gate, a
		// request DM each, one decided and its outcome edit pending.
		now := formatTime(storetest.Start)
		for _, s := range []string{
			`INSERT INTO settings (key, value) VALUES ('owner', 'UOWNER'), ('channel', 'CTEAM')`,
			`INSERT INTO releases (id, key, vendor, name, ga, created_by, created_at) VALUES (7, 'medcore-2027.1', 'MedCore', '2027.1', '2027-03-01', 'UADMIN', '` + now + `')`,
			`INSERT INTO decisions (id, question, requested_by, routed_to, status, created_at) VALUES (1, 'Take it?', 'UBOB', 'UOWNER', 'pending', '` + now + `')`,
			`INSERT INTO decisions (id, question, requested_by, routed_to, status, decided_by, decided_at, created_at) VALUES (2, 'Skip it?', 'UBOB', 'UOWNER', 'approved', 'UOWNER', '` + now + `', '` + now + `')`,
			`INSERT INTO decisions (id, question, requested_by, routed_to, status, created_at, release_id, phase, gate_day, escalation) VALUES (3, 'Gate?', 'UBOB', 'UOWNER', 'pending', '` + now + `', 7, 'review', '2027-03-02', 1)`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, status, next_try, created_at) VALUES (10, 'dm', 'UOWNER', 'request 1', 1, 'sent', '` + now + `', '` + now + `')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, status, next_try, created_at) VALUES (11, 'dm', 'UOWNER', 'request 2', 2, 'sent', '` + now + `', '` + now + `')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, update_of, status, next_try, created_at) VALUES (12, 'update', 'UOWNER', 'approved', 2, 11, 'pending', '` + now + `', '` + now + `')`,
			`INSERT INTO outbox (id, kind, to_id, text, decision_id, status, next_try, created_at) VALUES (13, 'dm', 'UOWNER', 'gate', 3, 'sent', '` + now + `', '` + now + `')`,
			`UPDATE decisions SET request_msg = 10 + id - 1 WHERE id IN (1, 2)`,
			`UPDATE decisions SET request_msg = 13 WHERE id = 3`,
		} {
			if _, err := db.db.ExecContext(ctx, s); err != nil {
				t.Fatalf("seeding: %v\n%s", err, s)
			}
		}
	})

	db := mustOpenPath(t, path, upgradebot.NewFakeClock(storetest.Start))
	rows, err := db.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign keys broken after the rebuild")
	}
	rows.Close()
	ds, err := db.FindDecisions(ctx, upgradebot.DecisionFilter{})
	if err != nil || len(ds) != 3 {
		t.Fatalf("decisions = %+v, %v", ds, err)
	}
	if ds[0].ID != gate || ds[0].Release != "medcore-2027.1" || ds[0].Phase != "review" || ds[0].GateDay.String() != "2027-03-02" ||
		ds[1].ID != decided || ds[1].Status != upgradebot.DecisionApproved || ds[1].DecidedBy != "UOWNER" ||
		ds[2].ID != pending || ds[2].Status != upgradebot.DecisionPending {
		t.Errorf("decisions after the rebuild = %+v %+v %+v", ds[0], ds[1], ds[2])
	}
	var level, msg int64
	if err := db.db.QueryRowContext(ctx, `SELECT escalation, request_msg FROM decisions WHERE id = 3`).Scan(&level, &msg); err != nil || level != 1 || msg != 13 {
		t.Errorf("gate escalation %d, request %d: %v", level, msg, err)
	}
	d, err := db.WithdrawDecision(ctx, "UBOB", pending, "")
	if err != nil || d.Status != upgradebot.DecisionWithdrawn {
		t.Fatalf("withdrawing after the upgrade: %+v, %v", d, err)
	}
	m, err := db.FindMessage(ctx, 14)
	if err != nil || m.Kind != upgradebot.MessageUpdate || m.UpdateOf != 10 || !strings.Contains(m.Text, "Withdrawn by <@UBOB>") {
		t.Errorf("the request edit = %+v, %v", m, err)
	}
	if _, err := db.db.ExecContext(ctx, `UPDATE decisions SET status = 'maybe' WHERE id = 2`); err == nil {
		t.Error("the rebuilt table takes any status")
	}
}
