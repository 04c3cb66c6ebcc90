package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// mo is the partner of these tests, of an outsourced managed-services team.
const mo = "U0MO"

// partnerSetup is a desk with an owner, a partner and work: #1 the
// partner's task, #2 Alice's, #3 the partner's clean-up occurrence (of
// clean-up 1), release medcore-2027q1 and decision D1.
var partnerSetup = []step{
	{desc: "an owner", as: admin, text: "owner <@U0OWNER|olga>"},
	{desc: "only admins make partners", as: alice, text: "admin partner add <@U0MO|mo>", fail: true,
		want: []string{"Only admins can make someone a partner. Admins: <@U0ADMIN>."}},
	{desc: "a partner", as: admin, text: "admin partner add <@U0MO|mo>",
		want: []string{"<@U0MO> is now a partner: they see the desk and work what is assigned to them"}},
	{desc: "the partner's task", as: admin, text: `add "Build the lab order sets" <@U0MO|mo> due:2026-12-04 est:6h`, want: []string{"Added #1"}},
	{desc: "Alice's task", as: admin, text: `add "Test the ADT interface" <@U0ALICE|alice> due:2026-12-04`, want: []string{"Added #2"}},
	{desc: "the partner's clean-up", as: admin, text: `maint add "Duplicate record clean-up" every:2w <@U0MO|mo>`, want: []string{"#3"}},
	{desc: "Alice's clean-up", as: admin, text: `maint add "Master file clean-up" every:1m <@U0ALICE|alice>`, want: []string{"#4"}},
	{desc: "a release", as: admin, text: "release add MedCore 2027q1 ga:2027-02-15", want: []string{"medcore-2027q1"}},
	{desc: "a decision", as: alice, text: `decide "Go live on a Sunday?"`, want: []string{"Decision #1 sent to <@U0OWNER>"}},
}

// partnerMay is the part of every partner refusal that says what a
// partner may do.
const partnerMay = "A partner sees the whole desk, adds tasks (they wait unassigned for the team to take) and, on the tasks assigned to them, " +
	"adds notes, marks them done, moves their due date (the team is told), corrects their estimate and logs time spent (`spent`)."

const (
	teamDoes   = "Anyone in the in-house team can do it; admins: <@U0ADMIN>."
	adminsOnly = "Only admins can: <@U0ADMIN>."
)

