package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// mustOpen opens a new database file in a temporary directory, closed when
// the test ends.
func mustOpen(tb testing.TB, clock upgradebot.Clock) *DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "upgradebot.db"), clock)
}

func mustOpenPath(tb testing.TB, path string, clock upgradebot.Clock) *DB {
	tb.Helper()
	db, err := Open(context.Background(), path, clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// bootstrapped opens a database set up as the contract suite sets one up.
func bootstrapped(t *testing.T) (*DB, *upgradebot.FakeClock) {
	t.Helper()
	clock := upgradebot.NewFakeClock(storetest.Start)
	db := mustOpen(t, clock)
	if err := db.Bootstrap(t.Context(), storetest.Channel, storetest.TimeZone, []string{storetest.Admin}); err != nil {
		t.Fatal(err)
	}
	return db, clock
}

func TestDesk(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock *upgradebot.FakeClock) upgradebot.Desk {
		return mustOpen(t, clock)
	})
}

func TestOpen(t *testing.T) {
	ctx := t.Context()
	for _, path := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if _, err := Open(ctx, path, nil); err == nil {
			t.Errorf("Open(%q) succeeded", path)
		}
	}

	// The pragmas the DSN asks for are in force on every connection.
	db := mustOpen(t, nil)
	conns := make([]interface{ Close() error }, 0, 3)
	for range 3 {
		conn, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		for pragma, want := range map[string]string{
			"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "10000", "temp_store": "2",
		} {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}

	// A path with characters that mean something in a URI still names the file.
	odd := filepath.Join(t.TempDir(), "odd name?#%.db")
	mustOpenPath(t, odd, nil)
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("database not at %q: %v", odd, err)
	}
}

func TestReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "upgradebot.db")
	clock := upgradebot.NewFakeClock(storetest.Start)
	db, err := Open(ctx, path, clock)
	if err != nil {
		t.Fatal(err)
	}
	task := &upgradebot.Task{Title: "Survives a restart", Due: upgradebot.Date{Year: 2026, Month: 12, Day: 1}}
	if err := db.CreateTask(ctx, storetest.Bob, task); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = mustOpenPath(t, path, clock)
	got, err := db.FindTaskByID(ctx, task.ID)
	if err != nil || got.Title != task.Title || got.Due != task.Due || !got.CreatedAt.Equal(storetest.Start) {
		t.Errorf("after reopening: %+v, %v", got, err)
	}
}

func TestAuditAppendOnly(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	if err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Audited"}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("audit has %d rows (%v)", n, err)
	}
	for _, stmt := range []string{
		`UPDATE audit SET actor = 'UMALLORY'`,
		`UPDATE audit SET after_json = '' WHERE action = 'task.add'`,
		`DELETE FROM audit`,
		`DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)`,
	} {
		_, err := db.db.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "audit is append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", stmt, err)
		}
	}
	var m int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit WHERE actor <> 'UMALLORY'`).Scan(&m); err != nil || m != n {
		t.Errorf("audit has %d untouched rows, want %d (%v)", m, n, err)
	}
}

// A failure late in a change leaves nothing of it behind: no row, no audit,
// no message.
func TestChangeIsAtomic(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	// Make the outbox refuse inserts, so CreateTask fails after writing the
	// task and its audit row.
	if _, err := db.db.ExecContext(ctx, `
		CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox broken'); END`); err != nil {
		t.Fatal(err)
	}
	err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Doomed", Assignee: storetest.Alice})
	if err == nil || upgradebot.ErrorCode(err) != upgradebot.EINTERNAL || !strings.Contains(err.Error(), "store: create task") {
		t.Fatalf("err = %v, want an internal error naming the operation", err)
	}
	for _, table := range []string{"tasks", "outbox"} {
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s has %d rows (%v)", table, n, err)
		}
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit WHERE action = 'task.add'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("audit has %d task.add rows (%v)", n, err)
	}
}

