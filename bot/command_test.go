package bot

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// People who appear in the parser tests, as Slack escapes them.
var (
	alice     = upgradebot.Person{ID: "U012AB3CD", Name: "alice"}
	aliceBare = upgradebot.Person{ID: "U012AB3CD"} // <@U012AB3CD>: Slack sent no name
	bob       = upgradebot.Person{ID: "W0BOB1234", Name: "bob"}
	dana      = upgradebot.Person{ID: "U0DANA123", Name: "dana"}
)

// iso is a date for the tables below.
func iso(s string) upgradebot.Date {
	d, err := upgradebot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Dates relative to testThursday (Thursday 26 Nov 2026).
var (
	tomorrow = iso("2026-11-27")
	nextFri  = iso("2026-11-27")
	nextMon  = iso("2026-11-30")
)

// people is a shorthand for the People field.
func people(ps ...upgradebot.Person) []upgradebot.Person { return ps }

// parseTests are the command language, one line at a time, with what Parse
// makes of it. With err set, Parse must refuse the line with EINVALID and a
// message containing each of err and none of not. The whole Command is
// compared, People included. They are also the seeds of FuzzParse.
var parseTests = []struct {
	desc string
	in   string
	want Command
	err  []string
	not  []string
}{
	// help
	{desc: "empty line is help", in: "", want: Command{Name: "help"}},
	{desc: "blank line is help", in: " \t \n", want: Command{Name: "help"}},
	{desc: "help", in: "help", want: Command{Name: "help"}},
	{desc: "help upper case", in: "HELP", want: Command{Name: "help"}},
	{desc: "help topic", in: "help add", want: Command{Name: "help", Text: "add"}},
	{desc: "help two-word topic", in: "help release add", want: Command{Name: "help", Text: "release add"}},
	{desc: "question mark", in: "?", want: Command{Name: "help"}},
	{desc: "question mark topic", in: "? away", want: Command{Name: "help", Text: "away"}},
	// release phase, vendor, forecast
	{desc: "phase start today", in: "release medcore-2026q4 phase review start",
		want: Command{Name: "release phase", Key: "medcore-2026q4", Phase: upgradebot.PhaseReview, Scope: "start", Due: testThursday}},
	// The phase is read by its shape: the handler reads it against the
	// team's phases ("golive" is go-live there).
	{desc: "phase done on a day, go live spelt golive", in: "release phase MedCore-2026q4 golive done 2026-11-20",
		want: Command{Name: "release phase", Key: "medcore-2026q4", Phase: "golive", Scope: "done", Due: iso("2026-11-20")}},
	{desc: "phase spelt with a space", in: `release medcore-2026q4 phase "Go Live" start`,
		want: Command{Name: "release phase", Key: "medcore-2026q4", Phase: upgradebot.PhaseGoLive, Scope: "start", Due: testThursday}},
	{desc: "phase of the team's own", in: "release medcore-2026q4 phase cut-over start",
		want: Command{Name: "release phase", Key: "medcore-2026q4", Phase: "cut-over", Scope: "start", Due: testThursday}},
	{desc: "phase malformed", in: "release medcore-2026q4 phase de_ploy start", err: []string{`"de_ploy" is not a phase name`, "lower-case letters, digits and dashes"}},
	{desc: "phase neither start nor done", in: "release medcore-2026q4 phase test later", err: []string{"neither start nor done"}},
	{desc: "phase bad date", in: "release medcore-2026q4 phase test done someday", err: []string{"someday"}},
	{desc: "vendor list", in: "vendor", want: Command{Name: "vendor", Scope: "list"}},
	{desc: "vendor cadence", in: "vendor MedCore cadence:13w support:52w",
		want: Command{Name: "vendor", Scope: "set", Title: "MedCore", Cadence: 91, SupportDays: 364}},
	{desc: "vendor without cadence", in: "vendor MedCore", err: []string{"cadence:13w"}},
	{desc: "vendor cadence in months", in: "vendor MedCore cadence:3m", err: []string{"13w"}},
	{desc: "forecast", in: "forecast share", want: Command{Name: "forecast", Share: true}},
	{desc: "forecast takes nothing", in: "forecast medcore", err: []string{"didn't expect"}},

	// add
	{desc: "add bare title", in: "add Review release notes",
		want: Command{Name: "add", Title: "Review release notes"}},
	{desc: "add upper case command", in: "ADD Review release notes",
		want: Command{Name: "add", Title: "Review release notes"}},
	{desc: "add every option",
		in: "add Review release notes due:fri <@U012AB3CD|alice> kind:upgrade release:MedCore-2027.1 prio:high ref:CHG0012345",
		want: Command{Name: "add", Title: "Review release notes", Due: nextFri, User: alice.ID, Kind: upgradebot.KindUpgrade,
			Release: "medcore-2027.1", Priority: upgradebot.PriorityHigh, Ref: "CHG0012345", People: people(alice)}},
	{desc: "add options anywhere", in: "add ref:INC42 Upgrade <@U012AB3CD> interface due:2026-12-05 engine prio:LOW",
		want: Command{Name: "add", Title: "Upgrade interface engine", Due: iso("2026-12-05"), User: alice.ID,
			Priority: upgradebot.PriorityLow, Ref: "INC42", People: people(aliceBare)}},
	{desc: "add options first", in: "add due:tomorrow kind:maintenance Patch the lab interface",
		want: Command{Name: "add", Title: "Patch the lab interface", Due: tomorrow, Kind: upgradebot.KindMaintenance}},
	{desc: "add option keys in any case", in: "add Foo DUE:FRI Kind:Cleanup",
		want: Command{Name: "add", Title: "Foo", Due: nextFri, Kind: upgradebot.KindCleanup}},
	{desc: "add priority and clean-up spelt out", in: "add Purge temp files kind:clean-up priority:normal",
		want: Command{Name: "add", Title: "Purge temp files", Kind: upgradebot.KindCleanup, Priority: upgradebot.PriorityNormal}},
	{desc: "add option value in the next word", in: "add Foo due: mon",
		want: Command{Name: "add", Title: "Foo", Due: nextMon}},
	{desc: "add straight quotes", in: `add "Upgrade Epic to 2027.1" due:+2w`,
		want: Command{Name: "add", Title: "Upgrade Epic to 2027.1", Due: iso("2026-12-10")}},
	{desc: "add curly quotes", in: "add “Upgrade Epic to 2027.1” due:2026-12-05",
		want: Command{Name: "add", Title: "Upgrade Epic to 2027.1", Due: iso("2026-12-05")}},
	{desc: "add low-high quotes", in: "add „Prüfung der Schnittstelle“",
		want: Command{Name: "add", Title: "Prüfung der Schnittstelle"}},
	{desc: "add guillemets", in: "add «Revue des notes»",
		want: Command{Name: "add", Title: "Revue des notes"}},
	{desc: "add quoted option is title", in: `add "due:fri is part of the title"`,
		want: Command{Name: "add", Title: "due:fri is part of the title"}},
	{desc: "add quoted and bare words", in: `add Review "release notes" now`,
		want: Command{Name: "add", Title: "Review release notes now"}},
	{desc: "add entities decoded", in: "add Fix R&amp;D labels &lt;urgent&gt;",
		want: Command{Name: "add", Title: "Fix R&D labels <urgent>"}},
	{desc: "add entity not decoded twice", in: "add Escape &amp;lt; in labels",
		want: Command{Name: "add", Title: "Escape &lt; in labels"}},
	{desc: "add entities in quotes", in: `add "R&amp;D review"`,
		want: Command{Name: "add", Title: "R&D review"}},
	{desc: "add link escape", in: "add Read <https://vendor.example/kb?id=1&amp;v=2|the KB> first",
		want: Command{Name: "add", Title: "Read https://vendor.example/kb?id=1&v=2 first"}},
	{desc: "add channel escape", in: "add Post in <#C0123ABC|ehr-upgrade> daily",
		want: Command{Name: "add", Title: "Post in #ehr-upgrade daily"}},
	{desc: "add prose colon", in: "add Note: call the vendor at 10:30",
		want: Command{Name: "add", Title: "Note: call the vendor at 10:30"}},
	{desc: "add plain url", in: "add See http://intranet/runbook",
		want: Command{Name: "add", Title: "See http://intranet/runbook"}},
	{desc: "add share is a word", in: "add Share the runbook share",
		want: Command{Name: "add", Title: "Share the runbook share"}},
	{desc: "add user with entity in name", in: "add Foo <@U012AB3CD|alice &amp; co>",
		want: Command{Name: "add", Title: "Foo", User: alice.ID, People: people(upgradebot.Person{ID: alice.ID, Name: "alice & co"})}},
	{desc: "add W user", in: "add Foo <@W0BOB1234|bob>",
		want: Command{Name: "add", Title: "Foo", User: bob.ID, People: people(bob)}},
	{desc: "add no space before escape", in: "add Foo<@U012AB3CD|alice>",
		want: Command{Name: "add", Title: "Foo", User: alice.ID, People: people(alice)}},
	{desc: "add title at the limit", in: "add " + strings.Repeat("x", upgradebot.MaxTitleLen),
		want: Command{Name: "add", Title: strings.Repeat("x", upgradebot.MaxTitleLen)}},

	{desc: "add without title", in: "add", err: []string{"the title is empty", "Usage: `/upgrade add <title>"}},
	{desc: "add empty quotes", in: `add ""`, err: []string{"the title is empty"}},
	{desc: "add blank curly quotes", in: "add “ ”", err: []string{"the title is empty"}},
	{desc: "add only options", in: "add due:fri <@U012AB3CD>", err: []string{"the title is empty", "Usage:"}},
	{desc: "add bad date", in: "add Foo due:someday", err: []string{"due:", `"someday"`, "2026-12-05", "+3d"}},
	{desc: "add bad iso date", in: "add Foo due:2026-02-30", err: []string{"due:", `"2026-02-30"`}},
	{desc: "add date missing", in: "add Foo due:", err: []string{"due:", "missing", "2026-12-05"}},
	{desc: "add unknown user escape", in: "add Foo <@nope>", err: []string{`"<@nope>"`, "Mention"}},
	{desc: "add empty user escape", in: "add Foo <@>", err: []string{`"<@>"`}},
	{desc: "add bare @name", in: "add Foo @alice", err: []string{`"@alice"`, "Mention them with @"}},
	{desc: "add two assignees", in: "add Foo <@U012AB3CD|alice> <@W0BOB1234|bob>", err: []string{"only one assignee", "Usage: `/upgrade add"}},
	{desc: "add misspelt option", in: "add Foo dua:fri", err: []string{"`dua:`", "Did you mean `due:`?", "Usage: `/upgrade add"}},
	{desc: "add misspelt release", in: "add Foo relase:x", err: []string{"Did you mean `release:`?"}},
	{desc: "add option it does not take", in: "add Foo ga:fri", err: []string{"`add` does not take `ga:`", "Usage: `/upgrade add"}},
	{desc: "add every: is maint add's", in: "add Foo every:2w", err: []string{"`add` does not take `every:`"}},
	{desc: "add repeated option", in: "add Foo due:fri due:mon", err: []string{"`due:` is given twice", "Usage: `/upgrade add"}},
	{desc: "add repeated prio spelt two ways", in: "add Foo prio:high priority:low", err: []string{"`prio:` is given twice"}},
	{desc: "add bad kind", in: "add Foo kind:bogus", err: []string{`"bogus"`, "upgrade, maintenance, cleanup"}},
	{desc: "add bad prio", in: "add Foo prio:urgent", err: []string{`"urgent"`, "high, normal, low"}},
	{desc: "add empty release", in: "add Foo release:", err: []string{"release: needs a key"}},
	{desc: "add empty ref", in: "add Foo ref:", err: []string{"ref: needs a ticket"}},
	{desc: "add long ref", in: "add Foo ref:" + strings.Repeat("9", 65), err: []string{"up to 64 characters"}},
	{desc: "add unclosed quote", in: `add "Review release notes`, err: []string{"quote is not closed", `"Review release notes"`}},
	{desc: "add unclosed curly quote", in: "add “Review release notes", err: []string{"quote is not closed"}},
	{desc: "add unclosed <", in: "add Foo <@U012AB3CD", err: []string{"`<` is not closed with `>`"}},
	{desc: "add title too long", in: "add " + strings.Repeat("x", upgradebot.MaxTitleLen+1), err: []string{"201 characters", "keep it under 200"}},
	{desc: "add control character", in: "add Foo\x00bar", err: []string{"control characters"}},

	// list
	{desc: "list", in: "list", want: Command{Name: "list", Scope: "open"}},
	{desc: "list mine", in: "list mine", want: Command{Name: "list", Scope: "mine"}},
	{desc: "list scope after the person", in: "list <@U012AB3CD|alice> overdue", want: Command{Name: "list", Scope: "overdue", User: alice.ID, People: people(alice)}},
	{desc: "add nested curly quotes", in: `add "Check the “interface” engine" due:fri`, want: Command{Name: "add", Title: "Check the “interface” engine", Due: nextFri}},
	{desc: "add quoted option value", in: `add Review change ref:"CHG 0012"`, want: Command{Name: "add", Title: "Review change", Ref: "CHG 0012"}},
	{desc: "add title with Re: is prose", in: "add Re: vendor call follow-up", want: Command{Name: "add", Title: "Re: vendor call follow-up"}},
	{desc: "add empty escape ignored", in: "add Thing <> here", want: Command{Name: "add", Title: "Thing here"}},
	{desc: "list open", in: "list open", want: Command{Name: "list", Scope: "open"}},
	{desc: "list overdue", in: "list overdue", want: Command{Name: "list", Scope: "overdue"}},
	{desc: "list done", in: "list done", want: Command{Name: "list", Scope: "done"}},
	{desc: "list all", in: "list all", want: Command{Name: "list", Scope: "all"}},
	{desc: "list upper case", in: "LIST OVERDUE", want: Command{Name: "list", Scope: "overdue"}},
	{desc: "ls", in: "ls done", want: Command{Name: "list", Scope: "done"}},
	{desc: "list user", in: "list <@U012AB3CD|alice>",
		want: Command{Name: "list", Scope: "open", User: alice.ID, People: people(alice)}},
	{desc: "list scope and user", in: "list overdue <@U012AB3CD|alice>",
		want: Command{Name: "list", Scope: "overdue", User: alice.ID, People: people(alice)}},
	{desc: "list release", in: "list release:MedCore-2027.1",
		want: Command{Name: "list", Scope: "open", Release: "medcore-2027.1"}},
	{desc: "list kind", in: "list all kind:cleanup", want: Command{Name: "list", Scope: "all", Kind: upgradebot.KindCleanup}},
	{desc: "list everything shared", in: "list done <@W0BOB1234|bob> kind:clean-up release:x share",
		want: Command{Name: "list", Scope: "done", User: bob.ID, Kind: upgradebot.KindCleanup, Release: "x", Share: true, People: people(bob)}},
	{desc: "list share", in: "list share", want: Command{Name: "list", Scope: "open", Share: true}},
	{desc: "list SHARE", in: "list overdue SHARE", want: Command{Name: "list", Scope: "overdue", Share: true}},

	{desc: "list bad scope", in: "list bogus", err: []string{`"bogus"`, "mine, open, overdue, done or all", "Usage: `/upgrade list"}},
	{desc: "list quoted share", in: `list "share"`, err: []string{`"share"`}},
	{desc: "list two users", in: "list <@U012AB3CD> <@W0BOB1234>", err: []string{"only one person"}},
	{desc: "list option it does not take", in: "list due:fri", err: []string{"`list` does not take `due:`", "Usage: `/upgrade list"}},
	{desc: "list misspelt option", in: "list knd:cleanup", err: []string{"Did you mean `kind:`?"}},
	{desc: "list bad kind", in: "list kind:bogus", err: []string{`"bogus"`}},
	{desc: "list bare @name", in: "list @bob", err: []string{`"@bob"`}},

	// find
	{desc: "find", in: "find epic interface", want: Command{Name: "find", Text: "epic interface"}},
	{desc: "find shared", in: "find CHG0012345 share", want: Command{Name: "find", Text: "CHG0012345", Share: true}},
	{desc: "find quoted", in: `find "lab interface"`, want: Command{Name: "find", Text: "lab interface"}},
	{desc: "find mention", in: "find <@U012AB3CD|alice>", want: Command{Name: "find", Text: "@alice", People: people(alice)}},
	{desc: "find nothing", in: "find", err: []string{"what should I look for?", "Usage: `/upgrade find <words>`"}},
	{desc: "find only share", in: "find share", err: []string{"what should I look for?"}},

	// show
	{desc: "show", in: "show 42", want: Command{Name: "show", ID: 42}},
	{desc: "show hash", in: "show #42", want: Command{Name: "show", ID: 42}},
	{desc: "show shared", in: "show #42 share", want: Command{Name: "show", ID: 42, Share: true}},
	{desc: "show largest id", in: "show 9223372036854775807", want: Command{Name: "show", ID: 9223372036854775807}},
	{desc: "show leading zeros", in: "show 007", want: Command{Name: "show", ID: 7}},
	{desc: "show no id", in: "show", err: []string{"which one?", "42 or #42", "Usage: `/upgrade show <id>`"}},
	{desc: "show word", in: "show abc", err: []string{`"abc" is not a number`, "Usage: `/upgrade show <id>`"}},
	{desc: "show zero", in: "show 0", err: []string{`"0" is not a number`}},
	{desc: "show negative", in: "show -1", err: []string{`"-1" is not a number`}},
	{desc: "show hash negative", in: "show #-1", err: []string{`"#-1"`}},
	{desc: "show plus", in: "show +42", err: []string{`"+42"`}},
	{desc: "show double hash", in: "show ##42", err: []string{`"##42"`}},
	{desc: "show hash only", in: "show #", err: []string{`"#"`}},
	{desc: "show overflow", in: "show 9223372036854775808", err: []string{`"9223372036854775808" is not a number`}},
	{desc: "show huge", in: "show 99999999999999999999", err: []string{`"99999999999999999999"`}},
	{desc: "show quoted number", in: `show "42"`, err: []string{`"42" is not a number`}},
	{desc: "show fraction", in: "show 4.2", err: []string{`"4.2"`}},
	{desc: "show two ids", in: "show 42 43", err: []string{`I didn't expect "43"`, "Usage: `/upgrade show <id>`"}},
	{desc: "show a person", in: "show 42 <@U012AB3CD>", err: []string{"does not take a person"}},

	// done
	{desc: "done", in: "done 42", want: Command{Name: "done", ID: 42}},
	{desc: "done with note", in: "done #42 migrated and verified &amp; signed off",
		want: Command{Name: "done", ID: 42, Text: "migrated and verified & signed off"}},
	{desc: "done note with mention", in: "done 42 handed over to <@U012AB3CD|alice>",
		want: Command{Name: "done", ID: 42, Text: "handed over to @alice", People: people(alice)}},
	{desc: "close", in: "close 42", want: Command{Name: "done", ID: 42}},
	{desc: "complete", in: "complete 42 ok", want: Command{Name: "done", ID: 42, Text: "ok"}},
	{desc: "done no id", in: "done", err: []string{"which one?", "Usage: `/upgrade done <id>... [note]`"}},
	{desc: "done text first", in: "done it 42", err: []string{`"it" is not a number`}},

	// assign
	{desc: "assign", in: "assign 42 <@U012AB3CD|alice>", want: Command{Name: "assign", ID: 42, User: alice.ID, People: people(alice)}},
	{desc: "assign hash", in: "assign #42 <@W0BOB1234>", want: Command{Name: "assign", ID: 42, User: bob.ID, People: people(upgradebot.Person{ID: bob.ID})}},
	{desc: "assign without user", in: "assign 42", err: []string{"to whom?", "Usage: `/upgrade assign <id>... @user`"}},
	{desc: "assign plain name", in: "assign 42 alice", err: []string{"to whom?"}},
	{desc: "assign bare @name", in: "assign 42 @alice", err: []string{`"@alice"`, "Mention them"}},
	{desc: "assign bad escape", in: "assign 42 <@alice>", err: []string{`"<@alice>"`}},
	{desc: "assign two users", in: "assign 42 <@U012AB3CD> <@W0BOB1234>", err: []string{"only one assignee", "Usage: `/upgrade assign"}},
	{desc: "assign user first", in: "assign <@U012AB3CD> 42", err: []string{`"@U012AB3CD" is not a number`}},
	{desc: "assign extra word", in: "assign 42 <@U012AB3CD> today", err: []string{`I didn't expect "today"`}},
	{desc: "assign no id", in: "assign", err: []string{"which one?"}},

	// due
	{desc: "due", in: "due 42 fri", want: Command{Name: "due", ID: 42, Due: nextFri}},
	{desc: "due iso", in: "due #42 2026-12-05", want: Command{Name: "due", ID: 42, Due: iso("2026-12-05")}},
	{desc: "due relative", in: "due 42 +1m", want: Command{Name: "due", ID: 42, Due: iso("2026-12-26")}},
	{desc: "due without date", in: "due 42", err: []string{"give one date", "2026-12-05", "Usage: `/upgrade due <id> <date>`"}},
	{desc: "due two dates", in: "due 42 fri mon", err: []string{"give one date"}},
	{desc: "due bad date", in: "due 42 someday", err: []string{`"someday"`, "2026-12-05", "+3d"}},
	{desc: "due too far", in: "due 42 +99999999999999999999d", err: []string{"99999999999999999999"}},
	{desc: "due option", in: "due 42 due:fri", err: []string{"`due` does not take `due:`"}},
	{desc: "due no id", in: "due fri", err: []string{`"fri" is not a number`}},

	// note
	{desc: "note", in: "note 42 Called vendor; ticket &lt;INC123&gt; opened",
		want: Command{Name: "note", ID: 42, Text: "Called vendor; ticket <INC123> opened"}},
	{desc: "note quoted", in: "note #42 “waiting on the vendor”", want: Command{Name: "note", ID: 42, Text: "waiting on the vendor"}},
	{desc: "note without text", in: "note 42", err: []string{"the text is missing", "Usage: `/upgrade note <id> <text>`"}},
	{desc: "note too long", in: "note 42 " + strings.Repeat("word ", 500), err: []string{"keep it under 2000"}},

	// cancel
	{desc: "cancel", in: "cancel 42", want: Command{Name: "cancel", ID: 42}},
	{desc: "cancel with reason", in: "cancel 42 duplicate of #41", want: Command{Name: "cancel", ID: 42, Text: "duplicate of #41"}},
	{desc: "cancel zero", in: "cancel 0", err: []string{`"0"`, "Usage: `/upgrade cancel <id>... [reason]`"}},

	// release add
	{desc: "release add", in: "release add MedCore 2027.1 ga:2027-02-15",
		want: Command{Name: "release add", Title: "MedCore", Name2: "2027.1", GA: iso("2027-02-15")}},
	{desc: "release add everything", in: `release add "Med Core" “2027.1 LTS” ga:2027-02-15 key:MedCore-LTS support:2029-02-15`,
		want: Command{Name: "release add", Title: "Med Core", Name2: "2027.1 LTS", GA: iso("2027-02-15"), Key: "medcore-lts", Support: iso("2029-02-15")}},
	{desc: "release add options first", in: "release add ga:+1m support: 2030-01-01 MedCore 2027.1",
		want: Command{Name: "release add", Title: "MedCore", Name2: "2027.1", GA: iso("2026-12-26"), Support: iso("2030-01-01")}},
	{desc: "release add upper case", in: "RELEASE ADD MedCore 2027.1 GA:fri",
		want: Command{Name: "release add", Title: "MedCore", Name2: "2027.1", GA: nextFri}},
	{desc: "release add entity", in: "release add A&amp;B 1.0 ga:2027-01-01",
		want: Command{Name: "release add", Title: "A&B", Name2: "1.0", GA: iso("2027-01-01")}},
	{desc: "release add without ga", in: "release add MedCore 2027.1", err: []string{"GA date is missing: ga:<date>", "Usage: `/upgrade release add"}},
	{desc: "release add without name", in: "release add MedCore ga:2027-02-15", err: []string{"the vendor and the release name", "Usage: `/upgrade release add"}},
	{desc: "release add unquoted spaces", in: "release add Med Core 2027.1 ga:2027-02-15", err: []string{"quote either"}},
	{desc: "release add bad ga", in: "release add MedCore 2027.1 ga:someday", err: []string{"ga:", `"someday"`, "2026-12-05"}},
	{desc: "release add empty ga", in: "release add MedCore 2027.1 ga:", err: []string{"ga:", "missing"}},
	{desc: "release add bad support", in: "release add MedCore 2027.1 ga:2027-02-15 support:never", err: []string{"support:", `"never"`}},
	{desc: "release add misspelt ga", in: "release add MedCore 2027.1 gaa:2027-02-15", err: []string{"Did you mean `ga:`?"}},
	{desc: "release add misspelt support", in: "release add MedCore 2027.1 ga:2027-02-15 suport:2029-01-01", err: []string{"Did you mean `support:`?"}},
	{desc: "release add due", in: "release add MedCore 2027.1 ga:2027-02-15 due:fri", err: []string{"`release add` does not take `due:`"}},
	{desc: "release add ga twice", in: "release add MedCore 2027.1 ga:2027-02-15 ga:2027-03-01", err: []string{"`ga:` is given twice"}},

	// releases
	{desc: "releases", in: "releases", want: Command{Name: "releases"}},
	{desc: "releases all", in: "releases all", want: Command{Name: "releases", Scope: "all"}},
	{desc: "release alone is releases", in: "release", want: Command{Name: "releases"}},
	{desc: "releases shared", in: "releases ALL share", want: Command{Name: "releases", Scope: "all", Share: true}},
	{desc: "releases bad scope", in: "releases bogus", err: []string{`I didn't expect "bogus"`, "Usage: `/upgrade releases [all]`"}},

	// maint add
	{desc: "maint add", in: "maint add Duplicate MRN clean-up every:2w <@U012AB3CD|alice> first:2026-12-01",
		want: Command{Name: "maint add", Title: "Duplicate MRN clean-up", Every: upgradebot.Interval{N: 2, Unit: 'w'},
			User: alice.ID, First: iso("2026-12-01"), People: people(alice)}},
	{desc: "maintenance add quoted", in: `maintenance add "Purge temp files" every:14d`,
		want: Command{Name: "maint add", Title: "Purge temp files", Every: upgradebot.Interval{N: 14, Unit: 'd'}}},
	{desc: "maint add options first", in: "maint add every:1M first:mon Reconcile orders",
		want: Command{Name: "maint add", Title: "Reconcile orders", Every: upgradebot.Interval{N: 1, Unit: 'm'}, First: nextMon}},
	{desc: "maint add longest", in: "maint add Yearly audit every:12m",
		want: Command{Name: "maint add", Title: "Yearly audit", Every: upgradebot.Interval{N: 12, Unit: 'm'}}},
	{desc: "maint add without every", in: "maint add Purge temp files", err: []string{"how often?", "every:2w", "Usage: `/upgrade maint add"}},
	{desc: "maint add bad interval", in: "maint add X every:2y", err: []string{`"2y" is not an interval`, "every:14d"}},
	{desc: "maint add word interval", in: "maint add X every:fortnight", err: []string{`"fortnight" is not an interval`}},
	{desc: "maint add zero interval", in: "maint add X every:0d", err: []string{`"0d" is not an interval`}},
	{desc: "maint add negative interval", in: "maint add X every:-2w", err: []string{`"-2w" is not an interval`}},
	{desc: "maint add empty interval", in: "maint add X every:", err: []string{`"" is not an interval`}},
	{desc: "maint add interval over a year", in: "maint add X every:13m", err: []string{"more than a year", "12m"}},
	{desc: "maint add huge weeks", in: "maint add X every:9223372036854775807w", err: []string{"9223372036854775807w"}},
	{desc: "maint add weeks that overflow to small", in: "maint add X every:2635249153387078803w", err: []string{"2635249153387078803w", "more than a year"}},
	{desc: "maint add months that overflow", in: "maint add X every:307445734561825861m", err: []string{"307445734561825861m", "more than a year"}},
	{desc: "maint add days overflow", in: "maint add X every:99999999999999999999d", err: []string{"99999999999999999999d"}},
	{desc: "maint add without title", in: "maint add every:2w", err: []string{"the title is empty"}},
	{desc: "maint add bad first", in: "maint add X every:2w first:someday", err: []string{"first:", `"someday"`}},
	{desc: "maint add two people", in: "maint add X every:2w <@U012AB3CD> <@W0BOB1234>", err: []string{"only one assignee"}},
	{desc: "maint add due", in: "maint add X every:2w due:fri", err: []string{"`maint add` does not take `due:`"}},
	{desc: "maint add misspelt every", in: "maint add X evry:2w", err: []string{"Did you mean `every:`?"}},

	// maint queue, workload
	{desc: "maint queue as the issue writes it", in: "maint 2 queue 1240 rate 22/h", want: Command{Name: "maint queue", ID: 2, Queue: 1240, Rate: 22}},
	{desc: "maint queue verb first", in: "maint queue #2 1,240 rate 7.5", want: Command{Name: "maint queue", ID: 2, Queue: 1240, Rate: 7.5}},
	{desc: "maint queue no rate", in: "maint 2 queue 1240", err: []string{"Usage: `/upgrade maint queue"}},
	{desc: "maint queue bad rate", in: "maint 2 queue 10 rate 0/h", err: []string{"22/h"}},
	{desc: "workload", in: "workload share", want: Command{Name: "workload", Share: true}},
	{desc: "workload extra", in: "workload me", err: []string{`I didn't expect "me"`}},
	{desc: "add with estimate", in: "add Build it est:2d", want: Command{Name: "add", Title: "Build it", Estimate: 16 * time.Hour}},
	// maint list
	{desc: "maint list", in: "maint list", want: Command{Name: "maint list"}},
	{desc: "maint alone", in: "maint", want: Command{Name: "maint list"}},
	{desc: "maintenance", in: "maintenance", want: Command{Name: "maint list"}},
	{desc: "maintenance list shared", in: "maintenance list share", want: Command{Name: "maint list", Share: true}},
	{desc: "maint list extra", in: "maint list extra", err: []string{`I didn't expect "extra"`, "Usage: `/upgrade maint list`"}},

	// decide
	{desc: "decide", in: "decide Should we move go-live to Jan 5? cc <@U012AB3CD|alice> due:fri",
		want: Command{Name: "decide", Title: "Should we move go-live to Jan 5? cc @alice", Due: nextFri, People: people(alice)}},
	{desc: "decide curly", in: "decide “Take the hotfix before the freeze?”",
		want: Command{Name: "decide", Title: "Take the hotfix before the freeze?"}},
	{desc: "decide mention without name", in: "decide ask <@U012AB3CD> or <@W0BOB1234|bob>?",
		want: Command{Name: "decide", Title: "ask @U012AB3CD or @bob ?", People: people(aliceBare, bob)}},
	{desc: "decide here", in: "decide Downtime window ok <!here>?",
		want: Command{Name: "decide", Title: "Downtime window ok @here ?"}},
	{desc: "decide entities", in: "decide Go with A &amp; B?", want: Command{Name: "decide", Title: "Go with A & B?"}},
	{desc: "decide empty", in: "decide", err: []string{"the question is empty", "Usage: `/upgrade decide <question>"}},
	{desc: "decide only due", in: "decide due:fri", err: []string{"the question is empty"}},
	{desc: "decide bad due", in: "decide Go? due:someday", err: []string{"due:", `"someday"`}},
	{desc: "decide every", in: "decide Go? every:2w", err: []string{"`decide` does not take `every:`"}},
	{desc: "decide bare @name", in: "decide Ask @alice?", err: []string{`"@alice?"`}},

	// decisions
	{desc: "decisions", in: "decisions", want: Command{Name: "decisions", Scope: "pending"}},
	{desc: "decisions pending", in: "decisions pending", want: Command{Name: "decisions", Scope: "pending"}},
	{desc: "decisions all", in: "decisions ALL", want: Command{Name: "decisions", Scope: "all"}},
	{desc: "decisions shared", in: "decisions all share", want: Command{Name: "decisions", Scope: "all", Share: true}},
	{desc: "decisions bad scope", in: "decisions approved", err: []string{`"approved"`, "Usage: `/upgrade decisions [pending|all]`"}},

	// approve and reject
	{desc: "approve", in: "approve 7", want: Command{Name: "approve", ID: 7}},
	{desc: "approve with comment", in: "approve #7 go ahead, after the freeze", want: Command{Name: "approve", ID: 7, Text: "go ahead, after the freeze"}},
	{desc: "approve no id", in: "approve", err: []string{"which one?", "Usage: `/upgrade approve <id> [comment]`"}},
	{desc: "approve bad id", in: "approve seven", err: []string{`"seven" is not a number`}},
	{desc: "reject", in: "reject 7 not during the code freeze", want: Command{Name: "reject", ID: 7, Text: "not during the code freeze"}},
	{desc: "reject quoted", in: "reject #7 “too risky”", want: Command{Name: "reject", ID: 7, Text: "too risky"}},
	{desc: "reject without reason", in: "reject 7", err: []string{"a reason is required: the requester sees it.", "Usage: `/upgrade reject <id> <reason>`"}},
	{desc: "reject without id", in: "reject too risky", err: []string{`"too" is not a number`}},

	// digest
	{desc: "digest", in: "digest", want: Command{Name: "digest"}},
	{desc: "digest now", in: "digest now", want: Command{Name: "digest", Scope: "now"}},
	{desc: "digest now upper case", in: "Digest NOW", want: Command{Name: "digest", Scope: "now"}},
	{desc: "digest is not shared", in: "digest share", err: []string{`I didn't expect "share"`, "Usage: `/upgrade digest [now]`"}},
	{desc: "digest other word", in: "digest tomorrow", err: []string{`I didn't expect "tomorrow"`, "Usage: `/upgrade digest [now]`"}},
	{desc: "digest now and more", in: "digest now please", err: []string{`I didn't expect "please"`}},
	{desc: "digest for someone", in: "digest <@U012AB3CD|alice>", err: []string{"does not take a person"}},
	{desc: "digest misspelt", in: "digets", err: []string{"Did you mean `digest`?"}},

	// owner
	{desc: "owner", in: "owner", want: Command{Name: "owner"}},
	{desc: "owner set", in: "owner <@U012AB3CD|alice>", want: Command{Name: "owner", User: alice.ID, People: people(alice)}},
	{desc: "owner two", in: "owner <@U012AB3CD> <@W0BOB1234>", err: []string{"only one owner", "Usage: `/upgrade owner [@user]`"}},
	{desc: "owner plain name", in: "owner alice", err: []string{`I didn't expect "alice"`}},
	{desc: "owner bare @name", in: "owner @alice", err: []string{`"@alice"`}},

	// freeze
	{desc: "freeze", in: "freeze 2026-12-14..2026-12-20 go-live",
		want: Command{Name: "freeze", From: iso("2026-12-14"), To: iso("2026-12-20"), Text: "go-live"}},
	{desc: "freeze with weekdays and a long reason", in: "FREEZE mon..fri clinical blackout: flu season",
		want: Command{Name: "freeze", From: nextMon, To: iso("2026-12-04"), Text: "clinical blackout: flu season"}},
	{desc: "freeze quoted reason", in: `freeze 2026-12-14..2026-12-20 "Epic go-live"`,
		want: Command{Name: "freeze", From: iso("2026-12-14"), To: iso("2026-12-20"), Text: "Epic go-live"}},
	{desc: "freeze needs dates", in: "freeze", err: []string{"<from>..<to>", "Usage: `/upgrade freeze"}},
	{desc: "freeze needs a range", in: "freeze go-live", err: []string{"not a date range"}},
	{desc: "freeze needs a reason", in: "freeze 2026-12-14..2026-12-20", err: []string{"why?"}},
	{desc: "freeze backwards", in: "freeze 2026-12-20..2026-12-14 go-live", err: []string{"ends before it starts"}},
	{desc: "freeze bad day", in: "freeze 2026-13-01..2026-12-14 go-live", err: []string{"2026-13-01"}},
	{desc: "freeze takes no due:", in: "freeze 2026-12-14..2026-12-20 go-live due:fri", err: []string{"`freeze` does not take `due:`"}},
	{desc: "freeze remove", in: "freeze remove #3", want: Command{Name: "freeze remove", ID: 3}},
	{desc: "freeze remove needs an id", in: "freeze remove", err: []string{"which one?"}},
	{desc: "freeze remove one id", in: "freeze remove 3 4", err: []string{`"4"`}},
	{desc: "freezes", in: "freezes", want: Command{Name: "freezes"}},
	{desc: "freezes share", in: "freezes share", want: Command{Name: "freezes", Share: true}},
	{desc: "freezes takes nothing", in: "freezes all", err: []string{`"all"`}},

	// away
	{desc: "away", in: "away", want: Command{Name: "away", Scope: "list"}},
	{desc: "away for someone", in: "away <@U012AB3CD|alice>", want: Command{Name: "away", Scope: "list", User: alice.ID, People: people(alice)}},
	{desc: "away clear", in: "away clear", want: Command{Name: "away", Scope: "clear"}},
	{desc: "away off", in: "away OFF", want: Command{Name: "away", Scope: "clear"}},
	{desc: "away cancel", in: "away cancel", want: Command{Name: "away", Scope: "clear"}},
	{desc: "away clear someone", in: "away clear <@U012AB3CD|alice>", want: Command{Name: "away", Scope: "clear", User: alice.ID, People: people(alice)}},
	{desc: "away dates", in: "away 2026-12-22..2027-01-02",
		want: Command{Name: "away", Scope: "set", From: iso("2026-12-22"), To: iso("2027-01-02")}},
	{desc: "away with delegate", in: "away 2026-12-22..2027-01-02 delegate:<@U0DANA123|dana>",
		want: Command{Name: "away", Scope: "set", From: iso("2026-12-22"), To: iso("2027-01-02"), Delegate: dana.ID, People: people(dana)}},
	{desc: "away next week for someone with delegate", in: "away mon..fri delegate:<@U0DANA123|dana> <@U012AB3CD|alice>",
		want: Command{Name: "away", Scope: "set", From: nextMon, To: iso("2026-12-04"), Delegate: dana.ID, User: alice.ID, People: people(dana, alice)}},
	{desc: "away any order, delegate value after a space", in: "away <@U012AB3CD|alice> delegate: <@U0DANA123|dana> tomorrow..+1w",
		want: Command{Name: "away", Scope: "set", From: tomorrow, To: iso("2026-12-03"), Delegate: dana.ID, User: alice.ID, People: people(alice, dana)}},
	{desc: "away delegate without dates", in: "away delegate:<@U0DANA123|dana>", err: []string{"when?", "<from>..<to>", "Usage: `/upgrade away"}},
	{desc: "away delegate by name", in: "away 2026-12-22..2027-01-02 delegate:dana", err: []string{"delegate:@name"}},
	{desc: "away delegate empty", in: "away 2026-12-22..2027-01-02 delegate:", err: []string{"delegate:@name"}},
	{desc: "away delegate channel", in: "away 2026-12-22..2027-01-02 delegate:<#C0123ABC>", err: []string{"delegate:@name"}},
	{desc: "away delegate bad escape", in: "away 2026-12-22..2027-01-02 delegate:<@dana>", err: []string{`"<@dana>"`}},
	{desc: "away delegate twice", in: "away 2026-12-22..2027-01-02 delegate:<@U0DANA123> delegate:<@W0BOB1234>", err: []string{"`delegate:` is given twice"}},
	{desc: "away misspelt delegate", in: "away 2026-12-22..2027-01-02 delegat:<@U0DANA123>", err: []string{"Did you mean `delegate:`?"}},
	{desc: "away backwards", in: "away 2027-01-02..2026-12-22", err: []string{"ends before it starts"}},
	{desc: "away one date", in: "away fri", err: []string{`"fri" is not a date range`, "<from>..<to>"}},
	{desc: "away bad date", in: "away 2026-12-22..someday", err: []string{`"someday"`, "2026-12-05"}},
	{desc: "away extra", in: "away 2026-12-22..2027-01-02 extra", err: []string{`I didn't expect "extra"`}},
	{desc: "away two people", in: "away 2026-12-22..2027-01-02 <@U012AB3CD> <@W0BOB1234>", err: []string{"only one person"}},
	{desc: "away clear extra", in: "away clear now", err: []string{`I didn't expect "now"`}},

	// admin
	{desc: "admin", in: "admin", want: Command{Name: "admin", Scope: "list"}},
	{desc: "admin list", in: "admin list", want: Command{Name: "admin", Scope: "list"}},
	{desc: "admin add", in: "admin add <@U012AB3CD|alice>", want: Command{Name: "admin", Scope: "add", User: alice.ID, People: people(alice)}},
	{desc: "admin remove", in: "admin remove <@U012AB3CD|alice>", want: Command{Name: "admin", Scope: "remove", User: alice.ID, People: people(alice)}},
	{desc: "admin rm", in: "admin rm <@W0BOB1234|bob>", want: Command{Name: "admin", Scope: "remove", User: bob.ID, People: people(bob)}},
	{desc: "admin delete", in: "admin DELETE <@W0BOB1234|bob>", want: Command{Name: "admin", Scope: "remove", User: bob.ID, People: people(bob)}},
	{desc: "admin add without user", in: "admin add", err: []string{"who?", "Usage: `/upgrade admin add|remove @user"}},
	{desc: "admin add plain name", in: "admin add alice", err: []string{"who?"}},
	{desc: "admin add two", in: "admin add <@U012AB3CD> <@W0BOB1234>", err: []string{"only one person"}},
	{desc: "admin bad verb", in: "admin promote <@U012AB3CD>", err: []string{`I didn't expect "promote"`}},

	// audit
	{desc: "audit", in: "audit", want: Command{Name: "audit"}},
	{desc: "audit id", in: "audit 42", want: Command{Name: "audit", ID: 42, Entity: "task"}},
	{desc: "audit hash shared", in: "audit #42 share", want: Command{Name: "audit", ID: 42, Entity: "task", Share: true}},
	{desc: "audit shared", in: "audit share", want: Command{Name: "audit", Share: true}},
	{desc: "audit bad id", in: "audit x", err: []string{`I can't tell what "x" is`, "Usage: `/upgrade audit [#<task>|D<decision>"}},
	{desc: "audit a decision", in: "audit D12", want: Command{Name: "audit", ID: 12, Entity: "decision"}},
	{desc: "audit a decision spelt out", in: "audit decision 12", want: Command{Name: "audit", ID: 12, Entity: "decision"}},
	{desc: "audit a release", in: "audit release MedCore-2027q1", want: Command{Name: "audit", Key: "MedCore-2027q1", Entity: "release"}},
	{desc: "audit a vendor", in: `audit vendor "Med Core"`, want: Command{Name: "audit", Key: "Med Core", Entity: "vendor"}},
	{desc: "audit a clean-up", in: "audit maint 4", want: Command{Name: "audit", ID: 4, Entity: "maintenance"}},
	{desc: "audit a freeze", in: "audit freeze #2", want: Command{Name: "audit", ID: 2, Entity: "freeze"}},
	{desc: "audit a release without key", in: "audit release", err: []string{"which release? Give its key."}},
	{desc: "audit two ids", in: "audit 42 43", err: []string{`I didn't expect "43"`}},

	// mute, unmute
	{desc: "mute", in: "mute", want: Command{Name: "mute"}},
	{desc: "mute until", in: "mute until fri", want: Command{Name: "mute", To: nextFri}},
	{desc: "mute bare date", in: "mute 2026-12-24", want: Command{Name: "mute", To: iso("2026-12-24")}},
	{desc: "mute someone until", in: "mute <@U012AB3CD|alice> until +1w", want: Command{Name: "mute", User: alice.ID, To: iso("2026-12-03"), People: people(alice)}},
	{desc: "mute until then someone", in: "MUTE until 2026-12-24 <@U012AB3CD|alice>", want: Command{Name: "mute", User: alice.ID, To: iso("2026-12-24"), People: people(alice)}},
	{desc: "mute until nothing", in: "mute until", err: []string{"until when?", "Usage: `/upgrade mute"}},
	{desc: "mute bad date", in: "mute until someday", err: []string{`"someday"`, "2026-12-05"}},
	{desc: "mute extra", in: "mute until fri please", err: []string{`I didn't expect "please"`}},
	{desc: "mute two people", in: "mute <@U012AB3CD> <@W0BOB1234>", err: []string{"only one person"}},
	{desc: "unmute", in: "unmute", want: Command{Name: "unmute"}},
	{desc: "unmute someone", in: "unmute <@W0BOB1234|bob>", want: Command{Name: "unmute", User: bob.ID, People: people(bob)}},
	{desc: "unmute takes no date", in: "unmute fri", err: []string{`I didn't expect "fri"`, "Usage: `/upgrade unmute"}},

	// config
	{desc: "config", in: "config", want: Command{Name: "config", Scope: "show"}},
	{desc: "config channel escape", in: "config channel <#C0123ABC|ehr-upgrade>",
		want: Command{Name: "config", Scope: "set", Key: "channel", Values: map[string]string{"channel": "C0123ABC"}}},
	{desc: "config channel escape without name", in: "config channel <#C0123ABC|>",
		want: Command{Name: "config", Scope: "set", Key: "channel", Values: map[string]string{"channel": "C0123ABC"}}},
	{desc: "config channel id", in: "config channel C0123ABC",
		want: Command{Name: "config", Scope: "set", Key: "channel", Values: map[string]string{"channel": "C0123ABC"}}},
	{desc: "config channel name", in: "config channel ehr-upgrade", err: []string{`"ehr-upgrade" is not a Slack channel`, "Usage: `/upgrade config channel"}},
	{desc: "config channel person", in: "config channel <@U012AB3CD>", err: []string{"not a channel"}},
	{desc: "config channel missing", in: "config channel", err: []string{"Give one channel"}},
	{desc: "config tz", in: "config tz Europe/London",
		want: Command{Name: "config", Scope: "set", Key: "tz", Values: map[string]string{"tz": "Europe/London"}}},
	{desc: "config timezone alias", in: "config timezone America/New_York",
		want: Command{Name: "config", Scope: "set", Key: "tz", Values: map[string]string{"tz": "America/New_York"}}},
	{desc: "config bad tz", in: "config tz Mars/Base", err: []string{`"Mars/Base" is not an IANA time zone`, "Usage: `/upgrade config tz"}},
	{desc: "config tz Local", in: "config tz Local", err: []string{"IANA time zone"}},
	{desc: "config hours", in: "config hours 7:30-16:00",
		want: Command{Name: "config", Scope: "set", Key: "hours", Values: map[string]string{"hours": "07:30-16:00"}}},
	{desc: "config hours spaced", in: "config hours 08:00 - 24:00",
		want: Command{Name: "config", Scope: "set", Key: "hours", Values: map[string]string{"hours": "08:00-24:00"}}},
	{desc: "config hours backwards", in: "config hours 17:00-08:00", err: []string{"end (08:00) before they start (17:00)"}},
	{desc: "config hours no range", in: "config hours 9am", err: []string{"08:00-17:00", `"9am"`}},
	{desc: "config hours bad time", in: "config hours 08:00-25:00", err: []string{`"25:00" is not a time of day`}},
	{desc: "config hours missing", in: "config hours", err: []string{"Give the hours"}},
	{desc: "config leads", in: "config leads 7,30,14,1,7",
		want: Command{Name: "config", Scope: "set", Key: "leads", Values: map[string]string{"leads": "30,14,7,1"}}},
	{desc: "config leads spaced", in: "config leads 60 30",
		want: Command{Name: "config", Scope: "set", Key: "leads", Values: map[string]string{"leads": "60,30"}}},
	{desc: "config leads too far", in: "config leads 30,400", err: []string{"400 days is not between 0 and 366"}},
	{desc: "config leads word", in: "config leads soon", err: []string{`"soon" is not a number of days`}},
	{desc: "config nudges", in: "config nudges every:3 after:5",
		want: Command{Name: "config", Scope: "set", Key: "nudges", Values: map[string]string{"nudge.every": "3", "nudge.after": "5"}}},
	{desc: "config nudges one", in: "config nudges after:4",
		want: Command{Name: "config", Scope: "set", Key: "nudges", Values: map[string]string{"nudge.after": "4"}}},
	{desc: "config nudges zero", in: "config nudges every:0", err: []string{"whole number of working days from 1 to 20", `"0"`}},
	{desc: "config nudges word", in: "config nudges every:often", err: []string{`"often"`}},
	{desc: "config nudges nothing", in: "config nudges", err: []string{"at least one value"}},
	{desc: "config nudges unknown key", in: "config nudges remind:2", err: []string{`I didn't expect "remind:2"`}},
	{desc: "config nudges twice", in: "config nudges after:2 after:3", err: []string{"`after:` is given twice"}},
	{desc: "config every: elsewhere", in: "config hours 08:00-17:00 every:2", err: []string{"`every:` belongs to `config nudges`"}},
	{desc: "config escalation", in: "config escalation remind:1 escalate:3",
		want: Command{Name: "config", Scope: "set", Key: "escalation", Values: map[string]string{"escalation.remind": "1", "escalation.escalate": "3"}}},
	{desc: "config escalation too long", in: "config escalation escalate:99", err: []string{"from 1 to 30"}},
	{desc: "config workload", in: "config workload hours:40 tasks:15",
		want: Command{Name: "config", Scope: "set", Key: "workload", Values: map[string]string{"workload.hours": "40", "workload.tasks": "15"}}},
	{desc: "config workload hours with h", in: "config workload HOURS:32h",
		want: Command{Name: "config", Scope: "set", Key: "workload", Values: map[string]string{"workload.hours": "32"}}},
	{desc: "config workload tasks only", in: "config workload tasks:8",
		want: Command{Name: "config", Scope: "set", Key: "workload", Values: map[string]string{"workload.tasks": "8"}}},
	{desc: "config workload zero", in: "config workload hours:0", err: []string{"Workload hours must be a whole number of hours from 1 to 1000", "Usage: `/upgrade config workload"}},
	{desc: "config workload too many", in: "config workload tasks:5000", err: []string{"from 1 to 1000", `"5000"`}},
	{desc: "config workload word", in: "config workload hours:lots", err: []string{`"lots"`}},
	{desc: "config workload nothing", in: "config workload", err: []string{"at least one value"}},
	{desc: "config workload bare number", in: "config workload 40", err: []string{`I didn't expect "40"`}},
	{desc: "config workload unknown key", in: "config workload every:2", err: []string{"`every:` belongs to `config nudges`"}},
	{desc: "config workload twice", in: "config workload tasks:3 tasks:4", err: []string{"`tasks:` is given twice"}},
	{desc: "config allclear", in: "config allclear ON",
		want: Command{Name: "config", Scope: "set", Key: "allclear", Values: map[string]string{"digest.allclear": "on"}}},
	{desc: "config all-clear off", in: "config all-clear off",
		want: Command{Name: "config", Scope: "set", Key: "allclear", Values: map[string]string{"digest.allclear": "off"}}},
	{desc: "config allclear maybe", in: "config allclear maybe", err: []string{`on or off, not "maybe"`}},
	{desc: "config schedule quoted", in: `config schedule digest "0 7 * * 1-5"`,
		want: Command{Name: "config", Scope: "set", Key: "schedule digest", Values: map[string]string{"schedule.digest": "0 7 * * 1-5"}}},
	{desc: "config schedule curly quotes", in: "config schedule nudges “0 10-15 * * 1-5”",
		want: Command{Name: "config", Scope: "set", Key: "schedule nudges", Values: map[string]string{"schedule.nudges": "0 10-15 * * 1-5"}}},
	{desc: "config schedule unquoted", in: "config schedule release-reminders 30 8 * * 1-5",
		want: Command{Name: "config", Scope: "set", Key: "schedule release-reminders", Values: map[string]string{"schedule.release-reminders": "30 8 * * 1-5"}}},
	{desc: "config schedule bad hour", in: `config schedule digest "0 25 * * *"`, err: []string{`"0 25 * * *" is not a cron spec`, "above maximum"}},
	{desc: "config schedule too few fields", in: `config schedule digest "0 8"`, err: []string{"not a cron spec", "expected exactly 5 fields"}},
	{desc: "config schedule seconds", in: `config schedule digest "0 0 8 * * 1-5"`, err: []string{"not a cron spec"}},
	{desc: "config schedule every", in: `config schedule digest "@every 1h"`, err: []string{"@every is an interval"}},
	{desc: "config schedule 30 February", in: `config schedule digest "0 0 30 2 *"`, err: []string{`"0 0 30 2 *"`, "it never matches a date"}},
	{desc: "config schedule zone prefix", in: `config schedule digest "TZ=Europe/London 0 8 * * *"`, err: []string{"drop the TZ= prefix"}},
	{desc: "config schedule unknown job", in: `config schedule lunch "0 12 * * *"`, err: []string{`"lunch" is not a job`, "release-reminders"}},
	{desc: "config schedule no spec", in: "config schedule digest", err: []string{"Give the job and its cron spec"}},
	{desc: "config holidays", in: "config holidays", want: Command{Name: "config", Scope: "holidays"}},
	{desc: "config holidays add", in: "config holidays add 2026-12-24 2026-12-25,2026-12-31 2026-12-24",
		want: Command{Name: "config", Scope: "holidays add", Dates: []upgradebot.Date{iso("2026-12-24"), iso("2026-12-25"), iso("2026-12-31")}}},
	{desc: "config holidays remove", in: "config holidays remove fri",
		want: Command{Name: "config", Scope: "holidays remove", Dates: []upgradebot.Date{nextFri}}},
	{desc: "config holidays bad date", in: "config holidays add 2026-12-24 2026-02-30", err: []string{`"2026-02-30"`, "Usage: `/upgrade config holidays"}},
	{desc: "config holidays no dates", in: "config holidays add", err: []string{"Which days?"}},
	{desc: "config holidays bad verb", in: "config holidays set 2026-12-24", err: []string{`I didn't expect "set"`}},
	{desc: "config unknown setting", in: "config colour blue", err: []string{"`colour` is not a setting", "Settings: channel, tz"}},
	{desc: "config misspelt setting", in: "config hurs 08:00-17:00", err: []string{"Did you mean `hours`?"}},
	{desc: "config takes no due:", in: "config tz UTC due:fri", err: []string{"`config` does not take `due:`"}},

	// unknown commands
	{desc: "lsit", in: "lsit", err: []string{"`lsit`", "Did you mean `list`?", "`/upgrade help`"}},
	{desc: "aprove", in: "aprove 7", err: []string{"`aprove`", "Did you mean `approve`?"}},
	{desc: "asign", in: "asign 42 <@U012AB3CD>", err: []string{"Did you mean `assign`?"}},
	{desc: "relase add", in: "relase add MedCore 2027.1 ga:fri", err: []string{"Did you mean `release`?"}},
	{desc: "decisons", in: "decisons", err: []string{"Did you mean `decisions`?"}},
	{desc: "upper case typo", in: "LSIT", err: []string{"`LSIT`", "Did you mean `list`?"}},
	{desc: "nothing near", in: "frobnicate", err: []string{"I don't know the command `frobnicate`", "`/upgrade help`"}, not: []string{"Did you mean"}},
	{desc: "mention first", in: "<@U012AB3CD> add Foo", err: []string{"I don't know the command"}},
	{desc: "long unknown word is clipped", in: strings.Repeat("z", 1000), err: []string{strings.Repeat("z", 30) + "…"}},
	{desc: "unclosed quote before command", in: `"add`, err: []string{"quote is not closed"}},
	{desc: "lone <", in: "<", err: []string{"`<` is not closed"}},
}

func TestParse(t *testing.T) {
	for _, tc := range parseTests {
		t.Run(tc.desc, func(t *testing.T) {
			got, err := Parse(tc.in, testThursday)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("Parse(%q) = %+v, want an error", tc.in, got)
				}
				wantInvalid(t, err, tc.err...)
				for _, n := range tc.not {
					if strings.Contains(upgradebot.ErrorMessage(err), n) {
						t.Errorf("message %q contains %q", upgradebot.ErrorMessage(err), n)
					}
				}
				if !reflect.DeepEqual(got, Command{}) {
					t.Errorf("Command on error = %+v, want zero", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tc.in, showCommand(got), showCommand(tc.want))
			}
		})
	}
}

