package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/internal/desktest"
)

// The people, the start time and the desk of these tests: desktest's.
const (
	admin  = desktest.Admin
	owner  = desktest.Owner
	deleg  = desktest.Deleg
	alice  = desktest.Alice
	bob    = desktest.Bob
	teamCh = desktest.TeamCh
)

var (
	start    = desktest.Start
	mustZone = desktest.MustZone
	newBot   = desktest.NewBot
	openDesk = desktest.OpenDesk
	outbox   = desktest.Outbox
)

// step is one command in a scenario and what must come of it.
type step struct {
	desc string
	as   string
	text string
	fail bool     // refused or malformed
	want []string // substrings of the reply
	not  []string // substrings the reply must not have
	sent []string // substrings, one per message queued, in order; nil: don't check; {} none
}

func run(t *testing.T, steps []step) {
	t.Helper()
	b, db, clock := newBot(t)
	for _, s := range steps {
		r := b.Handle(context.Background(), bot.Request{User: s.as, Text: s.text})
		if r.Failed != s.fail {
			t.Errorf("%s: %q as %s: failed=%v, want %v; reply:\n%s", s.desc, s.text, s.as, r.Failed, s.fail, r.Text)
		}
		if strings.TrimSpace(r.Text) == "" {
			t.Errorf("%s: empty reply", s.desc)
		}
		for _, w := range s.want {
			if !strings.Contains(r.Text, w) {
				t.Errorf("%s: %q: reply lacks %q:\n%s", s.desc, s.text, w, r.Text)
			}
		}
		for _, w := range s.not {
			if strings.Contains(r.Text, w) {
				t.Errorf("%s: %q: reply has %q:\n%s", s.desc, s.text, w, r.Text)
			}
		}
		got := outbox(t, db, clock)
		if s.sent == nil {
			continue
		}
		if len(got) != len(s.sent) {
			t.Errorf("%s: %q queued %d messages, want %d:\n%s", s.desc, s.text, len(got), len(s.sent), strings.Join(got, "\n"))
			continue
		}
		for i, w := range s.sent {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: message %d lacks %q:\n%s", s.desc, i, w, got[i])
			}
		}
	}
}

var none = []string{}

