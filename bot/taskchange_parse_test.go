package bot

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Correcting tasks (issue 10): numbers right after done, assign and cancel
// are ids, so bulk works and a note never swallows ids; edit, unassign,
// reopen and undo. They join parseTests, so the seeds of FuzzParse cover
// them.
func init() { parseTests = append(parseTests, taskChangeTests...) }

var taskChangeTests = []struct {
	desc string
	in   string
	want Command
	err  []string
	not  []string
}{
	// What the issue saw: ids became the note.
	{desc: "done several", in: "done 19 20 31 32", want: Command{Name: "done", ID: 19, IDs: []int64{19, 20, 31, 32}}},
	{desc: "done several with hashes", in: "done #84 #85", want: Command{Name: "done", ID: 84, IDs: []int64{84, 85}}},
	{desc: "done ids and a note", in: "done 19 20 migrated and verified", want: Command{Name: "done", ID: 19, IDs: []int64{19, 20}, Text: "migrated and verified"}},
	{desc: "done ids with commas", in: "done 19,20, 21 all three", want: Command{Name: "done", ID: 19, IDs: []int64{19, 20, 21}, Text: "all three"}},
	{desc: "done ids with and", in: "done 19 and #20", want: Command{Name: "done", ID: 19, IDs: []int64{19, 20}}},
	{desc: "done a note starting with and", in: "done 19 and the rest later", want: Command{Name: "done", ID: 19, Text: "and the rest later"}},
	{desc: "a note that starts with a number is quoted", in: `done 9 "14 pairs merged"`, want: Command{Name: "done", ID: 9, Text: "14 pairs merged"}},
	{desc: "a number inside a note stays in it", in: "done 9 merged 14 pairs, 2 sent to HIM review", want: Command{Name: "done", ID: 9, Text: "merged 14 pairs, 2 sent to HIM review"}},
	{desc: "a word with digits is not an id", in: "done 9 2x faster now", want: Command{Name: "done", ID: 9, Text: "2x faster now"}},
	{desc: "done an id twice", in: "done 19 20 19", err: []string{"#19 is given twice", "Usage: `/upgrade done <id>... [note]`"}},
	{desc: "done too many", in: "done" + manyIDs(51), err: []string{"at most 50 at once"}},
	{desc: "done a bad list", in: "done 19,x", err: []string{`"19,x" is not a number`}},
	{desc: "assign several", in: "assign 3 4 5 <@U0DANA123|dana>", want: Command{Name: "assign", ID: 3, IDs: []int64{3, 4, 5}, User: dana.ID, People: people(dana)}},
	{desc: "assign several, person first", in: "assign <@U0DANA123|dana> 3 4", err: []string{`"@U0DANA123|dana" is not a number`}},
	{desc: "assign several and a word", in: "assign 3 4 <@U0DANA123|dana> now", err: []string{`I didn't expect "now"`, "Usage: `/upgrade assign <id>... @user`"}},
	{desc: "cancel several with a reason", in: "cancel 7 8 asked by mistake", want: Command{Name: "cancel", ID: 7, IDs: []int64{7, 8}, Text: "asked by mistake"}},
	{desc: "cancel several", in: "cancel #7 #8", want: Command{Name: "cancel", ID: 7, IDs: []int64{7, 8}}},
	{desc: "note takes one id", in: "note 4 5 pairs left", want: Command{Name: "note", ID: 4, Text: "5 pairs left"}},

	// edit
	{desc: "edit the title", in: `edit 10 title:"Fix the BCMA scanner config"`,
		want: Command{Name: "edit", ID: 10, Edit: upgradebot.TaskEdit{Title: new("Fix the BCMA scanner config")}}},
	{desc: "edit every field", in: "edit #10 due:fri prio:HIGH est:8h kind:clean-up release:MedCore-2027.1 ref:CHG42",
		want: Command{Name: "edit", ID: 10, Edit: upgradebot.TaskEdit{Due: new(nextFri), Priority: new(upgradebot.PriorityHigh),
			Estimate: new(8 * time.Hour), Kind: new(upgradebot.KindCleanup), Release: new("medcore-2027.1"), Ref: new("CHG42")}}},
	{desc: "edit clears", in: "edit 10 due:none est:none release:none ref:NONE",
		want: Command{Name: "edit", ID: 10, Edit: upgradebot.TaskEdit{Due: new(upgradebot.Date{}), Estimate: new(time.Duration(0)), Release: new(""), Ref: new("")}}},
	{desc: "edit priority spelt out", in: "edit 10 priority:low", want: Command{Name: "edit", ID: 10, Edit: upgradebot.TaskEdit{Priority: new(upgradebot.PriorityLow)}}},
	{desc: "edit title with a date in quotes", in: `edit 10 title:"Call the vendor by friday"`,
		want: Command{Name: "edit", ID: 10, Edit: upgradebot.TaskEdit{Title: new("Call the vendor by friday")}}},
	{desc: "edit nothing", in: "edit 10", err: []string{"what should change?", "`edit 10 due:fri prio:high`"}},
	{desc: "edit 10 title …", in: "edit 10 title Fix the scanner", err: []string{`I didn't expect "title Fix the scanner"`, "`edit 10 title:\"Fix the scanner\"`"}},
	{desc: "edit the title without a colon", in: "edit 10 Fix the scanner", err: []string{"`edit 10 title:\"Fix the scanner\"`"}},
	{desc: "edit a bare priority", in: "edit 22 high", err: []string{"`edit 22 prio:high`"}},
	{desc: "edit a bare estimate", in: "edit 22 est 8h", err: []string{"`edit 22 est:8h`"}},
	{desc: "edit a bare date", in: "edit 22 fri", err: []string{"`edit 22 due:fri`"}},
	{desc: "rename", in: "rename 10 Fix the scanner", err: []string{"`edit 10 title:\"Fix the scanner\"`"}},
	{desc: "prio 22 high", in: "prio 22 high", err: []string{"`edit 22 prio:high`"}},
	{desc: "est 22 8h", in: "est 22 8h", err: []string{"`edit 22 est:8h`"}},
	{desc: "edit a bad priority", in: "edit 10 prio:urgent", err: []string{`prio "urgent" is not one of high, normal, low`}},
	{desc: "edit a bad date", in: "edit 10 due:someday", err: []string{`"someday" is not a date`}},
	{desc: "edit a bad estimate", in: "edit 10 est:forever", err: []string{`est: "forever" is not an estimate`}},
	{desc: "edit a bad kind", in: "edit 10 kind:party", err: []string{`kind "party"`}},
	{desc: "edit an empty title", in: `edit 10 title:""`, err: []string{"title: needs the new title"}},
	{desc: "edit a blank title", in: `edit 10 title:"  "`, err: []string{"title: needs the new title"}},
	{desc: "edit a title with spaces around", in: `edit 10 title:" Fix it "`, want: Command{Name: "edit", ID: 10, Edit: upgradebot.TaskEdit{Title: new("Fix it")}}},
	{desc: "edit a long ref", in: "edit 10 ref:" + strings.Repeat("x", 65), err: []string{"ref: needs a ticket number of up to 64 characters"}},
	{desc: "edit a person", in: "edit 10 <@U0DANA123|dana> due:fri", err: []string{"`edit` does not take a person", "`assign 10 @name`"}},
	{desc: "edit an unknown option", in: "edit 10 status:waiting", err: []string{"I don't know the option `status:`", "`edit` takes title:, due:"}},
	{desc: "edit an option it does not take", in: "edit 10 first:fri", err: []string{"`edit` does not take `first:`"}},
	{desc: "edit without an id", in: "edit title:x", err: []string{"which one?"}},
	{desc: "edit the same field twice", in: "edit 10 due:fri due:mon", err: []string{"`due:` is given twice"}},
	{desc: "add takes no title:", in: "add Foo title:bar", err: []string{"`add` does not take `title:`"}},

	// unassign, reopen, undo
	{desc: "unassign", in: "unassign 37", want: Command{Name: "unassign", ID: 37}},
	{desc: "unassign a person", in: "unassign 37 <@U0DANA123|dana>", err: []string{"does not take a person"}},
	{desc: "unassign nothing", in: "unassign", err: []string{"which one?", "Usage: `/upgrade unassign <id>`"}},
	{desc: "reopen", in: "reopen #5", want: Command{Name: "reopen", ID: 5}},
	{desc: "reopen two", in: "reopen 5 6", err: []string{`I didn't expect "6"`}},
	{desc: "undo", in: "undo", want: Command{Name: "undo"}},
	{desc: "undo upper case", in: "UNDO", want: Command{Name: "undo"}},
	{desc: "undo takes nothing", in: "undo 5", err: []string{`I didn't expect "5"`, "your own last change"}},
}

