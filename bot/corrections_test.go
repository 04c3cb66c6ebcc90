package bot_test

import "testing"

// What issue 10 saw with clean-ups, now each with the reply it gets:
// "maint remove 4", "maint 4 pause", "maint edit 4 every:…" answered "I
// didn't expect …", so a clean-up could not be changed at all.
func TestCleanupCorrections(t *testing.T) {
	run(t, []step{
		{desc: "a clean-up", as: alice, text: "maint add Master file clean-up every:2w @alice",
			want: []string{"Added recurring clean-up Master file clean-up, every 2 weeks. First occurrence: #1 Master file clean-up · <@U0ALICE> · due today."}},
		{desc: "edited by someone else, id first", as: bob, text: "maint 1 edit every:1w workdays:yes",
			want: []string{"Changed clean-up 1. Master file clean-up · every week, on working days · <@U0ALICE>.", "<@U0ALICE> has been told."},
			sent: []string{"dm U0ALICE: <@U0BOB> changed your recurring clean-up 1. Master file clean-up (every week, on working days): now every week, on working days only."}},
		{desc: "a Saturday start moves the occurrence to Monday", as: bob, text: "maint edit 1 first:2026-11-28",
			want: []string{"Open occurrence: #1 Master file clean-up · <@U0ALICE> · due Mon 30 Nov."},
			sent: []string{"dm U0ALICE: <@U0BOB> changed your recurring clean-up 1. Master file clean-up (every week, on working days): now counted from Sat 28 Nov 2026, its open occurrence #1 is now due Mon 30 Nov 2026."}},
		{desc: "title words without title: are refused", as: bob, text: "maint edit 1 Provider master file clean-up", fail: true,
			want: []string{`I didn't expect "Provider": write a new title as title:"…".`}, sent: []string{}},
		{desc: "a bare workdays is not filed into the title", as: bob, text: "maint add Interface queue every:1w workdays", fail: true,
			want: []string{`"workdays" at the end of the title reads like an option: write ` + "`workdays:yes`"}, sent: []string{}},
		{desc: "paused by its assignee", as: alice, text: "maint 1 pause",
			want: []string{"Paused clean-up 1. Master file clean-up: no new occurrence until `/upgrade maint resume 1`. Still open: #1"},
			not:  []string{"has been told"}, sent: []string{}},
		{desc: "listed as paused", as: alice, text: "maint list", want: []string{"1. Master file clean-up · every week, on working days · <@U0ALICE> · *paused* · #1 next due Mon 30 Nov"}},
		{desc: "paused twice", as: alice, text: "maint pause 1", fail: true, want: []string{"Clean-up 1 is already paused; `/upgrade maint resume 1` starts it again."}},
		{desc: "resumed", as: bob, text: "maint resume 1",
			want: []string{"Resumed clean-up 1. Master file clean-up, every week, on working days. Its open occurrence #1 is due Mon 30 Nov. <@U0ALICE> has been told."},
			sent: []string{"dm U0ALICE: <@U0BOB> changed your recurring clean-up 1. Master file clean-up (every week, on working days): resumed."}},
		{desc: "removed: its open occurrence is cancelled", as: bob, text: "maint remove 1",
			want: []string{"Removed clean-up 1. Master file clean-up: it makes no more occurrences, and its open occurrence #1 was cancelled. Its trail stays: `/upgrade audit maint 1`. <@U0ALICE> has been told."},
			sent: []string{"removed; its open occurrence #1 was cancelled"}},
		{desc: "the occurrence says why", as: alice, text: "show 1", want: []string{"Status: cancelled", "Cancelled: its recurring clean-up was removed."}},
		{desc: "gone", as: bob, text: "maint 1 pause", fail: true, want: []string{"Clean-up 1 was removed; `/upgrade maint` lists the ones there are."}},
		{desc: "not listed", as: bob, text: "maint", want: []string{"*Recurring clean-ups*: none."}},
		{desc: "audited", as: bob, text: "audit maint 1",
			want: []string{"`maintenance.remove` maintenance #1", "`maintenance.resume`", "`maintenance.pause`", "`maintenance.edit`", "`maintenance.add`"}},
	})
}