func TestTasks(t *testing.T) {
	run(t, []step{
		{desc: "help lists commands", as: alice, text: "", want: []string{"add <title>", "approve <id>", "Dates:"}},
		{desc: "help for one command", as: alice, text: "help add", want: []string{"/upgrade add <title>", "Dates:"}},
		{desc: "help groups the commands by topic", as: alice, text: "help",
			want: []string{"*Tasks* (`help tasks`): `add <title>` · `list`", "*Decisions* (`help decisions`)", "`approve <id>`"}, not: []string{"— add a task"}},
		{desc: "help for one topic", as: alice, text: "help decisions",
			want: []string{"*Decisions*", "• `approve <id> [comment]` — approve a decision (owner or delegate)"}, not: []string{"add <title>"}},
		{desc: "add bare title", as: alice, text: "add Review release notes", want: []string{"Added #1 Review release notes", "unassigned"}, sent: none},
		{desc: "add with everything, options anywhere", as: alice, text: "add due:2026-12-04 “Build order sets” <@U0BOB|bob> kind:upgrade prio:high ref:CHG001",
			want: []string{"Added #2 Build order sets", "<@U0BOB>", "due Fri 4 Dec", "high"}, sent: []string{"dm U0BOB: <@U0ALICE> assigned you #2 Build order sets"}},
		{desc: "add assigned to self sends nothing", as: bob, text: `add "Test interfaces" <@U0BOB> due:fri`, want: []string{"#3 Test interfaces", "due tomorrow"}, sent: none},
		{desc: "add with relative date", as: bob, text: "add Train super users due:+2w kind:maintenance prio:low", want: []string{"#4", "Thu 10 Dec"}},
		{desc: "add overdue warns", as: bob, text: "add Late thing due:2026-11-01", want: []string{"already past"}},
		{desc: "entities decoded and escaped back", as: alice, text: "add Labs &amp; rads &lt;check&gt;", want: []string{"Labs &amp; rads &lt;check&gt;"}},
		{desc: "@channel in a title is defused", as: alice, text: "add Tell <!channel> about downtime", want: []string{"Tell @channel about downtime"}, not: []string{"<!channel>"}},
		{desc: "empty title", as: alice, text: "add due:fri", fail: true, want: []string{"title is empty", "Usage: `/upgrade add"}},
		{desc: "bad date", as: alice, text: "add Thing due:someday", fail: true, want: []string{`"someday" is not a date`, "2026-12-05", "+3d"}},
		{desc: "unknown user escape", as: alice, text: "add Thing <@nobody>", fail: true, want: []string{"not a Slack user", "Mention"}},
		{desc: "bare @name of nobody the desk knows", as: alice, text: "add Thing @zed", fail: true,
			want: []string{`I don't know anyone called "@zed"`, "`/upgrade people`"}, sent: none},
		{desc: "bare @name close to someone", as: alice, text: "add Thing @bobb", fail: true,
			want: []string{`I don't know anyone called "@bobb". Did you mean <@U0BOB>?`}, sent: none},
		{desc: "unknown release", as: alice, text: "add Thing release:nope", fail: true, want: []string{"nope", "/upgrade releases"}},
		{desc: "misspelt option", as: alice, text: "add Thing dua:fri", fail: true, want: []string{"Did you mean `due:`"}},
		{desc: "bad priority", as: alice, text: "add Thing prio:urgent", fail: true, want: []string{"urgent", "high, normal, low"}},
		{desc: "bad kind", as: alice, text: "add Thing kind:party", fail: true, want: []string{"party", "upgrade, maintenance, cleanup"}},
		{desc: "nothing half-applied", as: alice, text: "list all", want: []string{"(7)"}},

		{desc: "list open, soonest first", as: alice, text: "list", want: []string{"*Open tasks* (7)", "#5 Late thing"}},
		{desc: "list overdue", as: alice, text: "list overdue", want: []string{"*Overdue tasks* (1)", "#5 Late thing", "25 days overdue"}},
		{desc: "list mine", as: bob, text: "list mine", want: []string{"Your open tasks", "#2", "#3"}, not: []string{"#1 "}},
		{desc: "list for someone", as: alice, text: "list <@U0BOB>", want: []string{"for <@U0BOB>", "#2"}, not: []string{"#1 "}},
		{desc: "list by kind", as: alice, text: "list kind:maintenance", want: []string{"#4"}, not: []string{"#1 "}},
		{desc: "list shared", as: alice, text: "list overdue share", want: []string{"Overdue"}},
		{desc: "list bad scope", as: alice, text: "list everything", fail: true, want: []string{"everything", "mine, open, overdue, done or all"}},
		{desc: "find", as: alice, text: "find order SETS", want: []string{"#2 Build order sets"}, not: []string{"#1 "}},
		{desc: "find nothing", as: alice, text: "find zebra", want: []string{"none"}},

		{desc: "assign", as: alice, text: "assign #1 <@U0BOB>", want: []string{"Assigned #1", "<@U0BOB>", "told"}, sent: []string{"dm U0BOB: <@U0ALICE> assigned you #1"}},
		{desc: "assign without user", as: alice, text: "assign 1", fail: true, want: []string{"to whom"}},
		{desc: "assign unknown task", as: alice, text: "assign 99 <@U0BOB>", fail: true, want: []string{"No task #99"}},
		{desc: "due", as: alice, text: "due 1 tomorrow", want: []string{"#1 Review release notes is now due tomorrow"}},
		{desc: "due bad date", as: alice, text: "due 1 2026-02-30", fail: true, want: []string{"2026-02-30", "not a date"}},
		{desc: "note", as: alice, text: "note 1 vendor call moved to Tuesday", want: []string{"Noted on #1"}},
		{desc: "note needs text", as: alice, text: "note 1", fail: true, want: []string{"text is missing"}},
		{desc: "show", as: alice, text: "show #1", want: []string{"*#1 Review release notes*", "Assignee: <@U0BOB>", "vendor call moved to Tuesday"}},
		{desc: "show bad id", as: alice, text: "show one", fail: true, want: []string{`"one" is not a number`}},
		{desc: "done with note", as: bob, text: "done 1 read and summarised", want: []string{"Done: #1"}},
		{desc: "done twice names who", as: alice, text: "done 1", fail: true, want: []string{"#1", "already done", "<@U0BOB>"}},
		{desc: "cancel", as: alice, text: "cancel 4 not needed this cycle", want: []string{"Cancelled #4"}},
		{desc: "cancel twice", as: alice, text: "cancel 4", fail: true, want: []string{"already cancelled"}},
		{desc: "list done", as: alice, text: "list done", want: []string{"Closed tasks", "#1", "#4"}},
		{desc: "unknown command suggests", as: alice, text: "lsit", fail: true, want: []string{"`lsit`", "Did you mean `list`?"}},
	})
}