// partnerRefusals are every command a partner may not run, through the
// bot, as a partner types them, with the refusal's exact words (each also
// says partnerMay).
var partnerRefusals = []struct {
	command string // the spec it is about
	text    string
	want    string
}{
	{"assign", "assign 2 <@U0MO|mo>", "Partners cannot assign or unassign tasks (the team decides who does what). " + partnerMay + " " + teamDoes},
	{"unassign", "unassign 1", "Partners cannot assign or unassign tasks (the team decides who does what)."},
	{"cancel", "cancel 2 not needed", "Partners cannot cancel tasks (whether work is dropped is the team's call). " + partnerMay + " " + teamDoes},
	{"cancel", "cancel 1", "Partners cannot cancel tasks"},
	{"done", "done 2", "Partners can mark done only the tasks assigned to them, and #2 is <@U0ALICE>'s. " + partnerMay + " " + teamDoes},
	{"done", "done 1 2", "None of #1 and #2 was marked done."},
	{"note", "note 2 looked at it", "Partners can add notes to only the tasks assigned to them, and #2 is <@U0ALICE>'s."},
	{"due", "due 2 fri", "Partners can move the due date of only the tasks assigned to them, and #2 is <@U0ALICE>'s."},
	{"edit", "edit 2 due:fri", "Partners can edit only the tasks assigned to them, and #2 is <@U0ALICE>'s."},
	{"edit", `edit 1 title:"Build order sets"`, "Partners cannot change a task's title, priority, kind, release, ref or site (only its due date and estimate)."},
	{"reopen", "reopen 2", "Partners can reopen only the tasks assigned to them, and #2 is <@U0ALICE>'s."},
	{"spent", "spent 2 1h", "Partners can log time on only the tasks assigned to them, and #2 is <@U0ALICE>'s."},
	{"add", `add "Check the printers" <@U0ALICE|alice>`, "Partners cannot name who does the tasks they add: a partner's task waits unassigned for the team to take, so add it without the @name."},
	{"release add", "release add MedCore 2027q2 ga:2027-05-15", "Partners cannot record or change releases. " + partnerMay + " " + teamDoes},
	{"release edit", "release edit medcore-2027q1 ga:2027-02-20", "Partners cannot record or change releases."},
	{"release remove", "release remove medcore-2027q1", "Partners cannot record or change releases."},
	{"release phase", "release medcore-2027q1 phase review start", "Partners cannot record or change releases."},
	{"release phase", "release medcore-2027q1 phase review done", "Partners cannot record or change releases."},
	{"release item", `release medcore-2027q1 item adopt "New MAR"`, "Partners cannot record or change releases."},
	{"vendor", "vendor MedCore cadence:13w", "Partners cannot change vendors."},
	{"vendor rename", "vendor rename MedCore MedCoreHealth", "Partners cannot change vendors."},
	{"vendor remove", "vendor remove MedCore", "Partners cannot change vendors."},
	{"maint add", "maint add Provider clean-up every:1m", "Partners cannot set up recurring clean-ups."},
	{"maint edit", `maint edit 1 title:"Duplicates"`, "Partners cannot change recurring clean-ups."},
	{"maint pause", "maint pause 1", "Partners cannot change recurring clean-ups."},
	{"maint resume", "maint resume 1", "Partners cannot change recurring clean-ups."},
	{"maint remove", "maint remove 2", "Partners cannot change recurring clean-ups."},
	{"maint queue", "maint 2 queue 100 rate 20/h", "Partners cannot record the queue of a clean-up that is not assigned to them."},
	{"decide", `decide "Skip a release?"`, "Partners cannot ask for decisions (a team member raises it with the decision owner). " + partnerMay + " " + teamDoes},
	{"approve", "approve 1", "Partners cannot decide. " + partnerMay + " Only the decision owner <@U0OWNER> (or their delegate while they are away) decides."},
	{"reject", "reject 1 no", "Partners cannot decide."},
	{"owner", "owner <@U0ALICE|alice>", "Partners cannot set the decision owner. " + partnerMay + " " + adminsOnly},
	{"admin", "admin add <@U0ALICE|alice>", "Partners cannot add admins."},
	{"admin partner", "admin partner add <@U0BOB|bob>", "Partners cannot make someone a partner."},
	{"config", "config leads 30,7", "Partners cannot change settings. " + partnerMay + " " + adminsOnly},
	{"config", `config phi mrn default`, "Partners cannot change settings."},
	{"config", `config sites add north "North Campus"`, "Partners cannot change the sites."},
	{"config", "config holidays add 2026-12-25", "Partners cannot set the team's holidays."},
	{"checklist add", `checklist add build "Build it"`, "Partners cannot change the release checklist."},
	{"checklist remove", "checklist remove 1", "Partners cannot change the release checklist."},
	{"freeze", "freeze 2026-12-14..2026-12-20 go-live", "Partners cannot record a freeze."},
	{"freeze remove", "freeze remove 1", "Partners cannot remove a freeze."},
	{"failed", "failed retry all", "Partners cannot retry failed messages."},
	{"digest", "digest now", "Partners cannot post the digest. " + partnerMay + " " + adminsOnly + " `/upgrade digest` shows you what it would say."},
	{"mute", "mute <@U0ALICE|alice>", "Partners cannot mute someone else's reminders."},
	{"away", "away 2026-12-21..2026-12-24 <@U0ALICE|alice>", "Partners cannot set someone else's away window."},
	{"phi scan", "phi scan", "Partners cannot scan the desk for patient data."},
}

