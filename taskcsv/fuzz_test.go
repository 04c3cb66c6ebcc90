package taskcsv

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/upgradebot/upgradebot"
)

// FuzzRead: any file, with any delimiter and date order, is read into
// valid tasks, each with its line, or refused with EINVALID naming what
// is wrong; never a panic.
//
//	go test ./taskcsv -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		serviceNow, jira,
		"ref,title,release,phase\nA-1,Build,medcore-2027.1,build\n",
		"ref,title,due\nA-1,\"Two\nlines\",x\n",
		"ref,title\n,\n", "\ufeff", "a\"b,c\n",
		"sep=;\nref;title;due\nA-1;'=1;05.12.2026\n",
		"ref\ttitle\tdue\tstatus\nA-1\t\t12/5/2026\tClosed\n",
		"ref,title,estimate,resolution\nA-1,x,1.5h,\nA-2,y,,Won't Do\n",
		"ref,title\nA-1,\xdcbergabe\n",
	} {
		f.Add(s, uint8(0))
	}
	matches, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), uint8(0))
	}
	users := map[string]string{"priya patel": "U0PRIYA", "u0dana": "U0DANA", "sam jones": "U0SAM"}
	f.Fuzz(func(t *testing.T, s string, how uint8) {
		opts := Options{Users: users}
		opts.Comma = []rune{0, ',', ';', '\t'}[how%4]
		opts.DateOrder = []DateOrder{"", MonthFirst, DayFirst}[how/4%3]
		res, err := Read(strings.NewReader(s), opts)
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Fatalf("Read(%q) = %v, want EINVALID", s, err)
			}
			return
		}
		if len(res.Lines) != len(res.Tasks) {
			t.Fatalf("%d tasks but %d lines", len(res.Tasks), len(res.Lines))
		}
		if !slices.IsSorted(res.Lines) || !slices.IsSorted(res.Closed) {
			t.Fatalf("lines %v, closed %v: not in file order", res.Lines, res.Closed)
		}
		if res.DateOrder != MonthFirst && res.DateOrder != DayFirst {
			t.Fatalf("date order %q", res.DateOrder)
		}
		refs := map[string]bool{}
		for i, task := range res.Tasks {
			if err := task.Validate(); err != nil || task.Ref == "" {
				t.Fatalf("line %d: read an invalid task %+v: %v", res.Lines[i], task, err)
			}
			if refs[task.Ref] {
				t.Fatalf("line %d: ref %q twice", res.Lines[i], task.Ref)
			}
			refs[task.Ref] = true
			if closed := slices.Contains(res.Closed, res.Lines[i]); closed != (task.Status != upgradebot.StatusOpen) {
				t.Fatalf("line %d: status %s, closed %v", res.Lines[i], task.Status, closed)
			}
		}
	})
}

// FuzzWriteRead: a task Write writes, Read reads back with the same ref,
// title and due date, whatever the title starts with; a spreadsheet never
// sees a formula.
//
//	go test ./taskcsv -run '^$' -fuzz FuzzWriteRead -fuzztime 60s
func FuzzWriteRead(f *testing.F) {
	for _, s := range []string{`=HYPERLINK("http://x","y")`, "+1", "-1", "@SUM(A1)", "'=1", "''@x", "'", "plain, with \"quotes\""} {
		f.Add("CHG1", s, int64(7), uint16(90))
	}
	f.Add("", "No ref", int64(12), uint16(0))
	f.Fuzz(func(t *testing.T, ref, title string, id int64, minutes uint16) {
		task := &upgradebot.Task{ID: id, Ref: ref, Title: title, Due: upgradebot.Date{Year: 2026, Month: 12, Day: 5},
			Estimate: time.Duration(minutes) * time.Minute}
		if strings.TrimSpace(ref) != ref || strings.TrimSpace(title) != title || !utf8.ValidString(ref) || task.Validate() != nil {
			return // not a task the store would hold (refs are text, as typed or imported)
		}
		var b bytes.Buffer
		if err := Write(&b, []*upgradebot.Task{task}); err != nil {
			t.Fatal(err)
		}
		// What a spreadsheet sees: the cells as CSV reads them.
		recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, cell := range slices.Concat(recs...) {
			if cell != "" && strings.IndexByte(formulaStart, cell[0]) >= 0 {
				t.Fatalf("the file has a formula cell %q:\n%s", cell, b.String())
			}
		}
		res, err := Read(&b, Options{})
		if err != nil || len(res.Tasks) != 1 {
			t.Fatalf("read back: %v, %v\n%s", res, err, b.String())
		}
		if ref == "" {
			ref = fmt.Sprintf("%s%d", RefPrefix, id)
		}
		got := res.Tasks[0]
		if got.Ref != ref || got.Title != title || got.Due != task.Due || got.Estimate != task.Estimate {
			t.Fatalf("round trip: got %+v, want %+v", got, task)
		}
	})
}

// FuzzParseDue: a date is refused or read as a real day, which reads again
// the same in ISO form; never a panic.
func FuzzParseDue(f *testing.F) {
	for _, s := range []string{"2026-12-05", "12/5/2026", "05.12.2026", "5/Dec/26 5:00 PM", "2026-12-05T17:00:00Z", "31/11/2026", "0/0/0"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, dayFirst bool) {
		order := MonthFirst
		if dayFirst {
			order = DayFirst
		}
		d, err := parseDue(s, order)
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Fatalf("parseDue(%q) = %v", s, err)
			}
			return
		}
		if s != "" && d.IsZero() {
			t.Fatalf("parseDue(%q) is the zero date", s)
		}
		again, err := upgradebot.ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("parseDue(%q) = %v, which reads back as %v, %v", s, d, again, err)
		}
	})
}