// App Home refreshes are queued in the change's own transaction: when one
// cannot be queued, the change fails and nothing of it stays.
func TestHomeRefreshIsPartOfTheChange(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	task := &upgradebot.Task{Title: "Upgrade lab interface"}
	if err := db.CreateTask(ctx, storetest.Bob, task); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `
		CREATE TRIGGER homes_broken BEFORE INSERT ON outbox WHEN NEW.kind = 'home'
		BEGIN SELECT RAISE(ABORT, 'homes broken'); END`); err != nil {
		t.Fatal(err)
	}
	_, err := db.AssignTask(ctx, storetest.Bob, task.ID, storetest.Alice)
	if err == nil || upgradebot.ErrorCode(err) != upgradebot.EINTERNAL || !strings.Contains(err.Error(), "store: assign task") {
		t.Fatalf("err = %v, want an internal error naming the operation", err)
	}
	if got, err := db.FindTaskByID(ctx, task.ID); err != nil || got.Assignee != "" {
		t.Errorf("task = %+v, %v; want it unassigned still", got, err)
	}
	for q, want := range map[string]int{
		`SELECT COUNT(*) FROM outbox WHERE kind = 'dm'`:           0,
		`SELECT COUNT(*) FROM outbox WHERE kind = 'home'`:         1, // Bob's, from creating the task
		`SELECT COUNT(*) FROM audit WHERE action = 'task.assign'`: 0,
	} {
		var n int
		if err := db.db.QueryRowContext(ctx, q).Scan(&n); err != nil || n != want {
			t.Errorf("%s = %d (%v), want %d", q, n, err, want)
		}
	}
}

