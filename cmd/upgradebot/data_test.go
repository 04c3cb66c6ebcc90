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
	"time"

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

	// 10,000 rows, stored a chunk at a time.
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
	if code != 0 || !strings.Contains(out, "Imported 1 new task") {
		t.Fatalf("mapped import: exit %d\n%s%s", code, out, stderr)
	}
	jira := write("jira.csv", "Issue key,Summary,Assignee,Due date,Priority,Status,Issue id\n"+
		"UPG-7,Write the cutover runbook,Sam Jones,5/Dec/26 5:00 PM,Highest,In Progress,10007\n"+
		"UPG-8,Old spike,,,Low,Done,10008\n")
	code, out, stderr = runMain(t, env, "", "import", "-users", users, jira)
	if code != 0 || !strings.Contains(out, "Imported 1 new task") || !strings.Contains(out, "Skipped 1 closed ticket") {
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

// TestImportTicketSystems imports the exports in taskcsv/testdata as the
// ticket systems and spreadsheets write them.
func TestImportTicketSystems(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "x.db")}
	users := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(users, []byte("Sam Jones=U0SAM\nPriya Patel=U0PRIYA\nDana Reyes=U0DANA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		args []string
		want []string
	}{
		{"servicenow_default.csv", nil, []string{
			`5 tickets (2 closed), comma-separated; columns ref="number", title="short_description", assignee="assigned_to", due="due_date", priority="priority", status="state"`,
			"Imported 3 new tasks; 0 refs already there.",
			"Skipped 2 closed tickets"}},
		{"servicenow_labels.csv", nil, []string{"Imported 2 new tasks", "Skipped 2 closed tickets"}},
		{"excel_semicolon.csv", nil, []string{"4 tickets (1 closed), semicolon-separated", "Imported 3 new tasks"}},
		{"us_dates.csv", nil, []string{
			"3 due dates like 12/5/2026 read as month/day/year; if the file writes day/month/year, import with -date-format dmy.",
			"Imported 3 new tasks"}},
		{"jira.csv", nil, []string{`status="Status", resolution="Resolution"`, "Imported 3 new tasks", "Skipped 2 closed tickets"}},
	} {
		path := filepath.Join("..", "..", "taskcsv", "testdata", c.file)
		code, out, stderr := runMain(t, env, "", append(append([]string{"import", "-users", users}, c.args...), path)...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s%s", c.file, code, out, stderr)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: no %q in\n%s", c.file, w, out)
			}
		}
	}
	_, out, _ := runMain(t, env, "", "exec", "list all")
	for _, w := range []string{"Übergabe an den Nachtdienst planen", "Train the night shift", "Build the test environment"} {
		if !strings.Contains(out, w) {
			t.Errorf("list has no %q:\n%s", w, out)
		}
	}
	if got := countTasks(t, env["UPGRADEBOT_DB"]); got != 14 {
		t.Errorf("%d tasks, want 14", got)
	}
}