func TestReleasesAndCleanups(t *testing.T) {
	run(t, []step{
		{desc: "release add", as: alice, text: `release add MedCore "2027 Q1" ga:2027-01-20 support:2028-07-20`, want: []string{"Recorded `medcore-2027-q1`", "GA Wed 20 Jan 2027", "release:medcore-2027-q1"}},
		{desc: "release add with key", as: alice, text: "release add MedCore 2026.4 ga:2026-10-21 key:mc-26.4", want: []string{"`mc-26.4`", "days ago"}},
		{desc: "duplicate key", as: alice, text: "release add Other thing ga:2027-01-01 key:mc-26.4", fail: true, want: []string{"mc-26.4", "already exists"}},
		{desc: "release without ga", as: alice, text: "release add MedCore 2027.2", fail: true, want: []string{"GA date is missing"}},
		{desc: "release with spaces unquoted", as: alice, text: "release add Med Core 2027 ga:2027-01-01", fail: true, want: []string{"quote"}},
		{desc: "support before ga", as: alice, text: "release add MedCore x ga:2027-01-01 support:2026-01-01", fail: true, want: []string{"before GA"}},
		{desc: "releases", as: alice, text: "releases", want: []string{"(2)", "mc-26.4", "medcore-2027-q1"}},
		{desc: "task in release", as: alice, text: "add Read notes release:MC-26.4", want: []string{"#1 Read notes", "mc-26.4"}},
		{desc: "list by release", as: alice, text: "list release:mc-26.4", want: []string{"in mc-26.4", "#1"}},

		{desc: "maint add", as: alice, text: "maint add “Duplicate record clean-up” every:2w <@U0BOB> first:2026-11-30",
			want: []string{"every 2 weeks", "#2 Duplicate record clean-up", "Mon 30 Nov"}, sent: []string{"dm U0BOB"}},
		{desc: "maint add monthly from today", as: alice, text: "maint add Master file clean-up every:1m", want: []string{"every month", "due today"}},
		{desc: "maint without every", as: alice, text: "maint add Thing", fail: true, want: []string{"every:2w"}},
		{desc: "maint bad interval", as: alice, text: "maint add Thing every:fortnight", fail: true, want: []string{"fortnight", "every:2w"}},
		{desc: "maint list", as: alice, text: "maint list", want: []string{"Duplicate record clean-up", "#2 next due Mon 30 Nov", "Master file clean-up"}},
		{desc: "done creates the next occurrence", as: bob, text: "done 2", want: []string{"Next occurrence: #4, due Mon 14 Dec"}},
		{desc: "done again is refused, no third occurrence", as: bob, text: "done 2", fail: true, want: []string{"already done"}},
		{desc: "one open occurrence", as: alice, text: "list <@U0BOB>", want: []string{"(1)", "#4"}},
	})
}

func TestDecisions(t *testing.T) {
	run(t, []step{
		{desc: "decide with no owner says how to set one", as: alice, text: "decide Go live on the 5th?", fail: true, want: []string{"No decision owner", "/upgrade owner @name"}},
		{desc: "owner shows none", as: alice, text: "owner", want: []string{"No decision owner"}},
		{desc: "non-admin cannot set owner", as: alice, text: "owner <@U0ALICE>", fail: true, want: []string{"Only admins", "<@U0ADMIN>"}},
		{desc: "admin sets owner", as: admin, text: "owner <@U0OWNER|olga>", want: []string{"<@U0OWNER> is now the decision owner"}},
		{desc: "decide routes to owner", as: alice, text: "decide Skip 2026.3 and consolidate into 2026.4? due:mon", want: []string{"Decision #1 sent to <@U0OWNER>"},
			sent: []string{"dm U0OWNER: *Decision #1* requested by <@U0ALICE>"}},
		{desc: "mentions stay in the question", as: alice, text: "decide Can <@U0BOB|bob> cover go-live?", want: []string{"#2"}},
		{desc: "decisions pending", as: alice, text: "decisions", want: []string{"Decisions waiting* (2)", "#1 Skip", "waiting on <@U0OWNER>", "Can @bob cover"}},
		{desc: "non-owner approves", as: alice, text: "approve 1", fail: true, want: []string{"Only the decision owner <@U0OWNER>"}, sent: none},
		{desc: "admin is not the owner either", as: admin, text: "reject 1 no", fail: true, want: []string{"Only the decision owner"}},
		{desc: "reject needs a reason", as: owner, text: "reject 1", fail: true, want: []string{"a reason is required"}},
		{desc: "owner approves", as: owner, text: "approve 1 yes, one go-live", want: []string{"Approved decision #1", "<@U0ALICE> has been told"},
			sent: []string{"update U0OWNER: *Decision #1*", "dm U0ALICE: Decision #1 approved by <@U0OWNER>: yes, one go-live", "post C0TEAM: Decision #1 approved"}},
		{desc: "second answer names who and when", as: owner, text: "reject 1 changed my mind", fail: true, want: []string{"already approved by <@U0OWNER>", "2026-11-26"}, sent: none},
		{desc: "unknown decision", as: owner, text: "approve 42", fail: true, want: []string{"42"}},
		{desc: "all decisions", as: alice, text: "decisions all", want: []string{"approved by <@U0OWNER>", "#2"}},

		{desc: "away for someone else needs admin", as: alice, text: "away 2026-11-27..2026-12-04 <@U0OWNER>", fail: true, want: []string{"Only admins"}},
		{desc: "owner goes away with a delegate", as: owner, text: "away today..2026-12-04 delegate:<@U0DELEG|dev>", want: []string{"away today to Fri 4 Dec", "<@U0DELEG> covers and decides meanwhile"}},
		{desc: "away list", as: alice, text: "away", want: []string{"<@U0OWNER>", "delegate <@U0DELEG>"}},
		{desc: "owner shows delegate", as: alice, text: "owner", want: []string{"away until Fri 4 Dec", "<@U0DELEG> decides meanwhile"}},
		{desc: "decide routes to delegate", as: alice, text: "decide Extend the freeze by a week?", want: []string{"sent to <@U0DELEG>", "delegate while <@U0OWNER> is away"},
			sent: []string{"dm U0DELEG: *Decision #3*"}},
		{desc: "delegate decides", as: deleg, text: "reject 3 clinics need the time back", want: []string{"Rejected decision #3"}},
		{desc: "bad away range", as: owner, text: "away fri..mon2", fail: true, want: []string{"mon2"}},
		{desc: "away range backwards", as: owner, text: "away 2026-12-10..2026-12-01", fail: true, want: []string{"ends before it starts"}},
		{desc: "away clear", as: owner, text: "away clear", want: []string{"Cleared 1"}},
		{desc: "delegate can no longer decide", as: deleg, text: "approve 2", fail: true, want: []string{"Only the decision owner"}},
		{desc: "owner away without delegate", as: admin, text: "away today..fri <@U0OWNER>", want: []string{"No delegate"}},
		{desc: "decide warns nobody covers", as: alice, text: "decide New printer queue?", want: []string{"away until tomorrow and have no delegate"}},
		{desc: "audit shows who decided", as: alice, text: "audit D1", want: []string{"decision.approve", "<@U0OWNER>", "status: pending → approved"}},
		{desc: "a bare number is a task", as: alice, text: "audit 1", want: []string{"*Audit trail for task #1, latest first*: nothing recorded."}},
		{desc: "audit latest", as: alice, text: "audit", want: []string{"decision.request", "away.set"}},
	})
}

