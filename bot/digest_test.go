package bot_test

import "testing"

func TestDigestCommand(t *testing.T) {
	run(t, []step{
		{desc: "nothing to report: the all-clear", as: alice, text: "digest",
			want: []string{"_The digest as it would be posted in <#C0TEAM> now. An admin posts it with `/upgrade digest now`._",
				"*All clear* for Thu 26 Nov", "Open work: 0 tasks."}, sent: none},
		{desc: "an overdue task", as: bob, text: "add Late thing due:2026-11-01 <@U0ALICE|alice> prio:high", sent: []string{"dm U0ALICE"}},
		{desc: "a task due this week", as: bob, text: "add Soon thing due:tue", sent: []string{}},
		{desc: "a task due later", as: bob, text: "add Later thing due:2027-01-10", sent: []string{}},
		{desc: "a release coming", as: bob, text: "release add MedCore 2027.1 ga:2027-01-20 support:2028-07-20", sent: []string{}},
		{desc: "the preview", as: alice, text: "digest",
			// Issue 15: the summary first, plain names, the year only
			// when it is not this year's.
			want: []string{"*Upgrade digest · Thu 26 Nov: 1 overdue · 1 due within 7 days · 1 vendor release coming*",
				"*Overdue (1)*\n• #1 Late thing · alice · 25 days overdue · high",
				"*Due in the next 7 days (1)*\n• #2 Soon thing · unassigned · due Tue 1 Dec",
				"*Vendor releases, next 90 days (1)*\n• `medcore-2027.1` MedCore 2027.1 · GA Wed 20 Jan 2027 (in 55 days) · support ends Thu 20 Jul 2028",
				"Open work: 3 tasks."},
			not: []string{"Later thing", "Decisions waiting", "All clear"}, sent: none},
		{desc: "posting is for admins, who are named", as: alice, text: "digest now", fail: true,
			want: []string{"Only admins can post the digest. Admins: <@U0ADMIN>.", "`/upgrade digest`"}, sent: none},
		{desc: "an admin posts it", as: admin, text: "digest now", want: []string{"Posting the digest in <#C0TEAM> now."},
			sent: []string{"post C0TEAM: Upgrade digest · Thu 26 Nov: 1 overdue · 1 due within 7 days · 1 vendor release coming"}},
		{desc: "digest takes no other word", as: admin, text: "digest tomorrow", fail: true, want: []string{"Usage: `/upgrade digest [now]`"}, sent: none},
		{desc: "help knows it", as: alice, text: "help digest", want: []string{"`/upgrade digest [now]`", "(admin)"}},
	})
}

// TestDigestForecast reads the vendors, releases and phases from the store
// with the rest of the digest and shows one forecast line per vendor with
// a cadence.
func TestDigestForecast(t *testing.T) {
	run(t, []step{
		{desc: "a release without a cadence", as: bob, text: "release add MedCore 2026.2 ga:2026-05-15", sent: []string{}},
		{desc: "an overdue task", as: bob, text: "add Late thing due:2026-11-01", sent: []string{}},
		{desc: "no cadence, no forecast", as: alice, text: "digest", want: []string{"*Overdue (1)*"}, not: []string{"Forecast"}, sent: none},
		{desc: "a cadence", as: alice, text: "vendor MedCore cadence:13w support:52w"},
		{desc: "a phase started", as: bob, text: "release medcore-2026.2 phase review start 2026-06-01"},
		// Issue 15: in plain words, and shown on a Thursday because it
		// changed since the day before (the release was recorded today).
		{desc: "the forecast line", as: alice, text: "digest",
			want: []string{"Open work: 1 task.\n*Forecast*\n• MedCore: 3 releases behind, next go-live `medcore-2026.2` Thu 25 Feb 2027; falling behind by about one release every 22 months; out of support from Sat 15 May 2027."}, sent: none},
	})
}
