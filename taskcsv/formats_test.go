package taskcsv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// fixtureUsers are the ticket systems' names of the people in testdata.
var fixtureUsers = map[string]string{"sam jones": "U0SAM", "priya patel": "U0PRIYA", "dana reyes": "U0DANA"}

// TestFixtures reads exports as the ticket systems and spreadsheets write
// them (testdata, made-up tickets): every open ticket with its fields,
// closed ones with their status, whatever the delimiter, date form or
// encoding.
func TestFixtures(t *testing.T) {
	for _, c := range []struct {
		file      string
		want      []string // ref|title|assignee|due|priority|status
		comma     rune
		order     DateOrder
		ambiguous int
		ignored   []string
	}{
		{
			file: "servicenow_default.csv",
			want: []string{
				"SCTASK0010231|Apply the lab interface patch|U0SAM|2026-12-04|high|open",
				"SCTASK0010232|Retire the old fax queue, finally|U0PRIYA||low|open",
				// A title from the ticket system is kept as it is.
				`SCTASK0010233|=HYPERLINK("http://example.invalid","Rebuild order sets")||2027-01-15|normal|open`,
				"SCTASK0010201|Validate the ADT feed after cutover|||normal|done",
				// Closed: its departed assignee and odd date do not matter.
				"SCTASK0010202|Old spike on report writer|||normal|cancelled",
			},
			comma: ',', order: MonthFirst,
			ignored: []string{"assignment_group", "sys_updated_on"},
		},
		{
			file: "servicenow_labels.csv",
			want: []string{
				"CHG0030001|Apply the lab interface patch|U0SAM|2026-12-04|high|open",
				"CHG0030002|Retire the old fax queue, finally|U0PRIYA||low|open",
				"CHG0030003|Already finished|||normal|done",
				"CHG0030004|Vendor withdrew the fix|||normal|cancelled",
			},
			comma: ',', order: MonthFirst,
			ignored: []string{"Assignment group"},
		},
		{
			file: "us_dates.csv",
			want: []string{
				"CHG0030101|Test the new lab results screen|U0SAM|2026-12-05|high|open",
				"CHG0030102|Train the night shift|U0PRIYA|2027-01-08|normal|open",
				"CHG0030103|Update the downtime binder||2026-12-07|low|open",
			},
			comma: ',', order: MonthFirst, ambiguous: 3,
		},
		{
			file: "excel_semicolon.csv",
			want: []string{
				"CHG0030201|Übergabe an den Nachtdienst planen|U0PRIYA|2026-12-05|high|open",
				"CHG0030202|Schnittstelle Labor – Test|U0SAM|2027-01-14|normal|open",
				`CHG0030203|Formular "Aufnahme"; neu|||low|open`,
				"CHG0030204|Alte Druckwarteschlange|||normal|done",
			},
			comma: ';', order: MonthFirst,
		},
		{
			file: "jira.csv",
			want: []string{
				"UPG-12|Build the test environment|U0DANA|2026-12-05|high|open",
				"UPG-13|Write the cutover runbook|||normal|open",
				"UPG-14|-1 day check of the interface queue||2027-01-11|low|open",
				"UPG-9|Old spike|||normal|done",
				"UPG-10|Duplicate of UPG-12|||normal|cancelled",
			},
			comma: ',', order: MonthFirst,
			ignored: []string{"Issue id", "Issue Type", "Project key", "Project name", "Reporter", "Created", "Updated", "Resolved", "Labels", "Labels", "Original Estimate", "Status Category"},
		},
	} {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := Read(f, Options{Users: fixtureUsers})
			if err != nil {
				t.Fatal(err)
			}
			if got := summarize(res.Tasks); !slices.Equal(got, c.want) {
				t.Errorf("tasks:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if res.Comma != c.comma || res.DateOrder != c.order || res.Ambiguous != c.ambiguous {
				t.Errorf("delimiter %q, date order %s (%d ambiguous); want %q, %s (%d)", res.Comma, res.DateOrder, res.Ambiguous, c.comma, c.order, c.ambiguous)
			}
			if !slices.Equal(res.Ignored, c.ignored) {
				t.Errorf("ignored %q, want %q", res.Ignored, c.ignored)
			}
			for i, task := range res.Tasks {
				if err := task.Validate(); err != nil {
					t.Errorf("line %d: %v", res.Line(i), err)
				}
			}
		})
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2026-12-05", "", "2026-12-05"},
		{"2026-12-05 17:00:00", "", "2026-12-05"},
		{"2026-12-05T17:00:00Z", "", "2026-12-05"},
		{"2026/12/05", "", "2026-12-05"},
		{"12/5/2026", "", "2026-12-05"},
		{"12/5/2026", MonthFirst, "2026-12-05"},
		{"12/5/2026", DayFirst, "2026-05-12"},
		{"12/05/2026 05:00:00 PM", MonthFirst, "2026-12-05"},
		{"12-05-2026", MonthFirst, "2026-12-05"}, // ServiceNow's MM-dd-yyyy
		{"05-12-2026", DayFirst, "2026-12-05"},   // and dd-MM-yyyy
		{"12/5/26", MonthFirst, "2026-12-05"},
		{"05.12.2026", MonthFirst, "2026-12-05"}, // dots: day first, whatever the order
		{"5.12.2026 17:00", DayFirst, "2026-12-05"},
		{"05.12.26", "", "2026-12-05"},
		{"5/Dec/26", "", "2026-12-05"},
		{"05/Dec/26 5:00 PM", "", "2026-12-05"},
		{"5-DEC-2026", "", "2026-12-05"},
		{"5/December/2026", "", "2026-12-05"},
		{"29/02/2028", DayFirst, "2028-02-29"},
	} {
		got, err := parseDue(c.in, c.order)
		if err != nil || got.String() != c.want {
			t.Errorf("parseDue(%q, %q) = %s, %v; want %s", c.in, c.order, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"25/12/2026", MonthFirst, "not a month/day/year date; if the file writes day/month/year, import with -date-format dmy"},
		{"12/25/2026", DayFirst, "not a day/month/year date; if the file writes month/day/year, import with -date-format mdy"},
		{"31.02.2026", "", "not a day of the calendar"},
		{"2026-13-01", "", "not a day of the calendar"},
		{"someday", "", "not a date like 2026-12-05, 12/5/2026, 05.12.2026 or 5/Dec/26"},
		{"5/Dex/26", "", "not a date like"},
		{"1/2/3/4", "", "not a date like"},
		{"12/5/226", "", "not a date like"},
		{"-1/-2/2026", "", "not a date like"},
		{"0/0/0000", "", "not a day of the calendar"},
		{"31/11/2026", MonthFirst, "not a day of the calendar"}, // nor in the other order
	} {
		_, err := parseDue(c.in, c.order)
		wantErr(t, err, c.want)
	}
}