func TestAdmins(t *testing.T) {
	run(t, []step{
		{desc: "list admins", as: alice, text: "admin", want: []string{"Admins: <@U0ADMIN>"}},
		{desc: "non-admin cannot add", as: alice, text: "admin add <@U0ALICE>", fail: true, want: []string{"Only admins"}},
		{desc: "admin adds", as: admin, text: "admin add <@U0BOB>", want: []string{"<@U0BOB> is now an admin"}},
		{desc: "new admin sets owner", as: bob, text: "owner <@U0OWNER>", want: []string{"now the decision owner"}},
		{desc: "admin removes self", as: admin, text: "admin remove <@U0ADMIN>", want: []string{"no longer an admin"}},
		{desc: "last admin stays", as: bob, text: "admin remove <@U0BOB>", fail: true, want: []string{"last admin"}},
		{desc: "admin needs a person", as: bob, text: "admin add", fail: true, want: []string{"who?"}},
		{desc: "audit records it", as: alice, text: "audit", want: []string{"admin.remove", "admin.add", "owner.set"}},
	})
}

// TestConcurrentAdds sends 100 adds at once through the command layer.
func TestConcurrentAdds(t *testing.T) {
	b, db, _ := newBot(t)
	ctx := context.Background()
	const n = 100
	var wg sync.WaitGroup
	replies := make([]bot.Reply, n)
	for i := range n {
		wg.Go(func() {
			replies[i] = b.Handle(ctx, bot.Request{User: alice, Text: fmt.Sprintf("add Concurrent task %d due:+%dd", i, i%30)})
		})
	}
	wg.Wait()
	for i, r := range replies {
		if r.Failed {
			t.Fatalf("add %d failed: %s", i, r.Text)
		}
	}
	tasks, total, err := db.FindTasks(ctx, upgradebot.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != n || len(tasks) != n {
		t.Fatalf("got %d tasks (%d listed), want %d", total, len(tasks), n)
	}
	ids, titles := map[int64]bool{}, map[string]bool{}
	for _, tk := range tasks {
		ids[tk.ID], titles[tk.Title] = true, true
	}
	if len(ids) != n || len(titles) != n {
		t.Fatalf("%d unique ids and %d unique titles, want %d each", len(ids), len(titles), n)
	}
}

// TestRacingApprovals has the owner and the delegate answer one decision at
// the same moment, many times over: exactly one answer wins each time and
// the other is told who decided.
func TestRacingApprovals(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	for _, c := range []struct{ as, text string }{
		{admin, "owner <@U0OWNER>"},
		{owner, "away today..fri delegate:<@U0DELEG>"},
	} {
		if r := b.Handle(ctx, bot.Request{User: c.as, Text: c.text}); r.Failed {
			t.Fatal(r.Text)
		}
	}
	for i := range 20 {
		if r := b.Handle(ctx, bot.Request{User: alice, Text: fmt.Sprintf("decide Question %d?", i)}); r.Failed {
			t.Fatal(r.Text)
		}
		id := i + 1
		var wg sync.WaitGroup
		replies := make([]bot.Reply, 2)
		for j, c := range []struct{ as, text string }{
			{owner, fmt.Sprintf("approve %d", id)},
			{deleg, fmt.Sprintf("reject %d not now", id)},
		} {
			wg.Go(func() { replies[j] = b.Handle(ctx, bot.Request{User: c.as, Text: c.text}) })
		}
		wg.Wait()
		if replies[0].Failed == replies[1].Failed {
			t.Fatalf("decision %d: want exactly one success, got %+v", id, replies)
		}
		loser := replies[0]
		if !loser.Failed {
			loser = replies[1]
		}
		if !strings.Contains(loser.Text, "already") || !strings.Contains(loser.Text, "by <@U0") {
			t.Errorf("decision %d: the loser was told %q", id, loser.Text)
		}
	}
	// One outcome each: an update, a DM to the requester and a channel line.
	msgs := outbox(t, db, clock)
	var updates int
	for _, m := range msgs {
		if strings.HasPrefix(m, "update ") {
			updates++
		}
	}
	if updates != 20 {
		t.Errorf("%d decision updates queued, want 20", updates)
	}
}

func TestMute(t *testing.T) {
	run(t, []step{
		{desc: "mute until a day", as: alice, text: "mute until 2026-12-04", want: []string{"Muted your overdue reminders until Fri 4 Dec 2026", "`/upgrade unmute`"}, sent: none},
		{desc: "mute with no day", as: bob, text: "mute", want: []string{"Muted your overdue reminders until unmuted", "`/upgrade unmute`"}},
		{desc: "mute a past day", as: alice, text: "mute until 2026-11-01", fail: true, want: []string{"already past"}},
		{desc: "non-admin cannot mute someone else", as: alice, text: "mute <@U0BOB|bob> until fri", fail: true, want: []string{"Only admins", "<@U0ADMIN>"}},
		{desc: "non-admin cannot unmute someone else", as: alice, text: "unmute <@U0BOB>", fail: true, want: []string{"Only admins", "<@U0ADMIN>"}},
		{desc: "admin mutes someone else", as: admin, text: "mute <@U0OWNER|olga> until 2026-12-24", want: []string{"Muted <@U0OWNER>'s overdue reminders until Thu 24 Dec 2026", "`/upgrade unmute @olga`"}},
		{desc: "admin unmutes someone else", as: admin, text: "unmute <@U0BOB>", want: []string{"<@U0BOB>'s overdue reminders are back on"}},
		{desc: "unmute", as: alice, text: "unmute", want: []string{"Your overdue reminders are back on"}},
		{desc: "unmute again", as: alice, text: "unmute", want: []string{"were not muted"}},
		{desc: "audited", as: alice, text: "audit", want: []string{"mute.clear", "mute.set"}},
	})
}

func TestConfig(t *testing.T) {
	run(t, []step{
		{desc: "anyone sees the settings", as: alice, text: "config", want: []string{
			"`channel` <#C0TEAM> · _stored_", "`tz` America/Chicago · _stored_", "`hours` 08:00-17:00", "`holidays` none coming",
			"`allclear` off", "`leads` 30,14,7,1", "`nudges` every:2 after:3 · _default_", "`escalation` remind:2 escalate:2 · _default_",
			"`workload` hours:40 tasks:15 (over: more hours planned or open tasks than these) · _default_",
			"`schedule digest` `0 8 * * 1-5` · _default_", "`schedule cleanups` `0 6 * * *`"}},
		{desc: "non-admin cannot set", as: alice, text: "config leads 10,5", fail: true, want: []string{"Only admins can change settings", "<@U0ADMIN>"}},
		{desc: "non-admin cannot set the workload threshold", as: alice, text: "config workload hours:20 tasks:5", fail: true,
			want: []string{"Only admins can change settings", "<@U0ADMIN>"}},
		{desc: "bad workload threshold", as: admin, text: "config workload hours:0", fail: true, want: []string{"from 1 to 1000"}},
		{desc: "non-admin cannot add holidays", as: alice, text: "config holidays add 2026-12-24", fail: true, want: []string{"Only admins", "<@U0ADMIN>"}},
		{desc: "bad cron spec", as: admin, text: `config schedule digest "0 8 * *"`, fail: true, want: []string{"not a cron spec", "expected exactly 5 fields"}},
		{desc: "bad zone", as: admin, text: "config tz Mars/Base", fail: true, want: []string{`"Mars/Base" is not an IANA time zone`}},
		{desc: "bad hours", as: admin, text: "config hours 18:00-09:00", fail: true, want: []string{"end (09:00) before they start (18:00)"}},
		{desc: "bad holiday date", as: admin, text: "config holidays add 2026-12-24 2026-13-01", fail: true, want: []string{`"2026-13-01"`}},
		{desc: "nothing was written", as: alice, text: "config", want: []string{"`holidays` none coming", "`tz` America/Chicago"}, not: []string{"Mars"}},

		{desc: "set leads", as: admin, text: "config leads 10,5", want: []string{"10,5 days", "from the next run"}},
		{desc: "set hours", as: admin, text: "config hours 07:00-15:30", want: []string{"07:00-15:30", "from the next run"}},
		{desc: "set nudges", as: admin, text: "config nudges every:1 after:4", want: []string{"every 1 working day", "after 4 nudges"}},
		{desc: "set escalation", as: admin, text: "config escalation remind:3 escalate:1", want: []string{"reminded after 3 working days", "escalated 1 working day after"}},
		{desc: "set workload", as: admin, text: "config workload hours:32 tasks:12",
			want: []string{"Workload threshold set: a person is over with more than 32h of estimated open work or more than 12 open tasks.", "`/upgrade workload` uses it now."}},
		{desc: "workload uses it", as: alice, text: "workload", want: []string{"more than 32h of work or 12 open tasks"}},
		{desc: "set allclear", as: admin, text: "config allclear on", want: []string{"all-clear is on"}},
		{desc: "set schedule says next start", as: admin, text: `config schedule digest "0 7 * * 1-5"`, want: []string{"`0 7 * * 1-5`", "applies when the bot next starts"}},
		{desc: "set channel from escape", as: admin, text: "config channel <#C0OTHER|ops>", want: []string{"Team channel set to <#C0OTHER>"}},
		{desc: "set zone", as: admin, text: "config tz Europe/London", want: []string{"Europe/London", "next start"}},
		{desc: "add holidays", as: admin, text: "config holidays add 2026-12-24 2026-12-25", want: []string{"Added Thu 24 Dec 2026, Fri 25 Dec 2026"}},
		{desc: "remove a holiday, one not there", as: admin, text: "config holidays remove 2026-12-24 2026-12-31", want: []string{"Removed Thu 24 Dec 2026", "Not holidays: Thu 31 Dec 2026", "Team holidays: Fri 25 Dec 2026"}},
		{desc: "list holidays", as: alice, text: "config holidays", want: []string{"Fri 25 Dec 2026"}, not: []string{"24 Dec"}},
		{desc: "shows what is stored", as: alice, text: "config", want: []string{
			"`channel` <#C0OTHER> · _stored_", "`tz` Europe/London", "`hours` 07:00-15:30, Mon-Fri · _stored_", "`holidays` Fri 25 Dec 2026 · _stored_",
			"`allclear` on", "`leads` 10,5 days", "`nudges` every:1 after:4 · _stored_", "`escalation` remind:3 escalate:1 · _stored_",
			"`workload` hours:32 tasks:12 (over: more hours planned or open tasks than these) · _stored_",
			"`schedule digest` `0 7 * * 1-5` · _stored_", "`schedule nudges` `0 9-16 * * 1-5` · _default_"}},
		{desc: "every change audited", as: alice, text: "audit", want: []string{"setting.set", "holidays.set"}},
	})
}

// TestConfigFixedByEnvironment: a setting the environment sets at start is
// shown as coming from there, and changing it warns it will be undone.
func TestConfigFixedByEnvironment(t *testing.T) {
	b, _, _ := newBot(t)
	b.Fixed = map[string]bot.Fixed{"schedule.digest": {Var: "UPGRADEBOT_DIGEST_SCHEDULE", Value: "0 6 * * 1-5"}}
	ctx := context.Background()
	r := b.Handle(ctx, bot.Request{User: alice, Text: "config"})
	if !strings.Contains(r.Text, "`schedule digest` `0 6 * * 1-5` · _UPGRADEBOT_DIGEST_SCHEDULE, at each start_") {
		t.Errorf("config does not show the environment's schedule:\n%s", r.Text)
	}
	r = b.Handle(ctx, bot.Request{User: admin, Text: `config schedule digest "0 7 * * *"`})
	if r.Failed || !strings.Contains(r.Text, "UPGRADEBOT_DIGEST_SCHEDULE is set where the bot runs") {
		t.Errorf("setting a schedule the environment fixes: %+v", r)
	}
}

func TestWorkload(t *testing.T) {
	run(t, []step{
		{desc: "add with estimate", as: alice, text: "add Build the lab interface <@U0ALICE> est:30h due:2026-11-20", want: []string{"#1 Build the lab interface", "est 30h"}},
		{desc: "days are 8h", as: alice, text: "add Test it <@U0ALICE> est:2d", want: []string{"est 16h"}},
		{desc: "bad estimate", as: alice, text: "add Thing est:lots", fail: true, want: []string{"est:4h"}},
		{desc: "show has the estimate", as: alice, text: "show 2", want: []string{"Estimate: 16h"}},
		{desc: "list has it", as: alice, text: "list mine", want: []string{"est 30h", "est 16h"}},
		{desc: "bob's task", as: alice, text: "add Train the ward <@U0BOB> est:4h"},
		{desc: "workload", as: bob, text: "workload", want: []string{
			"more than 40h of work or 15 open tasks",
			"<@U0ALICE> · 2 open tasks, 1 overdue · 46h planned · *over*",
			"<@U0BOB> · 1 open task · 4h planned",
			"Suggestion: move 1 task (about 6h) from <@U0ALICE> to <@U0BOB>",
		}},
		{desc: "threshold from config", as: admin, text: "workload share", want: []string{"more than 40h"}},
	})
}

func TestCleanupQueue(t *testing.T) {
	run(t, []step{
		{desc: "maint add", as: alice, text: "maint add Duplicate records every:2w <@U0BOB>"},
		{desc: "queue", as: bob, text: "maint 1 queue 1,240 rate 22/h", want: []string{"Duplicate records", "1240 left as of Thu 26 Nov 2026 at 22/h: 56.37h of work, clears Mon 7 Dec 2026"}},
		{desc: "a second queue of bob's", as: alice, text: "maint add Master files every:1m <@U0BOB>"},
		{desc: "worked after the first, not at once", as: bob, text: "maint 2 queue 176 rate 22/h",
			want: []string{"176 left as of Thu 26 Nov 2026 at 22/h: 8h of work, clears Tue 8 Dec 2026 (after 1 other queue of theirs)"}},
		{desc: "list shows it", as: bob, text: "maint list", want: []string{"1. Duplicate records", "56.37h of work"}},
		{desc: "audited", as: bob, text: "audit maint 1", want: []string{"maintenance.queue"}, not: []string{"task.add"}},
		{desc: "bad rate", as: bob, text: "maint 1 queue 10 rate fast", fail: true, want: []string{"22/h"}},
		{desc: "missing rate", as: bob, text: "maint 1 queue 10", fail: true, want: []string{"Usage"}},
		{desc: "unknown clean-up", as: bob, text: "maint 9 queue 10 rate 1/h", fail: true, want: []string{"No recurring clean-up 9"}},
	})
}

func TestFreezes(t *testing.T) {
	run(t, []step{
		{desc: "none yet", as: alice, text: "freezes", want: []string{"none now or coming"}},
		{desc: "non-admin refused", as: alice, text: "freeze 2026-12-14..2026-12-20 go-live", fail: true,
			want: []string{"Only admins can record a freeze", "<@U0ADMIN>"}},
		{desc: "nothing recorded by the refusal", as: alice, text: "freezes", want: []string{"none now or coming"}},
		{desc: "admin records", as: admin, text: "freeze 2026-12-14..2026-12-20 go-live",
			want: []string{"Recorded freeze 1", "Go-live freeze", "Mon 14 Dec 2026 to Sun 20 Dec 2026"}},
		{desc: "already over", as: admin, text: "freeze 2026-11-01..2026-11-02 audit", fail: true, want: []string{"before today"}},
		{desc: "blackout", as: admin, text: `freeze 2027-01-04..2027-01-08 "clinical blackout"`, want: []string{"Recorded freeze 2"}},
		{desc: "list", as: bob, text: "freezes", want: []string{"(2)", "1. go-live freeze · Mon 14 Dec 2026 to Sun 20 Dec 2026 (in 18 days)", "2. clinical blackout freeze"}},

		{desc: "add inside is flagged", as: alice, text: "add Switch interfaces due:2026-12-15",
			want: []string{"Added #1", "falls inside the go-live freeze 2026-12-14..2026-12-20"}},
		{desc: "add on the last day is flagged", as: alice, text: "add Cut over due:2026-12-20", want: []string{"go-live freeze"}},
		{desc: "add outside is not", as: alice, text: "add Prep due:2026-12-13", not: []string{"freeze"}},
		{desc: "add without due is not", as: alice, text: "add Someday", not: []string{"freeze"}},
		{desc: "due into a freeze is flagged", as: alice, text: "due 3 2027-01-05",
			want: []string{"#3 Prep is now due", "falls inside the clinical blackout freeze 2027-01-04..2027-01-08"}},
		{desc: "due out of it is not", as: alice, text: "due 3 2027-01-09", not: []string{"freeze"}},

		{desc: "release", as: alice, text: "release add MedCore x ga:2026-12-01 key:mc", want: []string{"`mc`"}},
		{desc: "phase planned over a freeze", as: alice, text: "release mc phase go-live start 2026-12-10",
			want: []string{"Started the go-live phase", "plan falls inside the go-live freeze 2026-12-14..2026-12-20"}},
		{desc: "phase planned clear of it", as: alice, text: "release mc phase review start", not: []string{"freeze"}},

		{desc: "non-admin cannot remove", as: alice, text: "freeze remove 1", fail: true, want: []string{"Only admins can remove a freeze"}},
		{desc: "remove", as: admin, text: "freeze remove 1", want: []string{"Removed freeze 1: go-live freeze 2026-12-14..2026-12-20"}},
		{desc: "remove twice", as: admin, text: "freeze remove 1", fail: true, want: []string{"no freeze 1"}},
		{desc: "no longer flagged", as: alice, text: "due 1 2026-12-16", not: []string{"freeze"}},
		{desc: "audited", as: admin, text: "audit freeze 1", want: []string{"`freeze.remove` freeze #1", "`freeze.add` freeze #1"}, not: []string{"task.add"}},
		{desc: "digest counts down", as: alice, text: "digest", want: []string{"Next freeze: clinical blackout freeze in 39 days, Mon 4 Jan – Fri 8 Jan."}},
	})
}

// TestPeopleByName: a plain @name is someone the desk knows, by display
// name or handle in any case; two people with one name, or nobody, are
// refused naming the candidates, and nothing is written.
func TestPeopleByName(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	if err := db.RememberPeople(ctx, []upgradebot.Person{{ID: "U0SAM1", Name: "sam"}, {ID: "U0SAM2", Name: "Sam"}}); err != nil {
		t.Fatal(err)
	}
	do := func(as, text string) bot.Reply {
		t.Helper()
		return b.Handle(ctx, bot.Request{User: as, Text: text})
	}
	if r := do(alice, "add Fix the scanner @BOB due:fri"); r.Failed || !strings.Contains(r.Text, "<@U0BOB>") {
		t.Errorf("@BOB: %+v", r)
	}
	if got := outbox(t, db, clock); len(got) != 1 || !strings.HasPrefix(got[0], "dm U0BOB:") {
		t.Errorf("the assignee is told: %q", got)
	}
	if r := do(admin, "owner @olga"); r.Failed || !strings.Contains(r.Text, "<@U0OWNER>") {
		t.Errorf("owner @olga: %+v", r)
	}
	r := do(alice, "assign 1 @sam")
	if !r.Failed || !strings.Contains(r.Text, `"@sam" could be <@U0SAM1>, <@U0SAM2>`) {
		t.Errorf("ambiguous @sam: %+v", r)
	}
	if got := outbox(t, db, clock); len(got) != 0 {
		t.Errorf("a refused command queued %q", got)
	}
	r = do(alice, "people")
	for _, w := range []string{"*People the desk knows* (7)", "<@U0ADMIN> (@ann) · admin", "<@U0OWNER> (@olga) · decision owner", "<@U0ALICE> (@alice) · member"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("people lacks %q:\n%s", w, r.Text)
		}
	}
}

