package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// openAtVersion creates a database file at schema version v (the first v
// migrations applied) and closes it.
func openAtVersion(t *testing.T, path string, v int, seed func(db *DB)) {
	t.Helper()
	ctx := t.Context()
	db, err := open(ctx, path, upgradebot.NewFakeClock(storetest.Start))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.migrateTo(ctx, v); err != nil {
		t.Fatal(err)
	}
	if seed != nil {
		seed(db)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// seedVersion writes a little of everything that exists at schema version
// v, with raw SQL of that version, as an older program would have.
func seedVersion(t *testing.T, db *DB, v int) {
	t.Helper()
	now := formatTime(storetest.Start)
	var stmts []string
	if v >= 1 {
		stmts = append(stmts,
			`INSERT INTO settings (key, value) VALUES ('owner', 'UOWNER'), ('channel', 'CTEAM'), ('tz', 'America/New_York')`,
			`INSERT INTO admins (user_id, added_by, added_at) VALUES ('UADMIN', 'system', '`+now+`')`,
			`INSERT INTO people (user_id, name, updated_at) VALUES ('UALICE', 'alice', '`+now+`')`,
			`INSERT INTO releases (id, key, vendor, name, ga, support, created_by, created_at)
			 VALUES (1, 'medcore-2027.1', 'MedCore', '2027.1', '2027-03-01', NULL, 'UADMIN', '`+now+`')`,
			`INSERT INTO maintenance (id, title, every, assignee, anchor, active, created_by, created_at)
			 VALUES (1, 'Duplicate MRN clean-up', '2w', 'UALICE', '2026-11-19', 1, 'UADMIN', '`+now+`')`,
			`INSERT INTO tasks (id, title, kind, status, assignee, due, priority, release_id, ref, maintenance_id,
			 created_by, created_at, updated_at) VALUES
			 (1, 'Upgrade lab interface', 'upgrade', 'open', 'UALICE', '2026-11-20', 'high', 1, 'CHG-100', NULL, 'UBOB', '`+now+`', '`+now+`'),
			 (2, 'Duplicate MRN clean-up', 'cleanup', 'open', 'UALICE', '2026-11-19', 'normal', NULL, '', 1, 'UADMIN', '`+now+`', '`+now+`')`,
			`INSERT INTO task_notes (task_id, author, text, at) VALUES (1, 'UBOB', 'Vendor call booked', '`+now+`')`,
			`INSERT INTO away (user_id, from_day, to_day, delegate, created_by, created_at)
			 VALUES ('UOWNER', '2026-12-01', '2026-12-05', 'UDELEGATE', 'UOWNER', '`+now+`')`,
		)
	}
	if v >= 2 {
		stmts = append(stmts,
			`INSERT INTO decisions (id, question, requested_by, routed_to, due, status, created_at)
			 VALUES (1, 'Take MedCore 2027.1 in March?', 'UBOB', 'UOWNER', '2026-12-10', 'pending', '`+now+`')`,
			`INSERT INTO audit (at, actor, action, entity, entity_id, after_json)
			 VALUES ('`+now+`', 'UBOB', 'decision.request', 'decision', 1, '{"id":1}')`,
		)
	}
	if v >= 3 {
		stmts = append(stmts,
			`UPDATE decisions SET request_msg = NULL WHERE id = 1`,
			`INSERT INTO outbox (kind, to_id, text, status, next_try, created_at)
			 VALUES ('dm', 'UALICE', 'left over from before the upgrade', 'pending', '`+now+`', '`+now+`')`,
		)
	}
	for _, s := range stmts {
		if _, err := db.db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("seeding version %d: %v\n%s", v, err, s)
		}
	}
}

// TestMigrateFromEveryVersion builds a database at every earlier schema
// version, with data where the tables exist, opens it normally and checks
// that it upgrades, that the data survives and that everything works.
func TestMigrateFromEveryVersion(t *testing.T) {
	names, err := (&DB{}).migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 3 {
		t.Fatalf("only %d migrations: %q", len(names), names)
	}
	for v := range len(names) {
		t.Run(fmt.Sprintf("from%d", v), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "old.db")
			openAtVersion(t, path, v, func(db *DB) { seedVersion(t, db, v) })

			clock := upgradebot.NewFakeClock(storetest.Start)
			db := mustOpenPath(t, path, clock)
			checkUpgraded(t, db, names, v)
		})
	}
}