// TestPartnerRefusals: every command a partner may not run is refused with
// what a partner may do and who can do the rest, and changes nothing; the
// table covers every command help marks as not for partners.
func TestPartnerRefusals(t *testing.T) {
	steps := append([]step{}, partnerSetup...)
	covered := map[string]bool{}
	for _, r := range partnerRefusals {
		covered[r.command] = true
		steps = append(steps, step{desc: "a partner may not: " + r.text, as: mo, text: r.text, fail: true,
			want: []string{r.want, partnerMay}, sent: none})
	}
	run(t, steps)
	for name, right := range bot.PartnerRights() {
		if (right == "not" || right == "own") && !covered[name] {
			t.Errorf("help says partners may not run %q (or only on their own work), but no refusal of it is tested", name)
		}
	}
}

// TestPartnerRights: what a partner may do, each through the bot; their
// new task lands unassigned and the admins are told; their due change
// applies and the team is told.
func TestPartnerRights(t *testing.T) {
	run(t, append(append([]step{}, partnerSetup...), []step{
		{desc: "making a partner is audited", as: admin, text: "audit", want: []string{"<@U0ADMIN> `partner.add`: created <@U0MO>"}},
		{desc: "see the desk", as: mo, text: "list", want: []string{"#1 Build the lab order sets", "#2 Test the ADT interface"}},
		{desc: "see a task", as: mo, text: "show 2", want: []string{"#2 Test the ADT interface"}},
		{desc: "see the workload", as: mo, text: "workload", want: []string{"<@U0MO> (partner)"}},
		{desc: "see the releases", as: mo, text: "releases", want: []string{"medcore-2027q1"}},
		{desc: "see the decisions", as: mo, text: "decisions", want: []string{"Go live on a Sunday?"}},
		{desc: "see the audit trail", as: mo, text: "audit 1", want: []string{"task.add"}},
		{desc: "see the people", as: mo, text: "people", want: []string{"<@U0MO> (@mo) · partner"}},
		{desc: "see the partners", as: mo, text: "partners", want: []string{"Partners: <@U0MO>."}},
		{desc: "see the digest", as: mo, text: "digest", want: []string{"The digest as it would be posted"}},
		{desc: "see the settings", as: mo, text: "config", want: []string{"*Settings*", "`phi mrn`", "`sites` none"}},
		{desc: "see the sites", as: mo, text: "config sites", want: []string{"*Sites*: none."}},
		{desc: "see the partner report", as: mo, text: "partner report", want: []string{"*Partner report, November 2026*"}},
		{desc: "note their task", as: mo, text: "note 1 order sets drafted", want: []string{"Noted on #1."}, sent: none},
		{desc: "log time on their task", as: mo, text: "spent 1 1.5h first pass", want: []string{"Logged 1.5h on #1 Build the lab order sets. Time spent on it: 1.5h in all (estimated 6h)."}},
		{desc: "correct their estimate", as: mo, text: "edit 1 est:8h", want: []string{"Changed #1 Build the lab order sets: est: 6h → 8h."}, sent: none},
		{desc: "move their due date: the team is told", as: mo, text: "due 1 2026-12-11",
			want: []string{"#1 Build the lab order sets is now due Fri 11 Dec. The team has been told."},
			sent: []string{"post C0TEAM: <@U0MO> (partner) moved the due date of their task #1 Build the lab order sets: Fri 4 Dec 2026 → Fri 11 Dec 2026."}},
		{desc: "move it by edit: the team is told", as: mo, text: "edit 1 due:2026-12-14",
			want: []string{"The team has been told of the new due date."}, sent: []string{"post C0TEAM: <@U0MO> (partner) moved the due date"}},
		{desc: "record their clean-up's queue", as: mo, text: "maint 1 queue 240 rate 30/h", want: []string{"Recorded for Duplicate record clean-up"}},
		{desc: "add a task: it waits unassigned, the admins are told", as: mo, text: `add "Check the label printers at the lab" due:2026-12-09`,
			want: []string{"Added #5 Check the label printers at the lab · unassigned", "It waits unassigned for the team to take; the admins have been told."},
			sent: []string{"dm U0ADMIN: <@U0MO> (partner) added #5 Check the label printers at the lab · unassigned · due Wed 9 Dec. It waits unassigned for the team: take it with `/upgrade assign 5 @name`"}},
		{desc: "the team takes it", as: admin, text: "assign 5 <@U0ALICE|alice>", want: []string{"#5"}},
		{desc: "mark their task done", as: mo, text: "done 1 built and tested", want: []string{"Done"}},
		{desc: "undo it", as: mo, text: "undo", want: []string{"Took back your `done`"}},
		{desc: "finish their clean-up's occurrence", as: mo, text: "done 3", want: []string{"Next occurrence"}},
		{desc: "reopen their task", as: mo, text: "reopen 3", want: []string{"#3"}},
		{desc: "their own away window", as: mo, text: "away 2026-12-21..2026-12-24", want: []string{"Recorded: <@U0MO> away"}},
		{desc: "but never as a delegate", as: owner, text: "away 2026-12-21..2026-12-24 delegate:<@U0MO|mo>", fail: true,
			want: []string{"<@U0MO> is a partner, and a partner cannot decide, so cannot be the delegate"}},
		{desc: "mute their own reminders", as: mo, text: "mute", want: []string{"Muted your overdue reminders"}},
		{desc: "help marks who may", as: mo, text: "help tasks", want: []string{
			"• `cancel <id>... [reason]` — close tasks without doing them, all or none; the assignees are told (not partners)",
			"• `note <id> <text>` — add a note to a task (partners: only what is assigned to them)"}},
		{desc: "a member again", as: admin, text: "admin partner remove <@U0MO|mo>", want: []string{"<@U0MO> is no longer a partner: they are a member"}},
		{desc: "the role change is audited", as: admin, text: "audit", want: []string{"<@U0ADMIN> `partner.remove`: removed <@U0MO>"}},
		{desc: "a member cancels", as: mo, text: "cancel 2 done elsewhere", want: []string{"Cancelled"}},
		{desc: "people shows the member", as: admin, text: "people", want: []string{"<@U0MO> (@mo) · member"}},
	}...))
}

