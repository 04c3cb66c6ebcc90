package bot

import "github.com/upgradebot/upgradebot"

// Corrections of clean-ups, vendors, releases and decisions (issue 10:
// "maint remove 4", "maint 4 pause", "maint edit 4 every:…", `withdraw 9`
// were unknown; `cancel 9 asked by mistake`, meant for decision #9, was
// answered about task #9; there was no vendor rename or remove, release
// edit or remove). They join parseTests, so TestParse, TestParseCoversSpecs
// and the seeds of FuzzParse cover them.
func init() { parseTests = append(parseTests, correctionParseTests...) }

var (
	weekly   = upgradebot.Interval{N: 1, Unit: 'w'}
	biweekly = upgradebot.Interval{N: 2, Unit: 'w'}
)

var correctionParseTests = []struct {
	desc string
	in   string
	want Command
	err  []string
	not  []string
}{
	// maint edit: the id after the verb, or the verb after the id.
	{desc: "maint edit every", in: "maint edit 4 every:1w", want: Command{Name: "maint edit", ID: 4, Every: weekly}},
	{desc: "maint edit, id first, working days", in: "maint 4 edit every:2w workdays:yes",
		want: Command{Name: "maint edit", ID: 4, Every: biweekly, Workdays: "yes"}},
	{desc: "maint edit everything", in: `maint edit #4 title:"Provider master file clean-up" <@U012AB3CD|alice> first:2026-12-07 workdays:no`,
		want: Command{Name: "maint edit", ID: 4, Title: "Provider master file clean-up", User: alice.ID, First: iso("2026-12-07"),
			Workdays: "no", People: people(alice)}},
	{desc: "maintenance edit, id first", in: "maintenance 4 edit workdays:on", want: Command{Name: "maint edit", ID: 4, Workdays: "yes"}},
	{desc: "maint edit nothing", in: "maint edit 4", err: []string{"what should change?", "title:", "every:", "workdays:yes"}},
	{desc: "maint edit bare title words", in: "maint edit 4 Provider clean-up", err: []string{`I didn't expect "Provider"`, `title:"…"`}},
	{desc: "maint edit without an id", in: "maint edit every:2w", err: []string{"which one?"}},
	{desc: "maint edit bad working days", in: "maint edit 4 workdays:maybe", err: []string{`workdays:yes or workdays:no, not "maybe"`}},
	{desc: "maint edit bad interval", in: "maint edit 4 every:fortnight", err: []string{`"fortnight" is not an interval`}},
	{desc: "maint edit empty title", in: `maint edit 4 title:""`, err: []string{"title"}},
	{desc: "maint edit two people", in: "maint edit 4 <@U012AB3CD> <@W0BOB1234>", err: []string{"only one assignee"}},

	// maint pause, resume, remove.
	{desc: "maint pause", in: "maint pause 4", want: Command{Name: "maint pause", ID: 4}},
	{desc: "maint 4 pause", in: "maint 4 pause", want: Command{Name: "maint pause", ID: 4}},
	{desc: "maint resume", in: "maint resume #4", want: Command{Name: "maint resume", ID: 4}},
	{desc: "maint 4 resume", in: "maint 4 resume", want: Command{Name: "maint resume", ID: 4}},
	{desc: "maint remove", in: "maint remove 4", want: Command{Name: "maint remove", ID: 4}},
	{desc: "maint 4 remove", in: "maint 4 remove", want: Command{Name: "maint remove", ID: 4}},
	{desc: "maintenance 4 delete", in: "maintenance 4 delete", want: Command{Name: "maint remove", ID: 4}},
	{desc: "maint remove with more", in: "maint remove 4 now", err: []string{`I didn't expect "now"`}},
	{desc: "maint pause without an id", in: "maint pause", err: []string{"which one?"}},

	// maint add keeps to working days with an option; a bare word is not
	// filed into the title.
	{desc: "maint add on working days", in: "maint add Master file clean-up every:2w workdays:yes",
		want: Command{Name: "maint add", Title: "Master file clean-up", Every: biweekly, Workdays: "yes"}},
	{desc: "maint add ending in workdays", in: "maint add Master file clean-up every:2w workdays",
		err: []string{`"workdays" at the end of the title`, "workdays:yes", "put the title in quotes"}},
	{desc: "maint add quoted title ending in workdays", in: `maint add "Check workdays" every:2w`,
		want: Command{Name: "maint add", Title: "Check workdays", Every: biweekly}},

	// release edit and remove, key first or verb first.
	{desc: "release edit ga", in: "release edit medcore-2027q1 ga:2027-03-15",
		want: Command{Name: "release edit", Key: "medcore-2027q1", GA: iso("2027-03-15")}},
	{desc: "release key edit support", in: "release MedCore-2027q1 edit support:2028-03-01",
		want: Command{Name: "release edit", Key: "medcore-2027q1", Support: iso("2028-03-01")}},
	{desc: "release edit support none", in: "release edit medcore-2027q1 support:none",
		want: Command{Name: "release edit", Key: "medcore-2027q1", NoSupport: true}},
	{desc: "release edit nothing", in: "release edit medcore-2027q1", err: []string{"what should change?", "ga:<date>", "support:none"}},
	{desc: "release edit bad date", in: "release edit medcore-2027q1 ga:someday", err: []string{"ga:", `"someday"`}},
	{desc: "release edit no key", in: "release edit ga:2027-03-15", err: []string{"which release?"}},
	{desc: "release edit more words", in: "release edit medcore-2027q1 ga:2027-03-15 please", err: []string{`I didn't expect "please"`}},
	{desc: "release remove", in: "release remove medcore-2027q1", want: Command{Name: "release remove", Key: "medcore-2027q1"}},
	{desc: "release key remove", in: "release medcore-2027q1 remove", want: Command{Name: "release remove", Key: "medcore-2027q1"}},
	{desc: "release remove no key", in: "release remove", err: []string{"which release?"}},

	// vendors: a change without support: keeps the window; rename, remove.
	{desc: "vendor cadence alone", in: "vendor Verisante cadence:13w",
		want: Command{Name: "vendor", Scope: "set", Title: "Verisante", Cadence: 91}},
	{desc: "vendor support none", in: "vendor Verisante cadence:13w support:none",
		want: Command{Name: "vendor", Scope: "set", Title: "Verisante", Cadence: 91, NoSupport: true}},
	{desc: "vendor rename", in: "vendor rename Verisnate Verisante",
		want: Command{Name: "vendor rename", Title: "Verisnate", Name2: "Verisante"}},
	{desc: "vendor rename quoted", in: `vendor rename "Veri Sante" VeriSante`,
		want: Command{Name: "vendor rename", Title: "Veri Sante", Name2: "VeriSante"}},
	{desc: "vendor rename one name", in: "vendor rename Verisnate", err: []string{"give the vendor's name and its new name"}},
	{desc: "vendor remove", in: "vendor remove Verisante", want: Command{Name: "vendor remove", Title: "Verisante"}},
	{desc: "vendor remove nothing", in: "vendor remove", err: []string{"which vendor?"}},

	// withdraw a decision; cancel is for tasks.
	{desc: "withdraw D7", in: "withdraw D7", want: Command{Name: "withdraw", ID: 7}},
	{desc: "withdraw with a reason", in: "withdraw 7 asked by mistake", want: Command{Name: "withdraw", ID: 7, Text: "asked by mistake"}},
	{desc: "withdraw d7", in: "withdraw d7", want: Command{Name: "withdraw", ID: 7}},
	{desc: "withdraw nothing", in: "withdraw", err: []string{"which one?"}},
	{desc: "cancel a decision", in: "cancel D9", err: []string{"to take back decision D9 write `withdraw D9`"}},
	{desc: "cancel a decision with a reason", in: "cancel d9 asked by mistake", err: []string{"to take back decision D9 write `withdraw D9`"}},
}
