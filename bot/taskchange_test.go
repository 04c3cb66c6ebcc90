package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// The corrections issue 10 asked for, as a team lead types them: each case
// it listed, with the reply it now gets and whom it tells.
func TestCorrectTasks(t *testing.T) {
	run(t, []step{
		{desc: "tasks to work on", as: alice, text: `add "Build order sets" @bob due:2026-12-04`, sent: []string{"dm U0BOB"}},
		{as: alice, text: `add "Test interfaces" @bob`},
		{as: alice, text: `add "Train super users" @alice`},
		{as: alice, text: `add "Print labels"`},
		{as: alice, text: `add "Swap scanners" @bob`, sent: []string{"dm U0BOB"}},

		// done 19 20 31 32: every number is an id, one transaction.
		{desc: "done several", as: bob, text: "done 1 2 3", sent: none,
			want: []string{"Done, 3 tasks:\n• #1 Build order sets\n• #2 Test interfaces\n• #3 Train super users"}},
		{desc: "a refused id refuses them all, naming it", as: bob, text: "done #4 #2", fail: true, sent: none,
			want: []string{"Task #2 was already done by <@U0BOB> at 2026-11-26 09:00 CST. None of #4 and #2 was marked done."}},
		{desc: "an unknown id", as: bob, text: "done 4 99 migrated", fail: true, sent: none,
			want: []string{"No task #99. None of #4 and #99 was marked done."}},
		{desc: "nothing was closed", as: bob, text: "list", want: []string{"*Open tasks* (2)", "#4 Print labels"}},
		{desc: "a note that starts with a number is quoted", as: bob, text: `done 4 "14 labels reprinted"`, want: []string{"Done: #4 Print labels."}},
		{as: bob, text: "show 4", want: []string{"14 labels reprinted"}},

		// Reopen, assign several, and whoever loses a task is told.
		{desc: "reopen", as: alice, text: "reopen 1 2", fail: true, want: []string{`I didn't expect "2"`}},
		{desc: "reopen someone's task", as: alice, text: "reopen 1", want: []string{"Reopened #1 Build order sets · <@U0BOB> · due Fri 4 Dec. <@U0BOB> has been told."},
			sent: []string{"dm U0BOB: <@U0ALICE> reopened your task #1 Build order sets"}},
		{as: alice, text: "reopen 2"},
		{desc: "reopen an open task", as: alice, text: "reopen 2", fail: true, want: []string{"Task #2 is open already."}, sent: none},
		{desc: "reopen a task nobody has", as: alice, text: "reopen 4", want: []string{"Reopened #4 Print labels · unassigned."}, sent: none},
		{desc: "assign several", as: alice, text: "assign 1 2 4 @alice",
			want: []string{"Assigned 3 tasks to <@U0ALICE>:\n• #1 Build order sets (was <@U0BOB>)\n• #2 Test interfaces (was <@U0BOB>)\n• #4 Print labels\n<@U0BOB> has been told."},
			sent: []string{"dm U0BOB: <@U0ALICE> reassigned 2 of your tasks to <@U0ALICE>:\n• #1 Build order sets"}},
		{desc: "assign to someone else", as: alice, text: "assign 1 @bob", want: []string{"Assigned #1 Build order sets (was <@U0ALICE>) to <@U0BOB>. <@U0BOB> has been told."},
			sent: []string{"dm U0BOB: <@U0ALICE> assigned you #1 Build order sets"}},
		{desc: "someone else reassigns alice's task", as: bob, text: "assign 2 @bob",
			want: []string{"Assigned #2 Test interfaces (was <@U0ALICE>) to <@U0BOB>. <@U0ALICE> has been told."},
			sent: []string{"dm U0ALICE: <@U0BOB> reassigned your task #2 Test interfaces to <@U0BOB>."}},
		{desc: "unassign 37", as: alice, text: "unassign 2", want: []string{"#2 Test interfaces is now unassigned. <@U0BOB> has been told."},
			sent: []string{"dm U0BOB: <@U0ALICE> unassigned your task #2 Test interfaces, which nobody has now."}},
		{desc: "unassign a task nobody has", as: alice, text: "unassign 2", fail: true, want: []string{"Task #2 is not assigned to anyone."}, sent: none},

		// edit 10 title …, est 22 8h, prio 22 high.
		{desc: "edit 10 title …", as: alice, text: "edit 1 title Build the order sets", fail: true, sent: none,
			want: []string{`Write ` + "`edit 1 title:\"Build the order sets\"`"}},
		{desc: "prio 22 high", as: alice, text: "prio 1 high", fail: true, want: []string{"`edit 1 prio:high`"}},
		{desc: "est 22 8h", as: alice, text: "est 1 8h", fail: true, want: []string{"`edit 1 est:8h`"}},
		{desc: "edit someone's task", as: alice, text: `edit 1 title:"Build the order sets" due:mon prio:high est:8h`,
			want: []string{`Changed #1 Build order sets: title: "Build order sets" → "Build the order sets", due: Fri 4 Dec 2026 → Mon 30 Nov 2026, prio: normal → high, est: none → 8h. <@U0BOB> has been told.`},
			sent: []string{`dm U0BOB: <@U0ALICE> changed your task #1 Build order sets: title: "Build order sets" → "Build the order sets", due: Fri 4 Dec 2026 → Mon 30 Nov 2026, prio: normal → high, est: none → 8h.`}},
		{desc: "edit clears", as: bob, text: "edit 1 due:none est:none", want: []string{"Changed #1 Build the order sets: due: Mon 30 Nov 2026 → no date, est: 8h → none."}, sent: none},
		{desc: "edit that changes nothing", as: bob, text: "edit 1 prio:high", fail: true, want: []string{"Task #1 already has those values; nothing changed."}, sent: none},
		{desc: "edit an unknown release", as: bob, text: "edit 1 release:nope", fail: true, want: []string{"No release with key nope"}, sent: none},
		{desc: "edit a closed task", as: bob, text: "edit 3 prio:low", fail: true, want: []string{"Task #3 was already done by <@U0BOB> at 2026-11-26 09:00 CST. `reopen 3` opens it again."}},

		// cancel 7 8: several, with a reason; the assignees are told.
		{as: alice, text: "assign 4 @bob"},
		{desc: "cancel several", as: alice, text: "cancel 4 5 asked by mistake",
			want: []string{"Cancelled 2 tasks:\n• #4 Print labels\n• #5 Swap scanners\n<@U0BOB> has been told."},
			sent: []string{"dm U0BOB: <@U0ALICE> cancelled 2 of your tasks (asked by mistake):\n• #4 Print labels · <@U0BOB> · cancelled\n• #5 Swap scanners · <@U0BOB> · cancelled"}},

		// undo: the whole last command, back as it was.
		{desc: "undo the cancel", as: alice, text: "undo",
			want: []string{"Took back your `cancel` (made at 09:00):\n• #4 Print labels · <@U0BOB> (status: cancelled → open)\n• #5 Swap scanners · <@U0BOB> (status: cancelled → open)\n<@U0BOB> has been told.\n`undo` again puts it back."},
			sent: []string{"dm U0BOB: <@U0ALICE> took back their `cancel`:\n• #4 Print labels · <@U0BOB> (status: cancelled → open)\n• #5 Swap scanners · <@U0BOB> (status: cancelled → open)"}},
		{as: alice, text: "list <@U0BOB>", want: []string{"#4 Print labels", "#5 Swap scanners"}},
		{desc: "undo again puts it back", as: alice, text: "undo", want: []string{"Took back your `undo`", "(status: open → cancelled)"}},
		{desc: "someone else's change since", as: bob, text: "reopen 4"},
		{desc: "undo refused", as: alice, text: "undo", fail: true, sent: none,
			want: []string{"<@U0BOB> changed #4 since your `undo` (`reopen` at 2026-11-26 09:00 CST), so undo would overwrite their change; nothing was changed."}},
		{desc: "undo of nothing", as: owner, text: "undo", fail: true, want: []string{"You have not changed a task yet.", "within 15 minutes"}},
		{desc: "undo of an add", as: owner, text: "add Mistake", sent: none},
		{as: owner, text: "undo", fail: true, want: []string{"Your last change to a task was adding #6, which undo does not take back: `cancel 6` closes it."}},
		{desc: "undo takes nothing", as: owner, text: "undo 6", fail: true, want: []string{`I didn't expect "6"`}},

		// help says so.
		{desc: "help lists the new commands", as: alice, text: "help",
			want: []string{"`done <id>...`", "`assign <id>... @user`", "`unassign <id>`", "`edit <id>`", "`cancel <id>...`", "`reopen <id>`", "`undo`"}},
		{desc: "help tasks explains them", as: alice, text: "help tasks",
			want: []string{"a note that starts with a number goes in quotes: `done 9 \"14 pairs merged\"`", "within 15 minutes", "`none` clears"}},
		{desc: "help edit", as: alice, text: "help edit", want: []string{"/upgrade edit <id> [title:\"<title>\"] [due:<date>|none]", "Dates:"}},
	})
}