// TestPartnerWorkloadAndReport: in-house and partner hours side by side,
// and the month's partner report, on a pinned clock.
func TestPartnerWorkloadAndReport(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	do := func(as, text string) string {
		t.Helper()
		r := b.Handle(ctx, bot.Request{User: as, Text: text})
		if r.Failed {
			t.Fatalf("%q as %s: %s", text, as, r.Text)
		}
		return r.Text
	}
	do(admin, "admin partner add <@U0MO|mo>")
	do(admin, `add "Build order sets" <@U0MO|mo> est:6h due:2026-11-30`)
	do(admin, `add "Build lab panels" <@U0MO|mo> est:2h`)
	do(admin, `add "Test the panels" <@U0MO|mo> est:3h due:2026-12-01`)
	do(admin, `add "Plan the cut-over" <@U0ALICE|alice> est:10h`)
	do(admin, `add "Train super users" <@U0BOB|bob> est:20h`)
	got := do(alice, "workload")
	for _, w := range []string{
		"• <@U0MO> (partner) · 3 open tasks · 11h planned",
		"• <@U0BOB> · 1 open task · 20h planned",
		"In-house: 2 people, 2 open tasks, 30h of work · Partners: 1 person, 3 open tasks, 11h of work (26% of the hours).",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("workload lacks %q:\n%s", w, got)
		}
	}
	do(mo, "done 1 2")
	do(mo, "spent 1 5h")
	do(alice, "spent 4 3h")
	do(alice, "done 4")
	clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, mustZone("America/Chicago")))
	do(bob, "done 5")
	do(mo, "spent 3 1h")
	got = do(admin, "partner report last")
	for _, w := range []string{
		"*Partner report, November 2026*",
		"Partners: 2 of the team's 3 tasks done (66%) · 5h of 8h logged (62%) · still open with them: 1 task (1 overdue), 3h planned.",
		"*<@U0MO>* · closed 2 (8h estimated) · logged 5h · 1 task open, 1 overdue, 3h planned",
		"• done 26 Nov #2 Build lab panels",
		"• open #3 Test the panels · <@U0MO> · due yesterday (*1 day overdue*) · est 3h",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("partner report lacks %q:\n%s", w, got)
		}
	}
	if got := do(admin, "partner report"); !strings.Contains(got, "_December 2026 so far, to Wed 2 Dec 2026._") ||
		!strings.Contains(got, "Partners: 0 of the team's 1 task done (0%) · 1h of 1h logged (100%)") {
		t.Errorf("this month's report:\n%s", got)
	}
	if got := do(admin, "partner report nov"); !strings.Contains(got, "November 2026") {
		t.Errorf("partner report nov:\n%s", got)
	}
	_ = db
}

