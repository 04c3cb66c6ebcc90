package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store"
)

// bigExport writes a ServiceNow-style export of n made-up changes; the row
// for ticket bad (0 for none) has a due date nobody can read.
func bigExport(t *testing.T, path string, n, bad int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Number,Short description,Assigned to,Due date,Priority,State,Assignment group\n")
	for i := 1; i <= n; i++ {
		due := fmt.Sprintf("2027-%02d-%02d 17:00:00", i%12+1, i%28+1)
		if i == bad {
			due = "next Tuesday-ish"
		}
		fmt.Fprintf(&b, "CHG%07d,Made-up change %d,U0SAM,%s,%d - Moderate,Assigned,EHR Apps\n", i, i, due, 3)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// countTasks opens the database file and counts its tasks and import audit rows.
func countTasks(t *testing.T, path string) int {
	t.Helper()
	db, err := store.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, n, err := db.FindTasks(t.Context(), upgradebot.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "import.db")
	env := map[string]string{"UPGRADEBOT_DB": dbPath}
	const n = 10000

	// A bad row in the middle: nothing is imported, the line is named.
	bad := filepath.Join(dir, "bad.csv")
	bigExport(t, bad, n, 5000)
	code, out, stderr := runMain(t, env, "", "import", bad)
	if code != 1 || !strings.Contains(stderr, "line 5001") || !strings.Contains(stderr, `"next Tuesday-ish"`) {
		t.Fatalf("bad row: exit %d\n%s%s", code, out, stderr)
	}
	if got := countTasks(t, dbPath); got != 0 {
		t.Fatalf("%d tasks after a failed import, want 0", got)
	}

	good := filepath.Join(dir, "good.csv")
	bigExport(t, good, n, 0)
	// A dry run says what would happen and writes nothing.
	code, out, stderr = runMain(t, env, "", "import", "-dry-run", good)
	if code != 0 || !strings.Contains(out, "Dry run: would import 10000 new tasks; 0 refs already there") || !strings.Contains(out, `Ignored columns (no task field): ["Assignment group"]`) {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	if got := countTasks(t, dbPath); got != 0 {
		t.Fatalf("%d tasks after a dry run, want 0", got)
	}

	// 10,000 rows in one transaction.
	code, out, stderr = runMain(t, env, "", "import", "-as", "U0DANA", good)
	if code != 0 || !strings.Contains(out, "Imported 10000 new tasks") {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	if got := countTasks(t, dbPath); got != n {
		t.Fatalf("%d tasks, want %d", got, n)
	}
	db, err := store.Open(t.Context(), dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := db.FindAudit(t.Context(), upgradebot.AuditFilter{Limit: 3})
	db.Close()
	if err != nil || len(audit) == 0 || audit[0].Action != "task.import" || audit[0].Actor != "U0DANA" {
		t.Errorf("latest audit rows %+v, %v; want task.import by U0DANA", audit, err)
	}

	// Importing the same file again changes nothing.
	code, out, stderr = runMain(t, env, "", "import", good)
	if code != 0 || !strings.Contains(out, "Imported 0 new tasks; 10000 refs already there, skipped") {
		t.Fatalf("re-import: exit %d\n%s%s", code, out, stderr)
	}
	if got := countTasks(t, dbPath); got != n {
		t.Fatalf("%d tasks after re-import, want %d", got, n)
	}
}

func TestImportColumnsAndUsers(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "x.db")}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	odd := write("odd.csv", "Ticket No,Headline,Owner\nT-1,Check the backups,Sam Jones\n")
	code, _, stderr := runMain(t, env, "", "import", odd)
	if code != 1 || !strings.Contains(stderr, `no column gives the ref or the title; the columns I do not know are "Ticket No", "Headline", "Owner"`) {
		t.Fatalf("unknown columns: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = runMain(t, env, "", "import", "-map", "ref=Ticket No,title=Headline,assignee=Owner", odd)
	if code != 1 || !strings.Contains(stderr, `line 2: assignee "Sam Jones" is not a Slack user id`) {
		t.Fatalf("unknown assignee: exit %d, stderr %s", code, stderr)
	}
	users := write("users.txt", "# ticket system name = Slack id\nSam Jones = U0SAM\n")
	mapping := write("mapping.txt", "ref=Ticket No\ntitle=Headline\nassignee=Owner\n")
	code, out, stderr := runMain(t, env, "", "import", "-mapping", mapping, "-users", users, odd)
	if code != 0 || !strings.Contains(out, "Imported 1 new tasks") {
		t.Fatalf("mapped import: exit %d\n%s%s", code, out, stderr)
	}
	jira := write("jira.csv", "Issue key,Summary,Assignee,Due date,Priority,Status,Issue id\n"+
		"UPG-7,Write the cutover runbook,Sam Jones,5/Dec/26 5:00 PM,Highest,In Progress,10007\n"+
		"UPG-8,Old spike,,,Low,Done,10008\n")
	code, out, stderr = runMain(t, env, "", "import", "-users", users, jira)
	if code != 0 || !strings.Contains(out, "Imported 1 new tasks") || !strings.Contains(out, "Skipped 1 closed tickets") {
		t.Fatalf("jira import: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runMain(t, env, "", "exec", "list")
	if code != 0 || !strings.Contains(out, "Write the cutover runbook · @") || !strings.Contains(out, "Check the backups") {
		t.Errorf("list after imports:\n%s", out)
	}
	if code, _, stderr := runMain(t, env, "", "import", "-map", "colour=Headline", odd); code != 2 || !strings.Contains(stderr, `"colour" is not a task field`) {
		t.Errorf("bad -map: exit %d, stderr %s", code, stderr)
	}
}

// TestExportRoundTrip: what export writes as CSV, import reads back into
// another database, and that one exports the same.
func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "a.db")}
	b := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "b.db")}
	for _, c := range []string{
		`add "Patch the ADT feed; then, test it" @U0SAM due:2026-12-04 prio:high ref:CHG1 kind:maintenance`,
		`add Plain task ref:CHG2 prio:low`,
		`add Finished task ref:CHG3`,
		`done 3`,
	} {
		if code, out, stderr := runMain(t, a, "", "exec", c); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", c, code, out, stderr)
		}
	}
	file := filepath.Join(dir, "tasks.csv")
	if code, out, stderr := runMain(t, a, "", "export", "-o", file); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, stderr)
	}
	if code, out, stderr := runMain(t, b, "", "import", file); code != 0 || !strings.Contains(out, "Imported 2 new tasks") {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	rows := func(env map[string]string) [][]string {
		_, out, _ := runMain(t, env, "", "export")
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		status := slices.Index(recs[0], "status")
		var open [][]string
		for _, r := range recs {
			if r[status] != "done" {
				open = append(open, r[:len(r)-1]) // without the id
			}
		}
		return open
	}
	if ra, rb := rows(a), rows(b); !slices.EqualFunc(ra, rb, slices.Equal) {
		t.Errorf("round trip differs:\n%q\n%q", ra, rb)
	}

	if code, _, _ := runMain(t, a, "", "exec", "release add MedCore 2027.1 ga:2027-03-01 support:2028-03-01"); code != 0 {
		t.Fatal("release add failed")
	}
	_, out, _ := runMain(t, a, "", "export", "-format", "json")
	var data struct {
		Tasks    []upgradebot.Task
		Releases []upgradebot.Release
	}
	if err := json.Unmarshal([]byte(out), &data); err != nil || len(data.Tasks) != 3 || len(data.Releases) != 1 || data.Releases[0].Key != "medcore-2027.1" {
		t.Errorf("json export: %v\n%s", err, out)
	}
	if code, _, stderr := runMain(t, a, "", "export", "-format", "xml"); code != 2 || !strings.Contains(stderr, "-format") {
		t.Errorf("bad format: exit %d %s", code, stderr)
	}
}

