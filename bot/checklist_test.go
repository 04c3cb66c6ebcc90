package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot/bot"
)

// TestChecklistCommands: an admin writes the release checklist, a new
// release gets it as tasks, the team logs its verdicts on the release
// notes, and a deferred item comes back in the vendor's next release.
func TestChecklistCommands(t *testing.T) {
	run(t, []step{
		{desc: "empty template", as: alice, text: "checklist", want: []string{"*Release checklist*: empty", "checklist add <phase> <title>"}},
		{desc: "non-admin refused", as: alice, text: "checklist add review Read the notes", fail: true,
			want: []string{"Only admins can change the release checklist", "<@U0ADMIN>"}},
		{desc: "bad phase", as: admin, text: "checklist add deploy Push it", fail: true, want: []string{`"deploy" is not a phase`, "Usage: `/upgrade checklist add"}},
		{desc: "add review", as: admin, text: `checklist add review "Read the release notes and log each item" est:4h`,
			want: []string{"Added to the review phase of the release checklist: 1. Read the release notes and log each item · est 4h."}, sent: none},
		{desc: "add test", as: admin, text: "checklist add test Run the regression scripts est:2d", want: []string{"2. Run the regression scripts · est 16h"}},
		{desc: "add build", as: admin, text: "checklist add build Build the adopted changes", want: []string{"3. Build the adopted changes."}},
		{desc: "add train", as: admin, text: "checklist add train Print the binders", want: []string{"4. Print the binders"}},
		{desc: "template by phase", as: bob, text: "checklist share", want: []string{
			"*Release checklist* (4): every new release gets these as tasks",
			"*review*\n• 1. Read the release notes and log each item · est 4h\n*build*\n• 3. Build the adopted changes\n*test*\n• 2. Run the regression scripts · est 16h\n*train*\n• 4. Print the binders",
		}},
		{desc: "non-admin cannot remove", as: alice, text: "checklist remove 4", fail: true, want: []string{"Only admins can change the release checklist"}},
		{desc: "remove", as: admin, text: "checklist remove #4", want: []string{"Removed from the train phase of the release checklist: 4. Print the binders. Releases already recorded keep their task."}},
		{desc: "remove twice", as: admin, text: "checklist remove 4", fail: true, want: []string{"no checklist item 4"}},

		{desc: "release gets the checklist", as: alice, text: "release add MedCore 2026q4 ga:2026-12-03",
			want: []string{"Recorded `medcore-2026q4`", "and 3 checklist tasks. Tag its tasks with `release:medcore-2026q4`."}, sent: none},
		{desc: "its tasks show their phase", as: alice, text: "list release:medcore-2026q4", want: []string{
			"(3)", "#1 Read the release notes and log each item · unassigned · medcore-2026q4 · review · est 4h",
			"#2 Build the adopted changes · unassigned · medcore-2026q4 · build",
		}},
		{desc: "show names the phase", as: alice, text: "show 2", want: []string{"Release: medcore-2026q4 · Ref: none · Phase: build\n"}},

		{desc: "adopt", as: alice, text: `release medcore-2026q4 item adopt "Order set favourites"`,
			want: []string{"Logged on `medcore-2026q4`: *adopt* Order set favourites."}, sent: none},
		{desc: "defer without reason", as: alice, text: `release medcore-2026q4 item defer "New MAR layout"`, fail: true,
			want: []string{"defer needs the reason", `release medcore-2026q4 item defer "New MAR layout" <why>`}},
		{desc: "defer", as: bob, text: `release item medcore-2026q4 defer "New MAR layout" needs nursing sign-off`,
			want: []string{"Logged on `medcore-2026q4`: *defer* New MAR layout — needs nursing sign-off. It comes back in the next release's checklist."}},
		{desc: "not doing", as: alice, text: `release medcore-2026q4 item not doing "Portal themes" we do not license the portal`,
			want: []string{"*not doing* Portal themes — we do not license the portal."}},
		{desc: "logged again changes it", as: alice, text: `release medcore-2026q4 item adopt "new MAR layout"`,
			want: []string{"Changed on `medcore-2026q4` from defer to *adopt*: new MAR layout."}},
		{desc: "and back", as: bob, text: `release medcore-2026q4 item later "New MAR layout" nursing sign-off is in January`,
			want: []string{"Changed on `medcore-2026q4` from adopt to *defer*"}},
		{desc: "unknown release", as: alice, text: "release nope item adopt X", fail: true, want: []string{"No release with key nope"}},
		{desc: "items of an unknown release", as: alice, text: "release nope items", fail: true, want: []string{"no release nope"}},
		{desc: "items by verdict", as: alice, text: "release medcore-2026q4 items", want: []string{
			"*Release notes of `medcore-2026q4`* (3 items)",
			"*Adopt* (1)\n• Order set favourites\n*Defer* (1)\n• New MAR layout — nursing sign-off is in January\n*Not doing* (1)\n• Portal themes — we do not license the portal",
		}, not: []string{"Still deferred"}},

		{desc: "next release revisits the deferred item", as: alice, text: "release add MedCore 2027q1 ga:2027-03-04",
			want: []string{"and 4 checklist tasks (1 deferred item to revisit)."}},
		{desc: "another vendor does not", as: alice, text: "release add LabSys 9 ga:2027-03-04",
			want: []string{"and 3 checklist tasks."}, not: []string{"revisit"}},
		{desc: "the revisit task", as: alice, text: "list release:medcore-2027q1", want: []string{
			"#7 Revisit deferred: New MAR layout (deferred in medcore-2026q4: nursing sign-off is in January) · unassigned · medcore-2027q1 · review",
		}},
		{desc: "carried items", as: alice, text: "release items medcore-2027q1", want: []string{
			"*Release notes of `medcore-2027q1`*: nothing logged yet",
			"*Still deferred from earlier releases* (1)\n• New MAR layout — nursing sign-off is in January · deferred in `medcore-2026q4` by <@U0BOB>",
		}},
		{desc: "decided in the release itself, no longer carried", as: alice, text: `release medcore-2027q1 item adopt "New MAR layout" signed off`,
			want: []string{"Logged on `medcore-2027q1`"}},
		{desc: "carried no more", as: alice, text: "release medcore-2027q1 items", want: []string{"*Adopt* (1)\n• New MAR layout — signed off"},
			not: []string{"Still deferred"}},

		{desc: "a phase starts", as: alice, text: "release medcore-2027q1 phase build start 2027-03-08", want: []string{"planned to end Mon 5 Apr 2027"}},
		{desc: "its tasks are due at its planned end", as: alice, text: "list release:medcore-2027q1", want: []string{
			"#5 Build the adopted changes · unassigned · due Mon 5 Apr 2027 · medcore-2027q1 · build",
			"#6 Run the regression scripts · unassigned · medcore-2027q1 · test · est 16h",
		}},

		{desc: "audited", as: admin, text: "audit", want: []string{
			"`task.due` task #5", "`release.item` release_item #4", "`task.checklist` task #10", "`release.item` release_item #2: decided_by: <@U0ALICE> → <@U0BOB>", "`checklist.remove` checklist #4",
		}},
		{desc: "help", as: alice, text: "help checklist", want: []string{"`/upgrade checklist add <phase> <title> [est:<N>h|<N>d] [vendor:<name>]`", "(admin)"}},
		{desc: "help release", as: alice, text: "help release", want: []string{`release item <key> adopt|defer|skip "<item title>" [reason]`, "release items <key>"}},
	})
}