// Undo only takes back a change within the window, and a clean-up's
// occurrence undone loses the next occurrence its done scheduled.
func TestUndoWindowAndCleanups(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	say := func(as, text string, fail bool, want ...string) {
		t.Helper()
		r := b.Handle(ctx, bot.Request{User: as, Text: text})
		if r.Failed != fail {
			t.Errorf("%q: failed=%v, want %v:\n%s", text, r.Failed, fail, r.Text)
		}
		for _, w := range want {
			if !strings.Contains(r.Text, w) {
				t.Errorf("%q: reply lacks %q:\n%s", text, w, r.Text)
			}
		}
		outbox(t, db, clock)
	}
	say(alice, "maint add Duplicate MRN clean-up every:2w first:2026-11-26", false, "#1")
	say(alice, "done 1 merged 14 pairs", false, "Done: #1 Duplicate MRN clean-up. Next occurrence: #2, due Thu 10 Dec.")
	clock.Advance(10 * time.Minute)
	say(alice, "undo", false, "Took back your `done` (made at 09:00):", "(status: done → open)", "• #2, the next occurrence it had scheduled, is cancelled.")
	say(alice, "maint list", false, "#1 next due today")
	say(alice, "done 1", false, "Done: #1 Duplicate MRN clean-up. Next occurrence: #2, due Thu 10 Dec.")
	say(alice, "list kind:cleanup", false, "(1)", "#2 Duplicate MRN clean-up")

	clock.Advance(upgradebot.UndoWindow + time.Minute)
	say(alice, "undo", true, "Your last change to a task, `done` of #1 at 2026-11-26 09:10 CST, is more than 15 minutes old, too old to undo. `reopen 1` opens it again.")
}