// TestPartnerDigestLine: the first digest of a month gives last month's
// partner line; later ones do not, and a team without partners never.
func TestPartnerDigestLine(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	chicago := mustZone("America/Chicago")
	for _, text := range []string{"admin partner add <@U0MO|mo>", `add "Build order sets" <@U0MO|mo> est:6h`, `add "Plan the cut-over" <@U0ALICE|alice>`} {
		if r := b.Handle(ctx, bot.Request{User: admin, Text: text}); r.Failed {
			t.Fatal(r.Text)
		}
	}
	if r := b.Handle(ctx, bot.Request{User: mo, Text: "done 1"}); r.Failed {
		t.Fatal(r.Text)
	}
	settings, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal := upgradebot.WorkingTime{Location: chicago}
	digest := func(at time.Time) string {
		t.Helper()
		m, _, err := upgradebot.Digest(ctx, db, at, settings.Config().Workload, upgradebot.DigestOptions{Channel: teamCh, AllClear: true, Calendar: cal})
		if err != nil {
			t.Fatal(err)
		}
		return m.FullText()
	}
	const line = "Partners in November 2026: 1 of the team's 1 task done (100%) · no time logged · 0 tasks still open with them. `/upgrade partner report 2026-11`"
	clock.Set(time.Date(2026, 12, 1, 8, 0, 0, 0, chicago)) // Tuesday 1 December
	if got := digest(clock.Now()); !strings.Contains(got, "*Partners*\n"+line) {
		t.Errorf("the first digest of December lacks the partner line:\n%s", got)
	}
	// Once a digest ran on a working day of December, no more.
	if _, err := db.RecordRun(ctx, upgradebot.JobRun{Job: "digest", At: clock.Now(), Status: upgradebot.RunDone}, nil); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 12, 2, 8, 0, 0, 0, chicago))
	if got := digest(clock.Now()); strings.Contains(got, "Partners in") {
		t.Errorf("the second digest of December has the partner line:\n%s", got)
	}
	// A holiday on the 1st moves it to the next working day.
	clock.Set(time.Date(2027, 1, 1, 8, 0, 0, 0, chicago)) // a Friday
	if err := db.SetHolidays(ctx, admin, []upgradebot.Date{{Year: 2027, Month: 1, Day: 1}}); err != nil {
		t.Fatal(err)
	}
	cal.Holidays = []upgradebot.Date{{Year: 2027, Month: 1, Day: 1}}
	if got := digest(clock.Now()); strings.Contains(got, "Partners in") {
		t.Errorf("a holiday's digest has the partner line:\n%s", got)
	}
	if got := digest(time.Date(2027, 1, 4, 8, 0, 0, 0, chicago)); !strings.Contains(got, "Partners in December 2026") {
		t.Errorf("Monday 4 January's digest lacks December's partner line:\n%s", got)
	}
}

