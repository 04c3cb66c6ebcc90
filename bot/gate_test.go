package bot_test

import "testing"

// TestPhaseGateCommands closes phases through the decision owner: anyone
// else's `phase ... done` is a gate decision, checked before it is sent,
// and approving it records the phase done; rejecting leaves it open.
func TestPhaseGateCommands(t *testing.T) {
	const gate = "Gate: close the build phase of `medcore-2027.1` (MedCore 2027.1) on Mon 30 Nov 2026 so test can start?"
	run(t, []step{
		{desc: "release", as: alice, text: "release add MedCore 2027.1 ga:2026-10-01"},
		{desc: "build starts", as: alice, text: "release medcore-2027.1 phase build start 2026-11-02", sent: none},
		{desc: "no owner to ask", as: alice, text: "release medcore-2027.1 phase build done 2026-11-30", fail: true,
			want: []string{"No decision owner is set", "`/upgrade owner @name`"}, sent: none},
		{desc: "owner set", as: admin, text: "owner <@U0OWNER>"},

		{desc: "a non-owner asks", as: alice, text: "release medcore-2027.1 phase build done 2026-11-30",
			want: []string{"Asked <@U0OWNER> to approve closing the build phase of `medcore-2027.1` (decision #1). It is recorded done when approved."},
			not:  []string{"Done:"},
			sent: []string{"dm U0OWNER: *Decision #1* requested by <@U0ALICE>:\n>" + gate}},
		{desc: "asked twice", as: bob, text: "release medcore-2027.1 phase build done", fail: true,
			want: []string{"already waits on <@U0OWNER>: decision #1"}, sent: none},
		{desc: "checked before asking", as: alice, text: "release medcore-2027.1 phase test done", fail: true,
			want: []string{"The test phase of medcore-2027.1 has not started"}, sent: none},
		{desc: "a day before the start", as: bob, text: "release medcore-2027.1 phase build done 2026-10-30", fail: true,
			want: []string{"started on Mon 2 Nov 2026"}, sent: none},
		{desc: "waits like any decision", as: bob, text: "decisions", want: []string{"#1 Gate: close the build phase", "waiting on <@U0OWNER>"}},
		{desc: "only the owner approves", as: alice, text: "approve 1", fail: true, want: []string{"Only the decision owner <@U0OWNER>"}, sent: none},
		{desc: "the owner approves", as: owner, text: "approve 1 signed off",
			want: []string{"Approved decision #1", "<@U0ALICE> has been told.", "The build phase of `medcore-2027.1` is recorded done on Mon 30 Nov 2026."},
			sent: []string{"update U0OWNER: *Decision #1*", "dm U0ALICE: Decision #1 approved by <@U0OWNER>: signed off", "post C0TEAM: Decision #1 approved"}},
		{desc: "closed by the gate", as: owner, text: "release medcore-2027.1 phase build done", fail: true,
			want: []string{"was already done on Mon 30 Nov 2026"}},
		{desc: "audited", as: alice, text: "audit", want: []string{"<@U0OWNER> `release.phase` release", "<@U0OWNER> `decision.approve` decision D1", "<@U0ALICE> `decision.request` decision D1"}},

		{desc: "test starts", as: bob, text: "release medcore-2027.1 phase test start 2026-11-30"},
		{desc: "test gate", as: bob, text: "release medcore-2027.1 phase test done 2026-12-18", want: []string{"(decision #2)"}},
		{desc: "the owner rejects", as: owner, text: "reject 2 two defects still open",
			want: []string{"Rejected decision #2", "The test phase of `medcore-2027.1` stays open."},
			sent: []string{"update U0OWNER", "dm U0BOB: Decision #2 rejected by <@U0OWNER>: two defects still open", "post C0TEAM"}},
		{desc: "the owner closes it at once", as: owner, text: "release medcore-2027.1 phase test done 2026-12-18",
			want: []string{"Done: the test phase of `medcore-2027.1` on Fri 18 Dec 2026"}, sent: none},

		{desc: "the owner goes away", as: owner, text: "away today..fri delegate:<@U0DELEG>"},
		{desc: "train starts", as: alice, text: "release medcore-2027.1 phase train start 2026-12-18"},
		{desc: "the delegate is asked", as: alice, text: "release medcore-2027.1 phase train done 2027-01-08",
			want: []string{"Asked <@U0DELEG>, the delegate while <@U0OWNER> is away until tomorrow, to approve closing the train phase"},
			sent: []string{"dm U0DELEG: *Decision #3*"}},
		{desc: "the delegate approves", as: deleg, text: "approve 3",
			want: []string{"The train phase of `medcore-2027.1` is recorded done on Fri 8 Jan 2027."}},
		{desc: "the delegate closes go-live", as: deleg, text: "release medcore-2027.1 phase go-live start 2027-01-11"},
		{desc: "go-live gate", as: bob, text: "release medcore-2027.1 phase go-live done 2027-01-15", want: []string{"(decision #4)"},
			sent: []string{"so the release is live?"}},
	})
}