// TestDateOrder: a file whose dates read only day first is read day first;
// -date-format decides for a file whose dates read both ways.
func TestDateOrder(t *testing.T) {
	const file = "ref,title,due\nA-1,One,12/5/2026\nA-2,Two,25/12/2026\n"
	res, err := Read(strings.NewReader(file), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.DateOrder != DayFirst || res.Ambiguous != 1 || res.Tasks[0].Due.String() != "2026-05-12" {
		t.Errorf("order %s, %d ambiguous, first due %s; want dmy, 1, 2026-05-12", res.DateOrder, res.Ambiguous, res.Tasks[0].Due)
	}
	_, err = Read(strings.NewReader(file), Options{DateOrder: MonthFirst})
	wantErr(t, err, "line 3", "-date-format dmy")

	// Evidence both ways: month first, and the other rows are bad.
	_, err = Read(strings.NewReader("ref,title,due\nA-1,One,12/25/2026\nA-2,Two,25/12/2026\n"), Options{})
	wantErr(t, err, "line 3", "not a month/day/year date")

	res, err = Read(strings.NewReader("ref,title,due\nA-1,One,12/5/2026\n"), Options{DateOrder: DayFirst})
	if err != nil || res.Tasks[0].Due.String() != "2026-05-12" {
		t.Errorf("dmy: %v, %v", res, err)
	}
	for in, want := range map[string]DateOrder{"dmy": DayFirst, "MDY": MonthFirst, "d/m/y": DayFirst, "": ""} {
		if got, err := ParseDateOrder(in); err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %q, %v", in, got, err)
		}
	}
	_, err = ParseDateOrder("ymd")
	wantErr(t, err, `"ymd" is not a date order`)
}

func TestDelimiters(t *testing.T) {
	for _, c := range []struct {
		desc, file string
		opts       Options
		comma      rune
	}{
		{"semicolon", "ref;title;due\nA-1;One, two;05.12.2026\n", Options{}, ';'},
		{"tab, with an empty field", "ref\ttitle\tassignee\tdue\nA-1\tOne; two\t\t2026-12-05\n", Options{}, '\t'},
		{"comma despite a semicolon in a quoted header", "ref,\"title; in full\"\nA-1,One\n", Options{Map: Mapping{"title": "title; in full"}}, ','},
		{"Excel's sep= line", "sep=;\nref;title;due\nA-1;One, two;05.12.2026\n", Options{}, ';'},
		{"forced", "ref;title\nA-1;One, two\n", Options{Comma: ';'}, ';'},
		{"one column, no delimiter", "ref\nA-1\n", Options{Map: Mapping{"ref": "ref", "title": "ref"}}, ','},
	} {
		res, err := Read(strings.NewReader(c.file), c.opts)
		if err != nil {
			t.Errorf("%s: %v", c.desc, err)
			continue
		}
		if res.Comma != c.comma || len(res.Tasks) != 1 {
			t.Errorf("%s: delimiter %q, %d tasks; want %q, 1", c.desc, res.Comma, len(res.Tasks), c.comma)
		}
	}
	_, err := Read(strings.NewReader("ref,title\nA-1,One\nA-2;Two\n"), Options{})
	wantErr(t, err, "line 3: wrong number of fields: 1, and the header has 2 (is the delimiter comma?)")
	// The line numbers count Excel's sep= line.
	_, err = Read(strings.NewReader("sep=;\nref;title\nA-1;\n"), Options{})
	wantErr(t, err, "line 3: the title is empty")

	for in, want := range map[string]rune{",": ',', ";": ';', "tab": '\t', "\t": '\t', "semicolon": ';'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v", in, got, err)
		}
	}
	_, err = ParseDelimiter("|")
	wantErr(t, err, `"|" is not a delimiter`)
}