// Vendors and releases (issue 10): `vendor Verisante cadence:13w` without
// support: wiped the support window; `vendor verisante …` renamed the
// vendor to lower case; there was no vendor remove, release edit or
// release remove.
func TestVendorReleaseCorrections(t *testing.T) {
	run(t, []step{
		{desc: "a checklist", as: admin, text: "checklist add review Read the release notes"},
		{desc: "a vendor", as: alice, text: "vendor Verisante cadence:13w support:52w",
			want: []string{"Set Verisante · a release every 13 weeks · each supported 52 weeks after GA."}},
		{desc: "cadence alone keeps the support window and the name's case", as: bob, text: "vendor verisante cadence:26w",
			want: []string{"Set Verisante · a release every 26 weeks · each supported 52 weeks after GA."}, not: []string{"Set verisante"}},
		{desc: "support:none forgets it", as: bob, text: "vendor Verisante cadence:26w support:none",
			want: []string{"Set Verisante · a release every 26 weeks."}, not: []string{"supported"}},
		{desc: "a release under a misspelt vendor", as: alice, text: "release add Verisnate 2027.1 ga:2027-03-01",
			want: []string{"Recorded `verisnate-2027.1` Verisnate 2027.1", "and 1 checklist task"}},
		{desc: "the misspelt vendor", as: alice, text: "vendor Verisnate cadence:13w"},
		{desc: "renaming onto another vendor", as: alice, text: "vendor rename verisnate Verisante", fail: true,
			want: []string{"There is already a vendor called Verisante."}},
		{desc: "removing an unused vendor", as: alice, text: "vendor remove verisante",
			want: []string{"Removed vendor Verisante; the forecast no longer counts it."}},
		{desc: "renaming, with its release", as: alice, text: "vendor rename verisnate Verisante",
			want: []string{"Renamed vendor verisnate to Verisante. Its release follows (its key stays)."}},
		{desc: "removing a vendor in use", as: alice, text: "vendor remove verisante", fail: true,
			want: []string{"Verisante has 1 release (`verisnate-2027.1`), so it stays: the forecast reads them."}},
		{desc: "release edit, key first", as: bob, text: "release verisnate-2027.1 edit ga:2027-03-15 support:2028-03-15",
			want: []string{"Changed `verisnate-2027.1` Verisante 2027.1 · GA Mon 15 Mar 2027 (in 109 days) · support until Wed 15 Mar 2028."}},
		{desc: "support before GA", as: bob, text: "release edit verisnate-2027.1 support:2027-01-01", fail: true,
			want: []string{"support ends (2027-01-01) before GA (2027-03-15)"}},
		{desc: "unknown release", as: bob, text: "release remove nope-1", fail: true,
			want: []string{"There is no release nope-1; `/upgrade releases all` lists them."}},
		{desc: "work on it keeps it", as: bob, text: "add Call the vendor release:verisnate-2027.1"},
		{desc: "refused, saying why", as: bob, text: "release remove verisnate-2027.1", fail: true,
			want: []string{"Release `verisnate-2027.1` has 1 open task someone added or worked on (#2), so it stays: `release remove` only takes back a release nothing was done on. " +
				"Correct its dates with `/upgrade release edit verisnate-2027.1 ga:<date> support:<date>`; cancel open tasks that were never meant for it first."}},
		{desc: "the task cancelled", as: bob, text: "cancel 2"},
		{desc: "removed", as: bob, text: "release remove verisnate-2027.1",
			want: []string{"Removed release `verisnate-2027.1` (Verisante 2027.1) and cancelled its checklist task #1, which nobody had touched. Its history stays in the audit trail (`/upgrade audit`); the key verisnate-2027.1 is free again."}},
		{desc: "the vendor can go now", as: alice, text: "vendor remove Verisante", want: []string{"Removed vendor Verisante"}},
	})
}

// Decisions (issue 10): `withdraw 9` was unknown and `cancel 9 asked by
// mistake`, meant for decision #9, was answered about task #9; an owner
// change left pending decisions waiting on the former owner.
func TestDecisionCorrections(t *testing.T) {
	run(t, []step{
		{desc: "an owner", as: admin, text: "owner @olga", want: []string{"<@U0OWNER> is now the decision owner. Every decision goes to them."},
			not: []string{"went to them"}},
		{desc: "a decision", as: alice, text: `decide "Upgrade the scanners?"`, want: []string{"Decision #1 sent to <@U0OWNER>"}},
		{desc: "someone else's", as: bob, text: "withdraw D1", fail: true,
			want: []string{"Only <@U0ALICE>, who asked decision D1, can withdraw it."}, sent: []string{}},
		{desc: "cancel is for tasks", as: alice, text: "cancel D1 asked by mistake", fail: true,
			want: []string{"`cancel` closes a task; to take back decision D1 write `withdraw D1`."}, sent: []string{}},
		{desc: "withdrawn", as: alice, text: "withdraw D1 asked by mistake",
			want: []string{"Withdrew decision D1: Upgrade the scanners? The request to <@U0OWNER> now says so: nothing to answer."},
			sent: []string{"update U0OWNER: *Decision #1* requested by <@U0ALICE>:\n>Upgrade the scanners?\nWithdrawn by <@U0ALICE>, who asked it: asked by mistake. Nothing to answer."}},
		{desc: "withdrawn twice", as: alice, text: "withdraw 1", fail: true, want: []string{"Decision #1 was already withdrawn by <@U0ALICE>"}},
		{desc: "the owner cannot answer it", as: owner, text: "approve D1", fail: true, want: []string{"already withdrawn"}},
		{desc: "listed as withdrawn", as: alice, text: "decisions all", want: []string{"#1 Upgrade the scanners? · asked by <@U0ALICE> · withdrawn by <@U0ALICE>"}},
		{desc: "another", as: alice, text: `decide "Buy scanner licences?"`},
		{desc: "and another", as: bob, text: `decide "Extend the freeze?"`},
		{desc: "a new owner gets them", as: admin, text: "owner @dev",
			want: []string{"<@U0DELEG> is now the decision owner. Every decision goes to them. 2 pending decisions went to them (D2, D3): each former request now says where it went, and the requesters have been told."},
			sent: []string{"dm U0DELEG: *Decision #2* requested by <@U0ALICE>", "update U0OWNER: *Decision #2* requested by <@U0ALICE>:\n>Buy scanner licences?\nMoved to <@U0DELEG>: the decision owner changed.",
				"dm U0DELEG: *Decision #3* requested by <@U0BOB>", "update U0OWNER: *Decision #3*",
				"dm U0ALICE: <@U0ADMIN> made <@U0DELEG> the decision owner, so your pending decisions went to them:\n• D2 Buy scanner licences?",
				"dm U0BOB: <@U0ADMIN> made <@U0DELEG> the decision owner, so your pending decisions went to them:\n• D3 Extend the freeze?"}},
		{desc: "the former owner no longer answers", as: owner, text: "approve D2", fail: true},
		{desc: "the new one does", as: deleg, text: "approve D2", want: []string{"Approved decision #2"}},
		{desc: "the same owner again moves nothing", as: admin, text: "owner @dev", not: []string{"went to them"}, sent: []string{}},
	})
}
