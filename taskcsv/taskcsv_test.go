package taskcsv

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Made-up tickets: no patient data.
const serviceNow = "\ufeffNumber,Short description,Assigned to,Due date,Priority,State,Caller,Assignment group\n" +
	"CHG0030001,Apply the lab interface patch,U0SAM,2026-12-04 17:00:00,2 - High,Assigned,Jo Bloggs,EHR Apps\n" +
	"CHG0030002,\"Retire the old fax queue, finally\",Priya Patel,,4 - Low,New,Jo Bloggs,EHR Apps\n" +
	"CHG0030003,Already finished,U0SAM,2026-11-01,3 - Moderate,Closed Complete,Jo Bloggs,EHR Apps\n"

const jira = "Summary,Issue key,Issue id,Status,Priority,Assignee,Due date\n" +
	"Build the test environment,UPG-12,10012,In Progress,Highest,u0dana,5/Dec/26 5:00 PM\n" +
	"Write the cutover runbook,UPG-13,10013,To Do,Medium,,\n" +
	"Old spike,UPG-9,10009,Done,Low,,\n"

func TestServiceNowHeaders(t *testing.T) {
	res, err := Read(strings.NewReader(serviceNow), Options{Users: map[string]string{"priya patel": "U0PRIYA"}})
	if err != nil {
		t.Fatal(err)
	}
	got := summarize(res.Tasks)
	want := []string{
		"CHG0030001|Apply the lab interface patch|U0SAM|2026-12-04|high|open",
		"CHG0030002|Retire the old fax queue, finally|U0PRIYA||low|open",
		"CHG0030003|Already finished|||normal|done",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tasks:\n%q\nwant\n%q", got, want)
	}
	if !slices.Equal(res.Lines, []int{2, 3, 4}) || !slices.Equal(res.Closed, []int{4}) {
		t.Errorf("lines %v, closed %v; want [2 3 4], [4]", res.Lines, res.Closed)
	}
	if !slices.Equal(res.Ignored, []string{"Caller", "Assignment group"}) {
		t.Errorf("ignored %q", res.Ignored)
	}
	if res.Columns[FieldRef] != "Number" || res.Columns[FieldStatus] != "State" {
		t.Errorf("columns %v", res.Columns)
	}
}