// manyIDs is " 1 2 … n".
func manyIDs(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(" " + strconv.Itoa(i))
	}
	return b.String()
}

// FuzzParseTaskChanges checks what Parse accepts of the commands that take
// several ids and of edit: the ids are positive and distinct, at most
// maxBulk, ID the first; an edit changes at least one field and each is
// one add would accept.
func FuzzParseTaskChanges(f *testing.F) {
	for _, tc := range parseTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text, testThursday)
		if err != nil {
			return // FuzzParse checks refusals
		}
		if c.IDs != nil {
			if len(c.IDs) < 2 || len(c.IDs) > maxBulk || c.ID != c.IDs[0] {
				t.Fatalf("Parse(%q): ID %d, IDs %v", text, c.ID, c.IDs)
			}
			for i, id := range c.IDs {
				if id <= 0 || slices.Contains(c.IDs[:i], id) {
					t.Fatalf("Parse(%q): IDs %v", text, c.IDs)
				}
			}
			if s := specNamed(c.Name); !s.bulk {
				t.Fatalf("Parse(%q): several ids for %q", text, c.Name)
			}
		}
		if c.Name != "edit" {
			if !c.Edit.IsZero() {
				t.Fatalf("Parse(%q): %q with an edit", text, c.Name)
			}
			return
		}
		e := c.Edit
		if c.ID <= 0 || e.IsZero() {
			t.Fatalf("Parse(%q) = edit #%d %+v", text, c.ID, e)
		}
		task := upgradebot.Task{Title: "x"}
		e.Apply(&task)
		if err := task.Validate(); err != nil {
			t.Fatalf("Parse(%q) = edit %+v: %v", text, e, err)
		}
	})
}