// TestICS parses the feed with an independent iCalendar parser.
func TestICS(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "cal.db"), "UPGRADEBOT_TZ": "America/Chicago"}
	long := strings.Repeat("Übergabe, Schnittstellen; und \\ Tests ", 4)
	for _, c := range []string{
		"release add MedCore 2027.1 ga:2027-03-01 support:2028-03-01",
		`add "` + long + `" due:2026-12-04 ref:CHG9`,
		"add Undated task",
		"maint add Master file clean-up every:1m first:2026-12-09",
	} {
		if code, out, stderr := runMain(t, env, "", "exec", "-clock", "2026-11-30T09:00", c); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", c, code, out, stderr)
		}
	}
	file := filepath.Join(dir, "team.ics")
	if code, out, stderr := runMain(t, env, "", "ics", "-clock", "2026-11-30T09:00", "-o", file); code != 0 {
		t.Fatalf("ics: exit %d\n%s%s", code, out, stderr)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range bytes.Split(bytes.TrimSuffix(raw, []byte("\r\n")), []byte("\r\n")) {
		if len(l) > 75 || bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d is %d octets or has a bare line end: %q", i+1, len(l), l)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, ev := range cal.Events() {
		start, err := ev.GetAllDayStartAt()
		if err != nil {
			t.Fatalf("event %s: %v", ev.Id(), err)
		}
		if ev.GetProperty(ics.ComponentPropertyDtstamp) == nil {
			t.Errorf("event %s has no DTSTAMP", ev.Id())
		}
		got[ev.Id()] = start.Format("2006-01-02") + " " + ev.GetProperty(ics.ComponentPropertySummary).Value
	}
	want := map[string]string{
		"release-medcore-2027.1-ga@upgradebot":      "2027-03-01 MedCore 2027.1 GA",
		"release-medcore-2027.1-support@upgradebot": "2028-03-01 MedCore 2027.1 end of support",
		"task-1@upgradebot":                         "2026-12-04 #1 " + long,
		"cleanup-1-2026-12-09@upgradebot":           "2026-12-09 #3 Master file clean-up",
		"cleanup-1-2027-01-09@upgradebot":           "2027-01-09 Master file clean-up (planned)",
	}
	for uid, w := range want {
		if got[uid] != w {
			t.Errorf("event %s = %q, want %q", uid, got[uid], w)
		}
	}
	if len(got) != 9 { // 2 release dates, 1 task, the open occurrence and 5 planned ones to 1 Jun 2027
		t.Errorf("%d events, want 9: %q", len(got), got)
	}
	// The same data gives the same feed: UIDs and stamps are stable.
	_, again, _ := runMain(t, env, "", "ics", "-clock", "2026-11-30T09:00")
	if again != string(raw) {
		t.Error("a second feed of the same data differs")
	}
}
