package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/internal/pgtest"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// fillDesk gives a bootstrapped desk rows in most of its tables, through
// the desk's own methods, and returns the id of the checklist item it
// removed last: the highest checklist id handed out, which no row shows.
func fillDesk(t *testing.T, db *DB, clock *upgradebot.FakeClock) int64 {
	t.Helper()
	ctx := t.Context()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin, alice, bob := storetest.Admin, storetest.Alice, storetest.Bob
	today := upgradebot.Today(clock.Now(), storetest.NewYork)
	must(db.RememberPeople(ctx, []upgradebot.Person{{ID: alice, Name: "alice"}, {ID: bob, Name: "bob"}}))
	must(db.SetOwner(ctx, admin, admin))
	must(db.AddPartner(ctx, admin, bob))
	must(db.AddSite(ctx, admin, &upgradebot.Site{Key: "north", Name: "North campus"}))
	must(db.SetVendor(ctx, admin, &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91, SupportDays: 540}))
	r := &upgradebot.Release{Key: "medcore-2026q4", Vendor: "MedCore", Name: "2026 Q4", GA: today.AddDays(-10), Support: today.AddMonths(18)}
	must(db.CreateRelease(ctx, admin, r))
	_, err := db.RecordPhase(ctx, admin, r.Key, upgradebot.PhaseReview, upgradebot.PhaseStart, today)
	must(err)
	must(db.LogReleaseItem(ctx, admin, r.Key, &upgradebot.ReleaseItem{Title: "New lab order sets", Verdict: upgradebot.VerdictAdopt}))
	var last int64
	for _, title := range []string{"Read the release notes", "Run the regression scripts", "Print the binders"} {
		it := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: title, Estimate: time.Hour}
		must(db.AddChecklistItem(ctx, admin, it))
		last = it.ID
	}
	_, err = db.RemoveChecklistItem(ctx, admin, last)
	must(err)
	for i, title := range []string{"Review the release notes", "Regression-test the interfaces", "Update the downtime procedures"} {
		task := &upgradebot.Task{Title: title, Assignee: alice, Due: today.AddDays(i - 1), Release: r.Key, Estimate: 2 * time.Hour}
		must(db.CreateTask(ctx, admin, task))
		if i == 0 {
			_, err := db.AddTaskNote(ctx, alice, task.ID, "started on the lab section")
			must(err)
			_, err = db.LogTime(ctx, alice, task.ID, 90*time.Minute, "first pass")
			must(err)
			_, _, err = db.CompleteTask(ctx, alice, task.ID, "done")
			must(err)
		}
	}
	// More rows than one INSERT of Copy carries, in tasks and audit.
	var bulk []*upgradebot.Task
	for i := range 1000 {
		bulk = append(bulk, &upgradebot.Task{Title: fmt.Sprintf("Imported ticket %d", i), Ref: fmt.Sprintf("INC%04d", i)})
	}
	must(db.CreateTasks(ctx, admin, bulk))
	_, err = db.CreateMaintenance(ctx, admin, &upgradebot.Maintenance{Title: "Duplicate MRN clean-up",
		Every: upgradebot.Interval{N: 2, Unit: 'w'}, Assignee: bob, Anchor: today.AddDays(3)})
	must(err)
	_, err = db.CreateDecision(ctx, alice, &upgradebot.Decision{Question: "Skip Q3 and go straight to Q4?", Due: today.AddDays(3)})
	must(err)
	must(db.CreateFreeze(ctx, admin, &upgradebot.Freeze{From: today.AddDays(14), To: today.AddDays(20), Reason: "go-live"}))
	must(db.SetAway(ctx, admin, &upgradebot.Away{User: admin, From: today.AddDays(30), To: today.AddDays(35), Delegate: alice}))
	_, err = db.SetMute(ctx, bob, bob, today.AddDays(2))
	must(err)
	must(db.RecordWorkloadWeek(ctx, today, upgradebot.WorkloadLimits{Tasks: 1})) // "user" is a column
	_, err = db.RecordRun(ctx, upgradebot.JobRun{Job: "digest", At: clock.Now(), Status: upgradebot.RunDone},
		[]upgradebot.Message{{Kind: upgradebot.MessagePost, To: storetest.Channel, Text: "Digest"}})
	must(err)
	_, err = db.RecordEvent(ctx, "Ev01", []upgradebot.Message{{Kind: upgradebot.MessageDM, To: alice, Text: "hello"}})
	must(err)
	must(db.CheckWrite(ctx))
	must(db.RecordServe(ctx))
	clock.Advance(time.Hour)
	return last
}