// If the next occurrence of a clean-up already exists (however it came to
// be), completing returns it instead of inserting a second.
func TestCompleteFindsExistingOccurrence(t *testing.T) {
	ctx := t.Context()
	db, _ := bootstrapped(t)
	every, _ := upgradebot.ParseInterval("1w")
	first, err := db.CreateMaintenance(ctx, storetest.Admin, &upgradebot.Maintenance{
		Title: "Purge test patients", Every: every, Anchor: upgradebot.Date{Year: 2026, Month: 11, Day: 26}})
	if err != nil {
		t.Fatal(err)
	}
	var existing int64
	if err := db.db.QueryRowContext(ctx, `
		INSERT INTO tasks (title, kind, status, due, priority, maintenance_id, created_by, created_at, updated_at)
		VALUES ('Purge test patients', 'cleanup', 'open', '2026-12-03', 'normal', ?, 'UADMIN', ?, ?)
		RETURNING id`, first.MaintenanceID, formatTime(storetest.Start), formatTime(storetest.Start)).Scan(&existing); err != nil {
		t.Fatal(err)
	}
	_, next, err := db.CompleteTask(ctx, storetest.Alice, first.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if next == nil || next.ID != existing {
		t.Errorf("next = %+v, want the existing #%d", next, existing)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE maintenance_id = ?`, first.MaintenanceID).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d occurrences (%v), want 2", n, err)
	}

	// And the database itself refuses a second occurrence on one day.
	_, err = db.db.ExecContext(ctx, `
		INSERT INTO tasks (title, kind, status, due, priority, maintenance_id, created_by, created_at, updated_at)
		VALUES ('Again', 'cleanup', 'open', '2026-12-03', 'normal', ?, 'UADMIN', ?, ?)`,
		first.MaintenanceID, formatTime(storetest.Start), formatTime(storetest.Start))
	if err == nil {
		t.Error("a second occurrence on 2026-12-03 was accepted")
	}
}

func TestOverdueUsesIndex(t *testing.T) {
	db, _ := bootstrapped(t)
	fillTasks(t, db, 2000) // and ANALYZE, so the planner sees a realistic table
	f := upgradebot.TaskFilter{
		Statuses:  []upgradebot.TaskStatus{upgradebot.StatusOpen},
		DueBefore: upgradebot.Date{Year: 2026, Month: 11, Day: 26},
		Limit:     50,
	}
	// Rebuild the queries FindTasks runs and ask SQLite how it would run them.
	where := ` WHERE t.status IN (?) AND t.due IS NOT NULL AND t.due < ?`
	for _, q := range []struct {
		query string
		args  []any
	}{
		{`SELECT COUNT(*) FROM tasks t` + where, []any{"open", "2026-11-26"}},
		{`SELECT ` + taskColumns + ` ` + taskFrom + where + ` ORDER BY ` + taskOrder(f) + ` LIMIT ? OFFSET ?`,
			[]any{"open", "2026-11-26", 50, 0}},
	} {
		all := queryPlan(t, db, q.query, q.args...)
		if !strings.Contains(all, "tasks_status_due") || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("overdue query does not walk tasks_status_due in order:\n%s\n%s", q.query, all)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := t.Context()
	db, clock := bootstrapped(t)
	dir := t.TempDir()

	// Writers keep going while the backup is taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: fmt.Sprintf("Writer %d task %d", w, i), Assignee: storetest.Alice})
				if err != nil {
					t.Errorf("CreateTask during backup: %v", err)
					return
				}
				written.Add(1)
			}
		})
	}
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	dest := filepath.Join(dir, "backup.db")
	err := db.Backup(ctx, dest)
	for written.Load() < 60 {
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}

	// Refuses to overwrite, even its own earlier copy.
	if err := db.Backup(ctx, dest); upgradebot.ErrorCode(err) != upgradebot.ECONFLICT {
		t.Errorf("Backup over an existing file: %v, want ECONFLICT", err)
	}

	// The copy opens, and is consistent: every task has its audit row and
	// its message, because they were committed together.
	backup := mustOpenPath(t, dest, clock)
	var tasks, audits, msgs, homes int
	for q, n := range map[string]*int{
		`SELECT COUNT(*) FROM tasks`:                         &tasks,
		`SELECT COUNT(*) FROM audit WHERE action='task.add'`: &audits,
		`SELECT COUNT(*) FROM outbox WHERE kind = 'dm'`:      &msgs,
		`SELECT COUNT(*) FROM outbox WHERE kind = 'home'`:    &homes,
	} {
		if err := backup.db.QueryRowContext(ctx, q).Scan(n); err != nil {
			t.Fatal(err)
		}
	}
	if tasks < 20 || tasks != audits || tasks != msgs {
		t.Errorf("backup has %d tasks, %d task.add rows, %d messages; want equal and at least 20", tasks, audits, msgs)
	}
	if homes != 2 {
		t.Errorf("backup has %d App Home refreshes, want 2: Bob's and Alice's, each folded into the first", homes)
	}
	if int64(tasks) >= written.Load() {
		t.Logf("backup has all %d tasks; writes did not overlap the copy", tasks)
	}
	var check string
	if err := backup.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
	if err := backup.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Written to the copy"}); err != nil {
		t.Errorf("the backup does not take writes: %v", err)
	}
}

// Two programs opening the same new file at once both end up with one,
// fully migrated schema.
func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upgradebot.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	dbs := make([]*DB, 4)
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = Open(t.Context(), path, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		} else {
			defer dbs[i].Close()
		}
	}
	if errs[0] != nil {
		return
	}
	names, _ := (&DB{}).migrationNames()
	var n int
	if err := dbs[0].db.QueryRow(`SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil || n != len(names) {
		t.Errorf("%d migrations recorded (%v), want %d", n, err, len(names))
	}
}

func TestErrorsNameTheOperation(t *testing.T) {
	db, _ := bootstrapped(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: "Never"})
	if err == nil || !strings.HasPrefix(err.Error(), "store: create task: ") || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if upgradebot.ErrorCode(err) != upgradebot.EINTERNAL {
		t.Errorf("code = %q", upgradebot.ErrorCode(err))
	}
}

// Two handles on one file do not share the in-process writer queue, so this
// exercises what another process would meet: BEGIN IMMEDIATE waiting on
// busy_timeout. Every write must succeed, none with SQLITE_BUSY.
func TestConcurrentWritersAcrossHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upgradebot.db")
	clock := upgradebot.NewFakeClock(storetest.Start)
	a, b := mustOpenPath(t, path, clock), mustOpenPath(t, path, clock)
	if err := a.Bootstrap(t.Context(), storetest.Channel, storetest.TimeZone, []string{storetest.Admin}); err != nil {
		t.Fatal(err)
	}
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, 2*n)
	for i := range 2 * n {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Go(func() {
			errs[i] = db.CreateTask(t.Context(), storetest.Bob, &upgradebot.Task{Title: fmt.Sprintf("Task %d", i), Assignee: storetest.Alice})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("CreateTask %d: %v", i, err)
		}
	}
	if _, total, err := b.FindTasks(t.Context(), upgradebot.TaskFilter{}); err != nil || total != 2*n {
		t.Errorf("%d tasks (%v), want %d", total, err, 2*n)
	}
}

