package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot/internal/pgtest"
)

// TestCopyCommand: copy moves a desk to a new SQLite file, prints each
// table's rows and a summary, and refuses a target with data, writing
// nothing.
func TestCopyCommand(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "from.db"), filepath.Join(dir, "to.db")
	if code, out, stderr := runMain(t, nil, "", "exec", "-db", from, "add Keep me due:2026-12-04"); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr := runMain(t, nil, "", "copy", "-from", from, "-to", to)
	if code != 0 || stderr != "" {
		t.Fatalf("copy: exit %d\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"\n  tasks ", "\n  audit ", "\n  workload_weeks ", "copied ", " rows in ", " tables from sqlite " + from + " to sqlite " + to} {
		if !strings.Contains(out, want) {
			t.Errorf("copy's report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "migrations") {
		t.Errorf("copy copied the migrations' bookkeeping:\n%s", out)
	}
	if code, out, _ := runMain(t, nil, "", "exec", "-db", to, "list"); code != 0 || !strings.Contains(out, "#1 Keep me") {
		t.Errorf("the copy lacks the task: exit %d\n%s", code, out)
	}

	// Once the copy has data, another copy into it is refused, and the
	// task added meanwhile is all that changed.
	if code, out, stderr := runMain(t, nil, "", "exec", "-db", to, "add Added to the copy"); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, stderr)
	}
	before := listTasks(t, to)
	code, out, stderr = runMain(t, nil, "", "copy", "-from", from, "-to", to)
	if code != 1 || out != "" || !strings.Contains(stderr, "upgradebot copy: sqlite "+to+" is not empty (rows in admins, audit") ||
		!strings.Contains(stderr, "Nothing was written.") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("copy into a desk with data: exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if after := listTasks(t, to); after != before {
		t.Errorf("the refused copy changed the desk:\n%s\nwas:\n%s", after, before)
	}

	// A missing -from is refused, not created and copied empty.
	missing := filepath.Join(dir, "missing.db")
	code, _, stderr = runMain(t, nil, "", "copy", "-from", missing, "-to", filepath.Join(dir, "new.db"))
	if code != 2 || !strings.Contains(stderr, "-from: there is no desk at "+missing) {
		t.Errorf("copy from a missing file: exit %d: %s", code, stderr)
	}
	for _, f := range []string{missing, filepath.Join(dir, "new.db")} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("a refused copy created %s", f)
		}
	}
}

// listTasks is `exec list all` on the desk at db.
func listTasks(t *testing.T, db string) string {
	t.Helper()
	code, out, stderr := runMain(t, nil, "", "exec", "-db", db, "list all")
	if code != 0 {
		t.Fatalf("list: exit %d\n%s%s", code, out, stderr)
	}
	return out
}

// TestCopyREADMEDemoToPostgres is issue 14's acceptance: copy the demo
// desk from SQLite to PostgreSQL, replay the README's demo on the copy,
// and get the same replies.
func TestCopyREADMEDemoToPostgres(t *testing.T) {
	dsn := pgtest.Schema(t)
	args, input, want := readmeDemo(t)
	t.Chdir(t.TempDir())
	i := slices.Index(args, "-db")
	if args[0] != "console" || i < 0 || i+1 >= len(args) {
		t.Fatalf("the README's demo runs %q; want console -db FILE", args)
	}
	file := args[i+1]

	// The demo desk as the README's console starts it: opened and seeded,
	// with its first messages still waiting, as the console opens it
	// before it reads the first command.
	m, out, errOut := newTestMain(nil, "")
	if _, err := m.parseFlags("console", args[1:]); err != nil {
		t.Fatal(err)
	}
	if err := m.open(t.Context(), "console"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	seeded, rest, _ := strings.Cut(want, "\n")
	if got := strings.TrimSuffix(out.String(), "\n"); got != seeded {
		t.Fatalf("opening the demo desk printed %q, want the README's first line %q", got, seeded)
	}

	code, report, stderr := runMain(t, nil, "", "copy", "-from", file, "-to", dsn)
	if code != 0 || stderr != "" {
		t.Fatalf("copy: exit %d\n%s%s", code, report, stderr)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}

	// The same console on the copy. It does not seed the copy (it has
	// tasks and releases already), so it does not print the README's first
	// line, "Seeded demo.db …"; from the messages the seeding left waiting
	// on, every line is the README's.
	pgArgs := slices.Clone(args)
	pgArgs[i+1] = dsn
	code, got, stderr := runMain(t, nil, input, pgArgs...)
	if code != 0 {
		t.Fatalf("console on the copy: exit %d: %s", code, stderr)
	}
	sameLines(t, "README demo on the PostgreSQL copy", got, rest, 3)
}

// TestBackupPostgres: backup of a desk on PostgreSQL is refused, saying
// to use pg_dump, and writes no file.
func TestBackupPostgres(t *testing.T) {
	dsn := pgtest.Schema(t)
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, stderr := runMain(t, nil, "", "backup", "-db", dsn, "desk.db")
	if code != 1 || out != "" || !strings.HasPrefix(stderr, "upgradebot backup: The desk is on PostgreSQL: back it up with pg_dump, ") ||
		strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("backup on PostgreSQL: exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("backup on PostgreSQL wrote %v", files)
	}
}