// dumpDesk reads every row of every table of the desk, ordered by primary
// key.
func dumpDesk(t *testing.T, db *DB) map[string][][]any {
	t.Helper()
	ctx := t.Context()
	tables, err := listTables(ctx, db.db, db.pg)
	if err != nil {
		t.Fatal(err)
	}
	dump := map[string][][]any{}
	for _, table := range tables {
		key, err := primaryKey(ctx, db.db, db.pg, table)
		if err != nil || len(key) == 0 {
			t.Fatalf("%s: primary key %v: %v", table, key, err)
		}
		rows, err := db.db.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` ORDER BY `+quoteIdents(key))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		dump[table] = [][]any{}
		for rows.Next() {
			row := make([]any, len(cols))
			dest := make([]any, len(cols))
			for i := range row {
				dest[i] = &row[i]
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
			dump[table] = append(dump[table], row)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dump
}

// sameDump reports where two dumps differ.
func sameDump(t *testing.T, what string, got, want map[string][][]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d tables, want %d", what, len(got), len(want))
	}
	for table, rows := range want {
		if !reflect.DeepEqual(got[table], rows) {
			t.Errorf("%s: table %s differs:\n got: %v\nwant: %v", what, table, got[table], rows)
		}
	}
}

// testCopy copies a filled SQLite desk to a new desk at dsn and checks the
// copy: every row of every table, refusals of a non-empty target, and new
// ids past the copied ones. It returns the source and the copy.
func testCopy(t *testing.T, dsn string) (src, dst *DB) {
	ctx := t.Context()
	src, clock := bootstrapped(t)
	removed := fillDesk(t, src, clock)
	want := dumpDesk(t, src)

	dst, err := OpenEmpty(ctx, dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	r, err := Copy(ctx, dst, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Tables) != len(want) || len(r.Tables) < 30 {
		t.Errorf("copied %d tables, the source has %d", len(r.Tables), len(want))
	}
	var rows int64
	if n := len(want["audit"]); n < 2*copyBatchArgs/9 {
		t.Errorf("the audit has %d rows: not enough to fill two of Copy's INSERTs", n)
	}
	for _, tr := range r.Tables {
		if int64(len(want[tr.Table])) != tr.Rows {
			t.Errorf("%s: copied %d rows, the source has %d", tr.Table, tr.Rows, len(want[tr.Table]))
		}
		rows += int64(len(want[tr.Table]))
		if tr.Table == "migrations" || tr.Table == "sqlite_sequence" {
			t.Errorf("copied %s", tr.Table)
		}
	}
	if r.Rows() != rows {
		t.Errorf("Rows() = %d, want %d", r.Rows(), rows)
	}
	for _, table := range []string{"tasks", "task_notes", "task_time", "releases", "release_phases", "release_items",
		"vendors", "maintenance", "checklist", "decisions", "decision_cards", "outbox", "audit", "settings", "admins",
		"partners", "people", "sites", "freezes", "away", "mutes", "job_runs", "slack_events", "workload_weeks",
		"health_checks", "serve_started"} {
		if len(want[table]) == 0 {
			t.Errorf("fillDesk left %s empty: the copy of it is not tested", table)
		}
	}
	sameDump(t, "the copy", dumpDesk(t, dst), want)

	// A desk with data is refused, and left as it was.
	if _, err := Copy(ctx, dst, src); upgradebot.ErrorCode(err) != upgradebot.ECONFLICT {
		t.Errorf("a second copy into the copy: %v, want a conflict", err)
	}
	if _, err := OpenEmpty(ctx, dsn, clock); upgradebot.ErrorCode(err) != upgradebot.ECONFLICT {
		t.Errorf("OpenEmpty on the copy: %v, want a conflict", err)
	}
	sameDump(t, "the copy after the refusals", dumpDesk(t, dst), want)

	// New rows get new ids: past the copied rows', and past an id the
	// source handed out and removed.
	maxID := func(table string) int64 {
		var n int64
		if err := dst.db.QueryRowContext(ctx, `SELECT MAX(id) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	lastTask, lastDecision, lastMessage := maxID("tasks"), maxID("decisions"), maxID("outbox")
	task := &upgradebot.Task{Title: "After the move"}
	if err := dst.CreateTask(ctx, storetest.Admin, task); err != nil || task.ID <= lastTask {
		t.Errorf("a new task on the copy: #%d, %v; the copied tasks go up to #%d", task.ID, err, lastTask)
	}
	if _, err := dst.CreateDecision(ctx, storetest.Alice, &upgradebot.Decision{Question: "Move on?"}); err != nil {
		t.Fatal(err)
	}
	if got := maxID("decisions"); got <= lastDecision {
		t.Errorf("a new decision on the copy is #%d; the copied ones go up to #%d", got, lastDecision)
	}
	if got := maxID("outbox"); got <= lastMessage {
		t.Errorf("a new message on the copy is #%d; the copied ones go up to #%d", got, lastMessage)
	}
	it := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Integrated testing"}
	if err := dst.AddChecklistItem(ctx, storetest.Admin, it); err != nil || it.ID <= removed {
		t.Errorf("a new checklist item on the copy: %d, %v; the source had handed out %d", it.ID, err, removed)
	}
	return src, dst
}

// TestCopySQLite copies a desk to a new SQLite file.
func TestCopySQLite(t *testing.T) {
	testCopy(t, filepath.Join(t.TempDir(), "copy.db"))
}

// TestCopyPostgres copies a SQLite desk to PostgreSQL, and that copy back
// to a new SQLite file: the same rows each way.
func TestCopyPostgres(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Schema(t)
	src, clock := bootstrapped(t)
	fillDesk(t, src, clock)
	pg, err := OpenEmpty(ctx, dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if _, err := Copy(ctx, pg, src); err != nil {
		t.Fatal(err)
	}
	back, err := OpenEmpty(ctx, filepath.Join(t.TempDir(), "back.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := Copy(ctx, back, pg); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "SQLite to PostgreSQL and back", dumpDesk(t, back), dumpDesk(t, src))
	for _, db := range []*DB{src, back} {
		if high, err := highestIDs(ctx, db.db, false); err != nil || high["checklist"] == 0 {
			t.Errorf("%s: highest ids %v, %v", db, high, err)
		}
	}

	t.Run("checks", func(t *testing.T) { testCopy(t, pgtest.Schema(t)) })
}

// TestCopyRefusesData: a target with a row in any table is refused before
// its schema is touched, and a desk is not copied onto itself.
func TestCopyRefusesData(t *testing.T) {
	ctx := t.Context()
	src, _ := bootstrapped(t)
	if _, err := OpenEmpty(ctx, src.where, nil); upgradebot.ErrorCode(err) != upgradebot.ECONFLICT {
		t.Errorf("OpenEmpty on a bootstrapped desk: %v, want a conflict", err)
	}
	if _, err := Copy(ctx, src, src); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
		t.Errorf("a desk copied onto itself: %v", err)
	}
	// An older desk with data is not migrated.
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.migrateTo(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('tz', 'UTC')`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	_, err = OpenEmpty(context.Background(), path, nil)
	if upgradebot.ErrorCode(err) != upgradebot.ECONFLICT {
		t.Fatalf("OpenEmpty on an old desk with data: %v", err)
	}
	old, err = open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	var n int
	if err := old.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil || n != 3 {
		t.Errorf("the refused desk has %d migrations (%v), want 3 as it had", n, err)
	}
}
