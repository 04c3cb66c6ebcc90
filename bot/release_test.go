package bot_test

import "testing"

// TestReleaseBoard: one release on one page, and every release with where
// it is in the cycle.
func TestReleaseBoard(t *testing.T) {
	run(t, []step{
		{desc: "owner", as: admin, text: "owner <@U0OWNER>"},
		{desc: "cadence", as: admin, text: "vendor Verisante cadence:13w support:52w"},
		{desc: "a checklist", as: admin, text: "checklist add build Build the interfaces est:4h"},
		{desc: "release", as: alice, text: "release add Verisante 2026.3 ga:2026-09-01"},
		{desc: "a note item", as: alice, text: `release verisante-2026.3 item defer "New MAR layout" nursing sign-off first`},
		{desc: "review", as: alice, text: "release verisante-2026.3 phase review start 2026-10-01"},
		{desc: "review gate", as: alice, text: "release verisante-2026.3 phase review done 2026-10-20", want: []string{"(decision #1)"}},
		{desc: "the board", as: bob, text: "release verisante-2026.3", want: []string{
			"*`verisante-2026.3`* Verisante 2026.3 · in review since Thu 1 Oct 2026",
			"GA Tue 1 Sep 2026 · support until Tue 31 Aug 2027 (52 weeks after GA, the vendor's window)",
			"*Gate waiting*: closing review (D1), asked by <@U0ALICE>, waiting on <@U0OWNER>",
			"• review · Thu 1 Oct 2026 – Thu 15 Oct 2026 · started Thu 1 Oct 2026 (*42 days past its planned end*)",
			"• build · not planned · not started",
			"*Open work* (1): `/upgrade list release:verisante-2026.3`",
			"• build (1): #1 Build the interfaces",
			"*Release notes*: 1 defer (`/upgrade release verisante-2026.3 items`)",
			"*Forecast go-live*: Thu 25 Feb 2027, at Verisante's pace: cycle 15 weeks (the team's phase lengths).",
		}},
		{desc: "an unknown key", as: bob, text: "release verisante-2099.1", fail: true, want: []string{"There is no release verisante-2099.1"}},
		{desc: "releases with their phase", as: bob, text: "releases", want: []string{
			"`verisante-2026.3` Verisante 2026.3 · GA Tue 1 Sep (86 days ago) · in review since Thu 1 Oct 2026 · *behind* · gate for review waiting (D1)",
			"`/upgrade release <key>` shows one on a page.",
		}},
	})
}