// TestReleaseItemsLimit: `release items` shows at most 25 items a group,
// then "…and N more", so that every group's heading and count stays in
// the reply, the carried items at the end included.
func TestReleaseItemsLimit(t *testing.T) {
	b, _, _ := newBot(t)
	do := func(text string) string {
		t.Helper()
		r := b.Handle(t.Context(), bot.Request{User: alice, Text: text})
		if r.Failed {
			t.Fatalf("%q failed:\n%s", text, r.Text)
		}
		return r.Text
	}
	do("release add MedCore 2026q4 ga:2026-12-03")
	for i := 1; i <= 27; i++ {
		do(fmt.Sprintf(`release medcore-2026q4 item defer "Deferred %02d" not this time`, i))
	}
	do("release add MedCore 2027q1 ga:2027-03-04")
	for i := 1; i <= 30; i++ {
		do(fmt.Sprintf(`release medcore-2027q1 item adopt "Adopted %02d"`, i))
	}
	do(`release medcore-2027q1 item not doing "Portal themes" we do not license the portal`)

	got := do("release medcore-2027q1 items")
	for _, want := range []string{
		"*Release notes of `medcore-2027q1`* (31 items)",
		"*Adopt* (30)\n• Adopted",
		"\n…and 5 more.\n*Not doing* (1)\n• Portal themes — we do not license the portal",
		"\n*Still deferred from earlier releases* (27)\n• Deferred",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("reply lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "\n…and 2 more.") {
		t.Errorf("reply does not end with the carried items' \"…and 2 more.\":\n%s", got)
	}
	if n := strings.Count(got, "\n• "); n != 25+1+25 {
		t.Errorf("reply has %d items, want 51 (25 adopted, 1 not doing, 25 carried):\n%s", n, got)
	}
}

// TestChecklistPerVendor: a vendor with checklist items of its own gets
// only those; a vendor without gets the team's.
func TestChecklistPerVendor(t *testing.T) {
	run(t, []step{
		{desc: "the EHR", as: admin, text: "vendor Verisante cadence:13w"},
		{desc: "the ERP", as: admin, text: "vendor Ledgerly cadence:26w"},
		{desc: "the team's item", as: admin, text: "checklist add test Regression-test the lab, pharmacy and ADT interfaces"},
		{desc: "the ERP's own", as: admin, text: "checklist add test Reconcile the general ledger vendor:ledgerly est:8h",
			want: []string{"Ledgerly's releases recorded from now on get it as a task"}},
		{desc: "an unknown vendor", as: admin, text: "checklist add test Something vendor:nobody", fail: true, want: []string{"No vendor is called nobody"}},
		{desc: "listed apart", as: alice, text: "checklist", want: []string{"*Ledgerly's own* (its releases get these instead)", "Reconcile the general ledger"}},
		{desc: "the EHR release gets the team's", as: alice, text: "release add Verisante 2026.4 ga:2026-12-01", want: []string{"and 1 checklist task"}},
		{desc: "the ERP release gets its own", as: alice, text: "release add Ledgerly 2026.2 ga:2026-12-01", want: []string{"and 1 checklist task"}},
		{desc: "the ERP's tasks", as: alice, text: "list release:ledgerly-2026.2", want: []string{"Reconcile the general ledger"}, not: []string{"ADT interfaces"}},
		{desc: "the EHR's tasks", as: alice, text: "list release:verisante-2026.4", want: []string{"ADT interfaces"}, not: []string{"general ledger"}},
	})
}