// TestAllBadRows: every bad row is reported, with its line and all that is
// wrong with it, not only the first.
func TestAllBadRows(t *testing.T) {
	const file = "ref,title,due,priority,assignee\n" +
		"A-1,Fine,2026-12-05,high,\n" +
		",No ref,someday,meh,\n" +
		"A-3,Fine,2026-12-05,,Nobody Known\n" +
		"A-4,\"broken \"quote\",,,\n" +
		"A-5,Fine,,,\n" +
		"A-1,Again,,,\n"
	_, err := Read(strings.NewReader(file), Options{})
	wantErr(t, err,
		"4 bad rows; nothing is imported until each reads:",
		"\n  line 3: no ref (ticket number); it is the key that makes importing twice safe; due \"someday\" is not a date",
		`; priority "meh" is not one I know`,
		"\n  line 4: assignee \"Nobody Known\" is not a Slack user id",
		"\n  line 5: extraneous or missing \" in quoted-field",
		"\n  line 7: ref A-1 is also on line 2")

	// Many bad rows: the first are quoted, the lines of the rest listed.
	var b strings.Builder
	b.WriteString("ref,title,due\n")
	for i := range 200 {
		if i == 120 {
			b.WriteString("A-ok,Fine,\n")
			continue
		}
		b.WriteString("A-" + strings.Repeat("x", i%3) + ",Title,never\n")
	}
	_, err = Read(strings.NewReader(b.String()), Options{})
	wantErr(t, err, "199 bad rows", "line 51: due \"never\"", "and 149 more, on lines 52-121, 123-201")
	if strings.Contains(upgradebot.ErrorMessage(err), "line 52:") {
		t.Error("more than 50 rows quoted")
	}
	if got := lineRanges([]int{1, 2, 3, 5, 7, 8}); got != "1-3, 5, 7-8" {
		t.Errorf("lineRanges = %q", got)
	}
}

func TestStatusOf(t *testing.T) {
	for _, c := range []struct {
		status, resolution string
		want               upgradebot.TaskStatus
	}{
		{"", "", upgradebot.StatusOpen},
		{"Work in Progress", "", upgradebot.StatusOpen},
		{"In Progress", "Unresolved", upgradebot.StatusOpen},
		{"open", "", upgradebot.StatusOpen},
		{"Resolved", "", upgradebot.StatusDone},
		{"Closed Complete", "", upgradebot.StatusDone},
		{"Closed", "", upgradebot.StatusDone},
		{"done", "", upgradebot.StatusDone},
		{"Closed Incomplete", "", upgradebot.StatusCancelled},
		{"Closed Skipped", "", upgradebot.StatusCancelled},
		{"Canceled", "", upgradebot.StatusCancelled},
		{"cancelled", "", upgradebot.StatusCancelled},
		{"Closed", "Won't Do", upgradebot.StatusCancelled},
		{"Done", "Duplicate", upgradebot.StatusCancelled},
		{"Closed", "Fixed", upgradebot.StatusDone},
		{"In Review", "Done", upgradebot.StatusDone}, // a resolution closes it, as in Jira
	} {
		if got := statusOf(c.status, c.resolution); got != c.want {
			t.Errorf("statusOf(%q, %q) = %s, want %s", c.status, c.resolution, got, c.want)
		}
	}
}

// TestHeaderForms: ServiceNow's field names, its labels, and any case or
// spacing of either name the same field.
func TestHeaderForms(t *testing.T) {
	for _, head := range []string{
		"number,short_description,assigned_to,due_date,priority,state",
		"Number,Short description,Assigned to,Due date,Priority,State",
		"NUMBER , Short  Description,ASSIGNED_TO,Due Date,priority,STATE",
		"Issue key,Summary,Assignee,Due Date,Priority,Status",
	} {
		res, err := Read(strings.NewReader(head+"\nX-1,Title,U0SAM,2026-12-05,1 - Critical,Open\n"), Options{})
		if err != nil {
			t.Errorf("%s: %v", head, err)
			continue
		}
		if got := summarize(res.Tasks); !slices.Equal(got, []string{"X-1|Title|U0SAM|2026-12-05|high|open"}) || len(res.Ignored) != 0 {
			t.Errorf("%s: %q, ignored %q", head, got, res.Ignored)
		}
	}
}
