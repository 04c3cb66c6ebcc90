package bot

// What a team lead typed in a month of use that the grammar used to file
// silently in the wrong place (issue 10). Each line is now either read as
// meant or refused, naming what was not understood and the form to write.
// They join parseTests, so the seeds of FuzzParse cover them.
func init() { parseTests = append(parseTests, grammarTests...) }

var grammarTests = []struct {
	desc string
	in   string
	want Command
	err  []string
	not  []string
}{
	// A date at the end of a title or a question is never swallowed.
	{desc: "add ending in tomorrow", in: "add Fix the BCMA scanner config <@U012AB3CD|alice> tomorrow",
		err: []string{`"tomorrow" at the end of the title looks like a date`, "`due:tomorrow`", "put the title in quotes"}},
	{desc: "add ending in by friday", in: "add Call the vendor by friday",
		err: []string{`"by friday" at the end of the title`, "`due:friday`"}},
	{desc: "add ending in on 12/5", in: "add Swap the label printers on 12/5",
		err: []string{`"on 12/5" at the end of the title`, "`due:<date>`"}},
	{desc: "add with the date quoted into the title", in: `add "Review what changes on fri"`,
		want: Command{Name: "add", Title: "Review what changes on fri"}},
	{desc: "add with due and a date-like word inside", in: "add Plan tomorrow's downtime due:fri",
		want: Command{Name: "add", Title: "Plan tomorrow's downtime", Due: iso("2026-11-27")}},
	{desc: "decide ending in by friday", in: `decide "Upgrade the scanners?" by friday`,
		err: []string{`"by friday" at the end of the question`, "`due:friday`"}},
	{desc: "decide with due", in: `decide "Upgrade the scanners?" due:fri`,
		want: Command{Name: "decide", Title: "Upgrade the scanners?", Due: iso("2026-11-27")}},
	{desc: "maint add ending in a date", in: "maint add Master file clean-up every:1m 2026-12-07",
		err: []string{`"2026-12-07" at the end of the title`, "`first:2026-12-07`"}},

	// Options nobody has are refused, not put into the title.
	{desc: "unknown option ward", in: "add Fix thing ward:north",
		err: []string{"I don't know the option `ward:`", "`add` takes due:, kind:", "put the text in quotes"}},
	{desc: "unknown option in a note", in: "note 4 status:waiting",
		err: []string{"I don't know the option `status:`", "`note` takes none"}},
	{desc: "prose colon stays prose", in: "add Re: interface errors",
		want: Command{Name: "add", Title: "Re: interface errors"}},
	{desc: "a URL in a note stays", in: "note 4 see http://wiki/x",
		want: Command{Name: "note", ID: 4, Text: "see http://wiki/x"}},
	{desc: "an option quoted into a title", in: `add "Fix thing site:north"`,
		want: Command{Name: "add", Title: "Fix thing site:north"}},

	// A command typed after decide is not a question.
	{desc: "decide cancel 9", in: "decide cancel 9",
		err: []string{`"cancel 9" reads like the command ` + "`cancel`", "put the question in quotes"}},
	{desc: "decide approve D9", in: "decide approve D9",
		err: []string{"reads like the command `approve`"}},
	{desc: "a quoted question that starts with a verb", in: `decide "cancel 9 of the 12 training sessions?"`,
		want: Command{Name: "decide", Title: "cancel 9 of the 12 training sessions?"}},
	{desc: "a question that starts with a verb and no id", in: "decide cancel the February go-live?",
		want: Command{Name: "decide", Title: "cancel the February go-live?"}},

	// People by name.
	{desc: "people", in: "people", want: Command{Name: "people"}},
	{desc: "people shared", in: "people share", want: Command{Name: "people", Share: true}},
	{desc: "a plain @name without the desk's people", in: "owner @nadia", err: []string{`I can't tell who "@nadia" is`}},

	// One release on one page.
	{desc: "release board", in: "release MedCore-2026q4", want: Command{Name: "release", Key: "medcore-2026q4"}},
	{desc: "release board shared", in: "release medcore-2026q4 share", want: Command{Name: "release", Key: "medcore-2026q4", Share: true}},
	{desc: "release board takes one key", in: "release medcore-2026q4 now", err: []string{`I didn't expect "now"`, "Usage: `/upgrade release <key>`"}},

	// Decisions have their own ids.
	{desc: "approve D7", in: "approve D7", want: Command{Name: "approve", ID: 7}},
	{desc: "reject d7 with reason", in: "reject d7 too risky", want: Command{Name: "reject", ID: 7, Text: "too risky"}},
	{desc: "a task id is not a decision's", in: "show D7", err: []string{`"D7" is not a number`}},
}