// showCommand prints the fields of c that are set, for failure messages.
func showCommand(c Command) string {
	var b strings.Builder
	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		if f := v.Field(i); !f.IsZero() {
			fmt.Fprintf(&b, "%s=%+v ", v.Type().Field(i).Name, f.Interface())
		}
	}
	return strings.TrimSpace(b.String())
}

// Every command in the specs table is exercised above, and every refusal's
// usage line names a real command.
func TestParseCoversSpecs(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range parseTests {
		if tc.err == nil {
			seen[tc.want.Name] = true
		}
	}
	for _, s := range specs {
		if !seen[s.name] {
			t.Errorf("no successful parse of %q in parseTests", s.name)
		}
		if !strings.HasPrefix(s.usage, s.name) {
			t.Errorf("usage %q does not start with %q", s.usage, s.name)
		}
	}
}

// Share is only ever set on read-only commands.
func TestParseShareOnlyReadOnly(t *testing.T) {
	for _, s := range specs {
		if s.share {
			continue
		}
		line := s.name + " 1 share"
		c, err := Parse(line, testThursday)
		if err == nil && c.Share {
			t.Errorf("Parse(%q).Share = true for a command that changes things", line)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []token
	}{
		{"", nil},
		{"a  b\tc\nd", []token{{text: "a"}, {text: "b"}, {text: "c"}, {text: "d"}}},
		{`"a b" c`, []token{{text: "a b", quoted: true}, {text: "c"}}},
		{"“a b”", []token{{text: "a b", quoted: true}}},
		{"”a b“", []token{{text: "a b", quoted: true}}},
		{`"a b”`, []token{{text: "a b", quoted: true}}},
		{`x"a b"y`, []token{{text: "xa by", quoted: true}}},
		{`""`, []token{{text: "", quoted: true}}},
		{"<@U1|a b>c", []token{{text: "@U1|a b", escape: true}, {text: "c"}}},
		{"due:<@U1>", []token{{text: "due:"}, {text: "@U1", escape: true}}},
		{"&lt;b&gt; &amp;amp;", []token{{text: "<b>"}, {text: "&amp;"}}},
		{"\u00a0a\u2003b\u3000", []token{{text: "a"}, {text: "b"}}},
		{"\xffa", []token{{text: "\uFFFDa"}}},
	}
	for _, tc := range tests {
		got, err := tokenize(tc.in)
		if err != nil {
			t.Errorf("tokenize(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("tokenize(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for _, in := range []string{`"`, "“", `a "b`, "<", "a <@U1", "«a"} {
		_, err := tokenize(in)
		wantInvalid(t, err, "not closed")
	}
}

func TestNearest(t *testing.T) {
	words := commandWords()
	for w, want := range map[string]string{
		"lsit": "list", "aprove": "approve", "rejct": "reject", "audt": "audit", "ad": "add",
		"xyzzy": "", "": "", strings.Repeat("a", 100): "",
	} {
		if got := nearest(w, words); got != want {
			t.Errorf("nearest(%q) = %q, want %q", w, got, want)
		}
	}
}

// Parse is quick even on lines far longer than Slack allows.
func TestParseLongLines(t *testing.T) {
	for _, in := range longLines() {
		_, err := Parse(in, testThursday)
		var e *upgradebot.Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("Parse(%.40q…): %v", in, err)
		}
	}
}

// longLines are lines of 100,000 characters or 10,000 words.
func longLines() []string {
	words := strings.Repeat("word ", 10000)
	return []string{
		strings.Repeat("a", 100000),
		"add " + strings.Repeat("a", 100000),
		"add " + words,
		"decide " + words,
		"note 1 " + words,
		"find " + words,
		"help " + words,
		"list " + words,
		"add " + strings.Repeat("due:fri ", 10000),
		"add x " + strings.Repeat("dua:x ", 10000),
		"add x " + strings.Repeat("<@U012AB3CD> ", 10000),
		"add x " + strings.Repeat("<#C1|c> ", 10000),
		"add x " + strings.Repeat("&amp;", 20000),
		"add " + strings.Repeat(`"a" `, 10000),
		"add " + strings.Repeat("“a” ", 10000),
		"add x " + strings.Repeat("<", 10000),
		"add x " + strings.Repeat(`"`, 10001),
		"away " + strings.Repeat("fri..", 10000) + "fri",
		"due 1 +" + strings.Repeat("9", 100000) + "d",
		"show " + strings.Repeat("9", 100000),
	}
}