// TestSites: the team's sites, work tagged with one, a freeze of one site
// flagging only that site's work (and the whole system's), and the lists
// and workload of a site.
func TestSites(t *testing.T) {
	run(t, []step{
		{desc: "no sites yet", as: alice, text: "config sites", want: []string{"*Sites*: none. An admin adds one with `/upgrade config sites add north \"North Campus\"`."}},
		{desc: "only admins add one", as: alice, text: `config sites add north "North Campus"`, fail: true, want: []string{"Only admins can change the sites."}},
		{desc: "north", as: admin, text: `config sites add north "North Campus"`,
			want: []string{"Added site north, North Campus. Tag work with `site:north` (add, maint add, freeze, release add); `list site:north` and `workload site:north` show its work."}},
		{desc: "south", as: admin, text: "config sites add South South Hospital", want: []string{"Added site south, South Hospital."}},
		{desc: "a new name", as: admin, text: `config sites add south "South General"`, want: []string{"Site south is now called South General."}},
		{desc: "the list", as: bob, text: "config sites", want: []string{"*Sites* (2)", "• `north` North Campus", "• `south` South General"}},
		{desc: "a site nobody has", as: alice, text: "add Swap printers site:west", fail: true, want: []string{"There is no site west; the sites are north, south (`/upgrade config sites`)."}},
		{desc: "North's freeze", as: admin, text: "freeze 2026-12-14..2026-12-20 go-live site:north",
			want: []string{"Recorded freeze 1: Go-live freeze at North Campus, Mon 14 Dec 2026 to Sun 20 Dec 2026. Work of north and of the whole system due in it, and phases planned in it, will be flagged."}},
		{desc: "North's work in it is flagged", as: alice, text: "add Swap the label printers site:north due:2026-12-15 est:3h <@U0ALICE|alice>",
			want: []string{"Added #1 Swap the label printers · <@U0ALICE> · due Tue 15 Dec · site:north · est 3h. Note: it falls inside the go-live freeze at North Campus 2026-12-14..2026-12-20."}},
		{desc: "South's is not", as: alice, text: "add Test the pharmacy feed site:south due:2026-12-15 est:5h <@U0ALICE|alice>",
			want: []string{"Added #2"}, not: []string{"freeze"}},
		{desc: "the whole system's is", as: alice, text: "add Patch the lab module due:2026-12-15 <@U0BOB|bob>", want: []string{"Added #3", "falls inside the go-live freeze"}},
		{desc: "moving South's work into it is fine", as: alice, text: "due 2 2026-12-16", want: []string{"is now due Wed 16 Dec."}, not: []string{"freeze"}},
		{desc: "the freezes say whose", as: bob, text: "freezes", want: []string{"1. go-live freeze · Mon 14 Dec 2026 to Sun 20 Dec 2026 (in 18 days) · North Campus only"}},
		{desc: "list a site", as: bob, text: "list site:north", want: []string{"*Open tasks at North Campus* (1)", "#1 Swap the label printers"}, not: []string{"#2", "#3"}},
		{desc: "list a site nobody has", as: bob, text: "list site:west", fail: true, want: []string{"There is no site west"}},
		{desc: "show a task's site", as: bob, text: "show 1", want: []string{"Site: North Campus (north)"}},
		{desc: "a site's workload: its work, and everyone who could take it", as: bob, text: "workload site:south",
			want: []string{"*Workload at South General*", "• <@U0ALICE> · 1 open task · 5h planned", "• <@U0BOB> · 0 open tasks"}, not: []string{"8h planned"}},
		{desc: "everyone's workload", as: bob, text: "workload", want: []string{"• <@U0ALICE> · 2 open tasks · 8h planned"}},
		{desc: "move a task to another site", as: alice, text: "edit 3 site:south", want: []string{"Changed #3 Patch the lab module: site: none → south."}},
		{desc: "a site in use stays", as: admin, text: "config sites remove north", fail: true,
			want: []string{"Site north is named by 1 open task and 1 freeze; move them to another site (or none) first."}},
		{desc: "a clean-up of a site", as: admin, text: "maint add Duplicate record clean-up every:2w site:south <@U0BOB|bob>", want: []string{"· site:south"}},
		{desc: "a release of a site", as: admin, text: "release add MedCore 2027q1 ga:2027-02-15 site:north", want: []string{"· North Campus"}},
	})
}