func checkUpgraded(t *testing.T, db *DB, names []string, v int) {
	ctx := t.Context()
	applied, err := queryAll(ctx, db.db, scanString, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(applied, names) {
		t.Fatalf("migrations = %q, want %q", applied, names)
	}

	if v >= 1 {
		s, err := db.Settings(ctx)
		if err != nil || s.Owner != "UOWNER" || s.Channel != "CTEAM" || s.TimeZone != "America/New_York" ||
			!slices.Equal(s.Admins, []string{"UADMIN"}) {
			t.Errorf("Settings = %+v, %v", s, err)
		}
		task, err := db.FindTaskByID(ctx, 1)
		if err != nil || task.Title != "Upgrade lab interface" || task.Release != "medcore-2027.1" || task.Ref != "CHG-100" ||
			task.Priority != upgradebot.PriorityHigh || task.Due != (upgradebot.Date{Year: 2026, Month: 11, Day: 20}) ||
			!task.CreatedAt.Equal(storetest.Start) {
			t.Errorf("task 1 = %+v, %v", task, err)
		}
		if notes, err := db.TaskNotes(ctx, 1); err != nil || len(notes) != 1 || notes[0].Text != "Vendor call booked" {
			t.Errorf("notes = %+v, %v", notes, err)
		}
		if rel, err := db.FindReleases(ctx, upgradebot.ReleaseFilter{}); err != nil || len(rel) != 1 || rel[0].Key != "medcore-2027.1" {
			t.Errorf("releases = %+v, %v", rel, err)
		}
		if ms, err := db.FindMaintenance(ctx); err != nil || len(ms) != 1 || ms[0].OpenTaskID != 2 || ms[0].Every.String() != "2w" {
			t.Errorf("clean-ups = %+v, %v", ms, err)
		}
		if away, err := db.FindAway(ctx, upgradebot.Date{Year: 2026, Month: 11, Day: 26}); err != nil || len(away) != 1 ||
			away[0].Delegate != "UDELEGATE" {
			t.Errorf("away = %+v, %v", away, err)
		}
		if people, err := db.People(ctx); err != nil || people["UALICE"] != "alice" {
			t.Errorf("people = %v, %v", people, err)
		}
		// Old rows take part in new changes.
		_, next, err := db.CompleteTask(ctx, "UALICE", 2, "done after the upgrade")
		if err != nil || next == nil || next.Due != (upgradebot.Date{Year: 2026, Month: 12, Day: 3}) {
			t.Errorf("completing an old occurrence: %+v, %v", next, err)
		}
		if _, err := db.AssignTask(ctx, "UBOB", 1, "UBOB"); err != nil {
			t.Errorf("assigning an old task: %v", err)
		}
	} else {
		if err := db.Bootstrap(ctx, "CTEAM", "America/New_York", []string{"UADMIN"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetOwner(ctx, "UADMIN", "UOWNER"); err != nil {
			t.Fatal(err)
		}
	}

	if v >= 2 {
		list, err := db.FindDecisions(ctx, upgradebot.DecisionFilter{})
		if err != nil || len(list) != 1 || list[0].Status != upgradebot.DecisionPending || list[0].RoutedTo != "UOWNER" {
			t.Fatalf("decisions = %+v, %v", list, err)
		}
		// Its request DM predates the outbox: no update, but the requester
		// and the channel are told, and the decider's App Home refreshed
		// (the requester's is folded into the one pending since UBOB
		// assigned a task above).
		before, _ := db.PendingMessages(ctx, storetest.Start.AddDate(1, 0, 0), 0)
		if _, err := db.Decide(ctx, "UOWNER", 1, upgradebot.DecisionApproved, ""); err != nil {
			t.Fatalf("deciding an old decision: %v", err)
		}
		after, _ := db.PendingMessages(ctx, storetest.Start.AddDate(1, 0, 0), 0)
		var kinds []string
		for _, m := range after[len(before):] {
			kinds = append(kinds, string(m.Kind)+":"+m.To)
		}
		if want := []string{"dm:UBOB", "post:CTEAM", "home:UOWNER"}; !slices.Equal(kinds, want) {
			t.Errorf("outcome messages %q, want %q", kinds, want)
		}
		if a, err := db.FindAudit(ctx, upgradebot.AuditFilter{Entity: "decision", EntityID: 1}); err != nil || len(a) != 2 {
			t.Errorf("decision audit = %+v, %v", a, err)
		}
	}

	// Everything works on the upgraded file.
	if err := db.CreateTask(ctx, "UBOB", &upgradebot.Task{Title: "After the upgrade", Assignee: "UALICE"}); err != nil {
		t.Errorf("CreateTask: %v", err)
	}
	d := &upgradebot.Decision{Question: "Anything after the upgrade?"}
	if _, err := db.CreateDecision(ctx, "UBOB", d); err != nil {
		t.Fatalf("CreateDecision: %v", err)
	}
	if _, err := db.Decide(ctx, "UOWNER", d.ID, upgradebot.DecisionRejected, "No"); err != nil {
		t.Errorf("Decide: %v", err)
	}
	// Messages from before sections existed read as plain; new ones keep
	// theirs; the digest reads the upgraded tables.
	if v >= 3 {
		if m, err := db.FindMessage(ctx, 1); err != nil || m.Text != "left over from before the upgrade" || m.Sections != nil {
			t.Errorf("an old message: %+v, %v", m, err)
		}
	}
	sections := []upgradebot.Section{{Title: "Overdue (1)", Lines: []string{"• #1 Upgrade lab interface"}, More: 2}}
	if err := db.QueueMessages(ctx, []upgradebot.Message{{Kind: upgradebot.MessagePost, To: "CTEAM", Text: "Digest", Sections: sections}}); err != nil {
		t.Errorf("QueueMessages with sections: %v", err)
	}
	if msgs, err := db.PendingMessages(ctx, storetest.Start.AddDate(1, 0, 0), 0); err != nil || len(msgs) == 0 ||
		len(msgs[len(msgs)-1].Sections) != 1 || msgs[len(msgs)-1].Sections[0].More != 2 {
		t.Errorf("a message with sections after the upgrade: %v", err)
	}
	if _, err := db.DigestData(ctx, storetest.Start, upgradebot.DateOf(storetest.Start), 10); err != nil {
		t.Errorf("DigestData: %v", err)
	}
	if _, err := db.db.ExecContext(ctx, `DELETE FROM audit`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("audit is not append-only after the upgrade: %v", err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Errorf("migrating again: %v", err)
	}
}

// TestContractAfterUpgrade runs the whole contract suite on databases that
// started at schema version 1, the oldest with tables, so every later
// migration runs as an upgrade over an existing schema. (Starting later
// runs a suffix of the same steps; TestMigrateFromEveryVersion covers each
// starting point with data.)
func TestContractAfterUpgrade(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock *upgradebot.FakeClock) upgradebot.Desk {
		path := filepath.Join(t.TempDir(), "old.db")
		openAtVersion(t, path, 1, nil)
		return mustOpenPath(t, path, clock)
	})
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "new.db")
	db := mustOpenPath(t, path, nil)
	if _, err := db.db.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', 'x')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, nil); err == nil || !strings.Contains(err.Error(), "9999_future.sql") {
		t.Errorf("Open of a newer database: %v", err)
	}
}

func TestMigrateToBounds(t *testing.T) {
	db, err := open(context.Background(), filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, _ := (&DB{}).migrationNames()
	for _, v := range []int{-1, len(names) + 1} {
		if err := db.migrateTo(t.Context(), v); err == nil {
			t.Errorf("migrateTo(%d) succeeded", v)
		}
	}
}