// TestCapacity: a clean-up backlog is work like a task estimate, so someone
// holding a 132h duplicate-record queue is over and never offered as having
// room, and checklist work months away is counted apart.
func TestCapacity(t *testing.T) {
	run(t, []step{
		{desc: "bob's clean-up", as: admin, text: "maint add Duplicate record pairs every:2w <@U0BOB>"},
		{desc: "a 132h backlog", as: bob, text: "maint 1 queue 2904 rate 22/h", want: []string{"132h of work"}},
		{desc: "alice over on tasks", as: admin, text: "add Build the order sets <@U0ALICE> est:1w due:fri"},
		{desc: "more for alice", as: admin, text: "add Test the order sets <@U0ALICE> est:2d due:fri"},
		{desc: "a little for ann", as: admin, text: "add Book the training room <@U0ADMIN> est:2h due:fri"},
		{desc: "carol has room too", as: admin, text: "add Label the scanners <@U0DELEG> est:1h due:fri"},
		{desc: "a checklist item", as: admin, text: "checklist add build Build the interfaces est:4h"},
		{desc: "a release months away", as: admin, text: "release add MedCore 2027.3 ga:2027-09-01", want: []string{"1 checklist task"}},
		{desc: "workload", as: alice, text: "workload", want: []string{
			"<@U0BOB> · 1 open task · 132h in 1 clean-up queue · *over*",
			"<@U0ALICE> · 2 open tasks · 56h planned · *over*",
			"Suggestion: share about 38h of <@U0BOB>'s clean-up queues with <@U0ADMIN>, who has room.",
			"Suggestion: move 1 task (about 16h) from <@U0ALICE> to <@U0DELEG>, who has room.",
			"unassigned · 0 open tasks · 1 checklist task later",
			"Work is task estimates plus clean-up queues",
		}, not: []string{"to <@U0BOB>", "4h planned"}},
	})
}