func TestJiraHeaders(t *testing.T) {
	_, err := Read(strings.NewReader(jira), Options{})
	wantErr(t, err, "line 2", `assignee "u0dana"`, "-users")
	res, err := Read(strings.NewReader(jira), Options{Users: map[string]string{"u0dana": "U0DANA"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"UPG-12|Build the test environment|U0DANA|2026-12-05|high|open", "UPG-13|Write the cutover runbook|||normal|open", "UPG-9|Old spike|||normal|done"}
	if got := summarize(res.Tasks); !slices.Equal(got, want) {
		t.Errorf("tasks %q, want %q", got, want)
	}
	if !slices.Equal(res.Ignored, []string{"Issue id"}) || !slices.Equal(res.Closed, []int{4}) {
		t.Errorf("ignored %q, closed %v", res.Ignored, res.Closed)
	}
}

func TestMapping(t *testing.T) {
	const file = "Ticket No,Headline,Owner,Deadline\nT-1,Check the backups,U0SAM,2026-12-10\n"
	_, err := Read(strings.NewReader(file), Options{})
	wantErr(t, err, "no column gives the ref or the title", `"Ticket No", "Headline", "Owner", "Deadline"`, "-map ref=COLUMN,title=COLUMN")

	m, err := ParseMapping("ref=Ticket No,title=Headline, assignee=owner,due=Deadline")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(strings.NewReader(file), Options{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if got := summarize(res.Tasks); !slices.Equal(got, []string{"T-1|Check the backups|U0SAM|2026-12-10|normal|open"}) {
		t.Errorf("tasks %q", got)
	}
	if len(res.Ignored) != 0 {
		t.Errorf("ignored %q, want none", res.Ignored)
	}

	fm, err := ReadMapping(strings.NewReader("# our tool\ntitle = Headline\n\nassignee=Owner\ndue=Deadline\n"))
	if err != nil || fm["title"] != "Headline" || fm["due"] != "Deadline" {
		t.Errorf("mapping file: %v, %v", fm, err)
	}
	_, err = ParseMapping("colour=Headline")
	wantErr(t, err, `"colour" is not a task field`)
	_, err = Read(strings.NewReader(file), Options{Map: Mapping{"title": "Nope"}})
	wantErr(t, err, "title=Nope names no column", `"Headline"`)
	_, err = Read(strings.NewReader("Number,Key,Summary\nA,B,C\n"), Options{})
	wantErr(t, err, `columns "Number" and "Key" both give the ref`)
}

// TestPhaseColumn: a phase column is read as the task's phase in lower case
// (the store checks it against the team's phases and needs a release).
func TestPhaseColumn(t *testing.T) {
	res, err := Read(strings.NewReader("ref,title,release,phase\nA-1,Build order sets,medcore-2027.1,Build\nA-2,No phase,,\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tasks) != 2 || res.Tasks[0].Phase != upgradebot.PhaseBuild || res.Tasks[1].Phase != "" {
		t.Errorf("tasks %+v", res.Tasks)
	}
	_, err = Read(strings.NewReader("ref,title,phase\nA-1,Build order sets,build\n"), Options{})
	wantErr(t, err, "line 2", "release")
}

func TestBadRows(t *testing.T) {
	for _, c := range []struct {
		desc, file string
		want       []string
	}{
		{"no ref", "ref,title\n,No number\n", []string{"line 2", "no ref"}},
		{"empty title", "ref,title\nA-1,Fine\nA-2,\n", []string{"line 3", "title is empty"}},
		{"bad date", "ref,title,due\nA-1,Fine,someday\n", []string{"line 2", `due "someday"`}},
		{"bad priority", "ref,title,priority\nA-1,Fine,meh\n", []string{"line 2", `priority "meh"`}},
		{"bad kind", "ref,title,kind\nA-1,Fine,chore\n", []string{"line 2", `kind "chore"`}},
		{"duplicate", "ref,title\nA-1,One\nA-2,Two\nA-1,Again\n", []string{"line 4", "also on line 2"}},
		{"short row", "ref,title\nA-1,One\nA-2\n", []string{"line 3", "wrong number of fields"}},
		{"multi-line field counts lines", "ref,title,due\nA-1,\"Two\nlines\",x\n", []string{"line 2", `due "x"`}},
		{"empty file", "", []string{"empty"}},
	} {
		res, err := Read(strings.NewReader(c.file), Options{})
		if res != nil {
			t.Errorf("%s: a bad file returned tasks", c.desc)
		}
		t.Run(c.desc, func(t *testing.T) { wantErr(t, err, c.want...) })
	}
}

func TestUsersFile(t *testing.T) {
	u, err := ReadUsers(strings.NewReader("# names in the ticket system\nPriya Patel = U0PRIYA\nsam=U0SAM\n"))
	if err != nil || u["priya patel"] != "U0PRIYA" || u["sam"] != "U0SAM" {
		t.Errorf("users %v, %v", u, err)
	}
	_, err = ReadUsers(strings.NewReader("Priya Patel=priya\n"))
	wantErr(t, err, "users line 1")
}

// TestWriteReadRoundTrip: what Write writes, Read reads back as it was:
// quotes, commas, estimates, and titles a spreadsheet would run as
// formulas, which are written as text.
func TestWriteReadRoundTrip(t *testing.T) {
	d := upgradebot.Date{Year: 2026, Month: 12, Day: 4}
	tasks := []*upgradebot.Task{
		{ID: 4, Ref: "CHG1", Title: `Quotes "and", commas`, Assignee: "U0SAM", Due: d, Priority: upgradebot.PriorityHigh, Kind: upgradebot.KindMaintenance, Release: "medcore-2026q4", Phase: upgradebot.PhaseBuild, Estimate: 90 * time.Minute},
		{ID: 5, Ref: "CHG2", Title: "Plain", Priority: upgradebot.PriorityLow, Kind: upgradebot.KindUpgrade, Estimate: 7 * time.Minute},
		{ID: 6, Ref: "CHG3", Title: "Finished", Status: upgradebot.StatusDone},
		{ID: 7, Ref: "CHG4", Title: `=HYPERLINK("http://x","y")`},
		{ID: 8, Ref: "CHG5", Title: "+1"},
		{ID: 9, Ref: "-CHG6", Title: "-1"},
		{ID: 10, Ref: "CHG7", Title: "@SUM(A1)", Estimate: 2000 * time.Hour},
		{ID: 11, Ref: "CHG8", Title: "'quoted' stays quoted"},
		{ID: 12, Ref: "CHG9", Title: "Cancelled", Status: upgradebot.StatusCancelled},
	}
	for _, task := range tasks {
		if err := task.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := Write(&b, tasks); err != nil {
		t.Fatal(err)
	}
	// In a spreadsheet, the formulas are text.
	for _, cell := range []string{`'=HYPERLINK(""http://x"",""y"")"`, "CHG5,'+1,", "'-CHG6,'-1,", "'@SUM(A1)", ",'quoted' stays quoted,"} {
		if !strings.Contains(b.String(), cell) {
			t.Errorf("the file has no %s:\n%s", cell, b.String())
		}
	}
	res, err := Read(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tasks) != len(tasks) || !slices.Equal(res.Closed, []int{4, 10}) || !slices.Equal(res.Ignored, []string{"id"}) {
		t.Fatalf("read back %d tasks, closed %v, ignored %q", len(res.Tasks), res.Closed, res.Ignored)
	}
	for i, got := range res.Tasks {
		want := *tasks[i]
		want.ID = 0
		if want.Status != upgradebot.StatusOpen {
			// A closed ticket is read as its ref, title and status.
			want = upgradebot.Task{Ref: want.Ref, Title: want.Title, Status: want.Status, Kind: upgradebot.KindUpgrade, Priority: upgradebot.PriorityNormal}
		}
		if *got != want {
			t.Errorf("round trip:\n got %+v\nwant %+v", *got, want)
		}
	}
}

// TestWriteRefs: a task without a ref is written with UB-<id>, so that the
// file imports; never a ref another row has.
func TestWriteRefs(t *testing.T) {
	tasks := []*upgradebot.Task{
		{ID: 3, Title: "No ref", Status: upgradebot.StatusOpen},
		{ID: 4, Ref: "UB-5", Title: "Imported from another database", Status: upgradebot.StatusOpen},
		{ID: 5, Title: "No ref, and UB-5 is taken", Status: upgradebot.StatusOpen},
		{ID: 6, Ref: "UB-5-2", Title: "Taken too", Status: upgradebot.StatusOpen},
	}
	var b bytes.Buffer
	if err := Write(&b, tasks); err != nil {
		t.Fatal(err)
	}
	res, err := Read(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, task := range res.Tasks {
		refs = append(refs, task.Ref)
	}
	if want := []string{"UB-3", "UB-5", "UB-5-3", "UB-5-2"}; !slices.Equal(refs, want) {
		t.Errorf("refs %q, want %q", refs, want)
	}
}

// TestNeutralise: exactly a leading apostrophe before a formula character
// is added on writing and removed on reading.
func TestNeutralise(t *testing.T) {
	for _, s := range []string{"", "=1", "+", "-", "@x", "\tx", "\rx", "'", "'=1", "''=1", "x=1", "'x", "=", "''"} {
		w := neutralise(s)
		if got := unneutralise(w); got != s {
			t.Errorf("unneutralise(neutralise(%q)) = %q", s, got)
		}
		if w != "" && strings.IndexByte(formulaStart, w[0]) >= 0 {
			t.Errorf("neutralise(%q) = %q still starts a formula", s, w)
		}
	}
}

func summarize(tasks []*upgradebot.Task) []string {
	var out []string
	for _, t := range tasks {
		out = append(out, strings.Join([]string{t.Ref, t.Title, t.Assignee, t.Due.String(), string(t.Priority), string(t.Status)}, "|"))
	}
	return out
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
	for _, p := range parts {
		if !strings.Contains(upgradebot.ErrorMessage(err), p) {
			t.Errorf("error %q does not contain %q", upgradebot.ErrorMessage(err), p)
		}
	}
}