// queryPlan returns SQLite's plan for query, one step a line.
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	plan, err := queryAll(t.Context(), db.db, func(s scanner) (string, error) {
		var id, parent, notused int
		var detail string
		err := s.Scan(&id, &parent, &notused, &detail)
		return detail, err
	}, `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	return strings.Join(plan, "\n")
}

// TestSetSettings: admins only, every value checked before anything is
// written, each change audited, an unchanged value not written again.
func TestSetSettings(t *testing.T) {
	db, _ := bootstrapped(t)
	ctx := t.Context()
	err := db.SetSettings(ctx, storetest.Alice, map[string]string{upgradebot.SettingLeads: "10"})
	if upgradebot.ErrorCode(err) != upgradebot.EFORBIDDEN || !strings.Contains(upgradebot.ErrorMessage(err), "<@"+storetest.Admin+">") {
		t.Errorf("non-admin: %v", err)
	}
	for _, bad := range []map[string]string{
		{upgradebot.SettingLeads: "10", upgradebot.SettingHours: "17:00-08:00"},
		{upgradebot.SettingLeads: "10", upgradebot.SettingSchedulePrefix + "digest": "0 25 * * *"},
		{upgradebot.SettingLeads: "10", upgradebot.SettingSchedulePrefix + "digest": "0 0 30 2 *"},
		{upgradebot.SettingLeads: "10", upgradebot.SettingSchedulePrefix + "digest": "@every 1h"},
		{upgradebot.SettingLeads: "10", "colour": "blue"},
		{upgradebot.SettingLeads: "10", "owner": storetest.Alice},
	} {
		if err := db.SetSettings(ctx, storetest.Admin, bad); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
			t.Errorf("SetSettings(%v) = %v, want EINVALID", bad, err)
		}
	}
	if s, _ := db.Settings(ctx); s.Values != nil {
		t.Errorf("a refused change wrote %v", s.Values)
	}
	vals := map[string]string{upgradebot.SettingLeads: "7, 30", upgradebot.SettingTimeZone: "Europe/London", upgradebot.SettingNudgeEvery: "3"}
	if err := db.SetSettings(ctx, storetest.Admin, vals); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSettings(ctx, storetest.Admin, vals); err != nil {
		t.Fatal(err)
	}
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Config(); s.TimeZone != "Europe/London" || fmt.Sprint(c.Leads) != "[30 7]" || c.NudgeEvery != 3 {
		t.Errorf("settings %+v, config %+v", s, c)
	}
	rows, err := db.FindAudit(ctx, upgradebot.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.Action == "setting.set" && r.Actor == storetest.Admin {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d setting.set rows by the admin, want 3 (one per change, none for the repeat)", n)
	}
}