// TestImportFlags: -delimiter and -date-format say what the file cannot.
func TestImportFlags(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "x.db")}
	us := filepath.Join("..", "..", "taskcsv", "testdata", "us_dates.csv")
	// The fixture's dates read either way: -date-format decides, and no
	// note asks about it.
	users := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(users, []byte("Sam Jones=U0SAM\nPriya Patel=U0PRIYA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, env, "", "import", "-dry-run", "-date-format", "dmy", "-users", users, us)
	if code != 0 || !strings.Contains(out, "Dry run: would import 3 new tasks") || strings.Contains(out, "read as") {
		t.Fatalf("dmy: exit %d\n%s%s", code, out, stderr)
	}
	file := filepath.Join(dir, "dmy.csv")
	if err := os.WriteFile(file, []byte("ref\ttitle\tdue\nA-1\tOne, two; three\t12/5/2026\nA-2\tFour\t1/8/2027\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runMain(t, env, "", "import", "-delimiter", "tab", "-date-format", "dmy", file)
	if code != 0 || !strings.Contains(out, "tab-separated") || strings.Contains(out, "read as") {
		t.Fatalf("tab, dmy: exit %d\n%s%s", code, out, stderr)
	}
	_, out, _ = runMain(t, env, "", "exec", "list")
	if !strings.Contains(out, "Tue 12 May") || !strings.Contains(out, "Sun 1 Aug") {
		t.Errorf("dates not read day first:\n%s", out)
	}
	code, _, stderr = runMain(t, env, "", "import", "-delimiter", ",", file)
	if code != 1 || !strings.Contains(stderr, "no column gives the ref or the title") {
		t.Errorf("forced comma on a tab file: exit %d, %s", code, stderr)
	}
	for _, bad := range [][]string{{"-delimiter", "|"}, {"-date-format", "ymd"}} {
		code, _, stderr := runMain(t, env, "", append(append([]string{"import"}, bad...), file)...)
		if code != 2 || !strings.Contains(stderr, bad[0]) {
			t.Errorf("%q: exit %d, %s", bad, code, stderr)
		}
	}
}

// TestImportAllBadRows: every bad row is named at once, and nothing is
// imported.
func TestImportAllBadRows(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "x.db")}
	file := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(file, []byte("Number,Short description,Due date,Priority\n"+
		"CHG1,Fine,12/5/2026,2 - High\n"+
		"CHG2,,someday,2 - High\n"+
		"CHG3,Fine,25/12/2026,urgent-ish\n"+
		"CHG4,Fine,2026-12-05,3 - Moderate\n"+
		",No number,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, env, "", "import", "-date-format", "mdy", file)
	for _, w := range []string{
		"3 bad rows; nothing is imported until each reads:",
		`line 3: the title is empty; due "someday" is not a date`,
		`line 4: due "25/12/2026" is not a month/day/year date; if the file writes day/month/year, import with -date-format dmy; priority "urgent-ish"`,
		"line 6: no ref",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("no %q in\n%s", w, stderr)
		}
	}
	if code != 1 || countTasks(t, env["UPGRADEBOT_DB"]) != 0 {
		t.Errorf("exit %d, tasks imported\n%s", code, out)
	}
}

// TestImportUpdate: a later export of the same tickets, imported with
// -update, closes the tasks of resolved tickets and moves due dates.
func TestImportUpdate(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "x.db")
	env := map[string]string{"UPGRADEBOT_DB": dbPath}
	users := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(users, []byte("Sam Jones=U0SAM\nPriya Patel=U0PRIYA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join("..", "..", "taskcsv", "testdata", "servicenow_default.csv")
	if code, out, stderr := runMain(t, env, "", "import", "-users", users, first); code != 0 {
		t.Fatalf("first import: exit %d\n%s%s", code, out, stderr)
	}
	later := filepath.Join(dir, "later.csv")
	if err := os.WriteFile(later, []byte(`"number","short_description","assigned_to","due_date","priority","state"
"SCTASK0010231","Apply the lab interface patch","Sam Jones","2026-12-04 17:00:00","2 - High","Closed Complete"
"SCTASK0010232","Retire the old fax queue, finally","Priya Patel","2026-12-11 17:00:00","4 - Low","Work in Progress"
"SCTASK0010233","Rebuild order sets","","2027-01-15 12:00:00","3 - Moderate","Closed Incomplete"
"SCTASK0010234","Something new","Sam Jones","","3 - Moderate","Open"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, env, "", "import", "-users", users, later)
	if code != 0 || !strings.Contains(out, "Imported 1 new task; 3 refs already there, skipped (existing tasks left as they are; -update applies") {
		t.Fatalf("without -update: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runMain(t, env, "", "import", "-update", "-dry-run", "-users", users, later)
	if code != 0 || !strings.Contains(out, "Dry run: would import 0 new tasks; would update 3 tasks; 1 ref already there, nothing to change. Nothing was written.") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runMain(t, env, "", "import", "-update", "-as", "U0DANA", "-users", users, later)
	want := "Imported 0 new tasks; updated 3 tasks; 1 ref already there, nothing to change.\n" +
		"  #1 SCTASK0010231: done, as in the ticket system\n" +
		"  #2 SCTASK0010232: due no date → Fri 11 Dec 2026\n" +
		"  #3 SCTASK0010233: cancelled, as in the ticket system\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("update: exit %d\n%s%s\nwant\n%s", code, out, stderr, want)
	}
	db, err := store.Open(t.Context(), dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	for id := int64(1); id <= 4; id++ {
		task, err := db.FindTaskByID(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", task.Ref, task.Status, task.Due, task.ClosedBy))
	}
	if w := []string{"SCTASK0010231 done 2026-12-04 U0DANA", "SCTASK0010232 open 2026-12-11 ", "SCTASK0010233 cancelled 2027-01-15 U0DANA", "SCTASK0010234 open  "}; !slices.Equal(got, w) {
		t.Errorf("tasks:\n%q\nwant\n%q", got, w)
	}
	audit, err := db.FindAudit(t.Context(), upgradebot.AuditFilter{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action+" "+a.Actor)
	}
	if w := []string{"task.cancel U0DANA", "task.note U0DANA", "task.due U0DANA", "task.done U0DANA", "task.note U0DANA"}; !slices.Equal(actions, w) {
		t.Errorf("audit %q, want %q", actions, w)
	}
}

// TestExportRoundTrip tests the README's promise as it is written: an
// export imports into another database as is, once that database has the
// tasks' releases. Titles a spreadsheet would run as formulas are written
// as text and come back as they were; tasks without a ref get UB-<id>.
func TestExportRoundTrip(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const promise = "so an export imports into another database as is, once that database has the tasks' releases"
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), promise) {
		t.Fatalf("the README no longer says %q; test what it says now", promise)
	}

	dir := t.TempDir()
	a := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "a.db")}
	b := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "b.db")}
	const release = "release add MedCore 2027.1 ga:2027-03-01 support:2028-03-01"
	for _, c := range []string{
		`add "Patch the ADT feed; then, test it" @U0SAM due:2026-12-04 prio:high ref:CHG1 kind:maintenance est:2d`,
		`add Plain task ref:CHG2 prio:low`,
		`add Finished task ref:CHG3`,
		`done 3`,
		release,
		`add No ticket for this one release:medcore-2027.1 est:1.5h due:2027-01-15`,
	} {
		if code, out, stderr := runMain(t, a, "", "exec", c); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", c, code, out, stderr)
		}
	}
	// Titles that are formulas in a spreadsheet, exactly as typed.
	formulas := []string{`=HYPERLINK("http://x","y")`, "+1", "-1", "@SUM(A1)"}
	db, err := store.Open(t.Context(), a["UPGRADEBOT_DB"], nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range formulas {
		task := &upgradebot.Task{Title: title}
		if i%2 == 0 {
			task.Ref = fmt.Sprintf("=CHG%d", 10+i) // a ref can be one too
		}
		if err := db.CreateTask(t.Context(), "U0CONSOLE", task); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	file := filepath.Join(dir, "tasks.csv")
	if code, out, stderr := runMain(t, a, "", "export", "-o", file); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, stderr)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// As a spreadsheet opens it: text, never a formula.
	for _, want := range []string{`'=HYPERLINK("http://x","y")`, "'+1", "'-1", "'@SUM(A1)", "'=CHG10", "UB-4", "UB-6", "UB-8"} {
		if !slices.Contains(slices.Concat(recs...), want) {
			t.Errorf("the export has no cell %s:\n%s", want, raw)
		}
	}
	for _, cell := range slices.Concat(recs...) {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("the export has a formula cell %q", cell)
		}
	}

	// Another database: without the release the import names it and
	// imports nothing; with it, everything open imports.
	code, _, stderr := runMain(t, b, "", "import", file)
	if code != 1 || !strings.Contains(stderr, "No release with key medcore-2027.1") {
		t.Fatalf("import without the release: exit %d, %s", code, stderr)
	}
	if code, _, _ := runMain(t, b, "", "exec", release); code != 0 {
		t.Fatal("release add failed")
	}
	code, out, stderr := runMain(t, b, "", "import", file)
	if code != 0 || !strings.Contains(out, "Imported 7 new tasks") || !strings.Contains(out, "Skipped 1 closed ticket") {
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
	db, err = store.Open(t.Context(), b["UPGRADEBOT_DB"], nil)
	if err != nil {
		t.Fatal(err)
	}
	tasks, _, err := db.FindTasks(t.Context(), upgradebot.TaskFilter{})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, task := range tasks {
		titles = append(titles, task.Title)
	}
	for _, title := range formulas {
		if !slices.Contains(titles, title) {
			t.Errorf("%q did not come back; titles %q", title, titles)
		}
	}
	// And once is enough: the same file again creates nothing.
	if code, out, _ := runMain(t, b, "", "import", file); code != 0 || !strings.Contains(out, "Imported 0 new tasks; 7 refs already there") {
		t.Errorf("second import:\n%s", out)
	}

	_, out, _ = runMain(t, a, "", "export", "-format", "json")
	var data struct {
		Tasks    []upgradebot.Task
		Releases []upgradebot.Release
	}
	if err := json.Unmarshal([]byte(out), &data); err != nil || len(data.Tasks) != 8 || len(data.Releases) != 1 || data.Releases[0].Key != "medcore-2027.1" {
		t.Errorf("json export: %v\n%s", err, out)
	}
	// Estimates in hours, not nanoseconds.
	if !strings.Contains(out, "\"estimate_hours\": 16\n") || !strings.Contains(out, `"estimate_hours": 1.5`) || strings.Contains(out, "57600000000000") || strings.Contains(out, `"estimate"`) {
		t.Errorf("json estimates:\n%s", out)
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
		"vendor MedCore cadence:13w support:52w",
		"release add MedCore 2026.3 ga:2026-09-01",
		"release medcore-2026.3 phase review start 2026-10-01",
		"freeze 2027-01-11..2027-01-15 go-live",
		"add Swap the label printers due:2026-12-10 <@U0ALICE|alice>",
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
		// The planned occurrences are one recurring event from the next one.
		"cleanup-1-series@upgradebot": "2027-01-09 Master file clean-up (planned)",
		// A release with no support date ends the vendor's window after its GA.
		"release-medcore-2026.3-support@upgradebot": "2027-08-31 MedCore 2026.3 end of support",
		"freeze-1@upgradebot":                       "2027-01-11 Change freeze: go-live",
		"task-4@upgradebot":                         "2026-12-10 #4 Swap the label printers",
	}
	for uid, w := range want {
		if got[uid] != w {
			t.Errorf("event %s = %q, want %q", uid, got[uid], w)
		}
	}
	// 2 dates of each release, 2 tasks, the open occurrence, the series,
	// the freeze and the two go-lives the forecast predicts.
	if len(got) != 11 {
		t.Errorf("%d events, want 11: %q", len(got), got)
	}
	events := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		events[ev.Id()] = ev
	}
	prop := func(uid string, p ics.ComponentProperty) string {
		ev := events[uid]
		if ev == nil || ev.GetProperty(p) == nil {
			return ""
		}
		return ev.GetProperty(p).Value
	}
	if r := prop("cleanup-1-series@upgradebot", ics.ComponentPropertyRrule); r != "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=9" {
		t.Errorf("the clean-up's RRULE = %q", r)
	}
	if end, err := events["freeze-1@upgradebot"].GetAllDayEndAt(); err != nil || end.Format("2006-01-02") != "2027-01-16" {
		t.Errorf("the freeze ends %v (%v), want DTEND 2027-01-16: the 15th is its last day", end, err)
	}
	if d := prop("task-4@upgradebot", ics.ComponentPropertyDescription); !strings.Contains(d, "assigned to @alice") {
		t.Errorf("the assignee is not named: %q", d)
	}
	var forecasts int
	for uid, ev := range events {
		if !strings.HasSuffix(uid, "-golive-forecast@upgradebot") {
			continue
		}
		forecasts++
		start, _ := ev.GetAllDayStartAt()
		if wd := start.Weekday(); wd == time.Saturday || wd == time.Sunday || (start.After(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)) && start.Before(time.Date(2027, 1, 16, 0, 0, 0, 0, time.UTC))) {
			t.Errorf("forecast go-live %s on %s: a weekend or inside the freeze", uid, start.Format("Mon 2006-01-02"))
		}
		if s := prop(uid, ics.ComponentPropertySummary); !strings.HasSuffix(s, "go-live (forecast)") {
			t.Errorf("forecast event %s not marked: %q", uid, s)
		}
	}
	if forecasts != 2 {
		t.Errorf("%d forecast go-lives, want 2 (medcore-2026.3 in progress, medcore-2027.1 after it)", forecasts)
	}
	// The same data gives the same feed: UIDs and stamps are stable.
	_, again, _ := runMain(t, env, "", "ics", "-clock", "2026-11-30T09:00")
	if again != string(raw) {
		t.Error("a second feed of the same data differs")
	}
}
