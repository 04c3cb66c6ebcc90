package bot_test

import "testing"

// TestForecastCommands is the example of issue 5 typed in: a 13-week
// cadence, a 15-week cycle recorded phase by phase, one upgrade at a time.
func TestForecastCommands(t *testing.T) {
	steps := []step{
		{desc: "owner closes phases", as: admin, text: "owner <@U0OWNER>"},
		{desc: "no vendors", as: alice, text: "vendor", want: []string{"*Vendors*: none"}},
		{desc: "forecast without vendors", as: alice, text: "forecast", want: []string{"No vendor has a cadence yet"}},
		{desc: "set cadence", as: alice, text: "vendor MedCore cadence:13w support:52w",
			want: []string{"Set MedCore · a release every 13 weeks · each supported 52 weeks after GA"}, sent: none},
		{desc: "months refused", as: alice, text: "vendor MedCore cadence:3m", fail: true, want: []string{"13w"}},
		{desc: "q2", as: alice, text: "release add MedCore 2026q2 ga:2026-06-04"},
		{desc: "q3", as: alice, text: "release add MedCore 2026q3 ga:2026-09-03"},
		{desc: "q4", as: alice, text: "release add MedCore 2026q4 ga:2026-12-03"},
		{desc: "unknown release", as: alice, text: "release nope phase review start", fail: true, want: []string{"no release nope"}},
		{desc: "done before start", as: alice, text: "release medcore-2026q2 phase review done", fail: true, want: []string{"has not started"}},
	}
	for _, ph := range []struct{ phase, from, to string }{
		{"review", "2026-08-06", "2026-08-20"},
		{"build", "2026-08-20", "2026-09-17"},
		{"test", "2026-09-17", "2026-10-22"},
		{"train", "2026-10-22", "2026-11-12"},
		{"go-live", "2026-11-12", "2026-11-19"},
	} {
		steps = append(steps,
			step{desc: ph.phase + " start", as: bob, text: "release medcore-2026q2 phase " + ph.phase + " start " + ph.from,
				want: []string{"Started the " + ph.phase + " phase of `medcore-2026q2`"}, sent: none},
			step{desc: ph.phase + " done", as: owner, text: "release phase medcore-2026q2 " + ph.phase + " done " + ph.to,
				want: []string{"Done: the " + ph.phase + " phase of `medcore-2026q2`"}})
	}
	steps = append(steps,
		step{desc: "started twice", as: bob, text: "release medcore-2026q2 phase review start", fail: true, want: []string{"already started on Thu 6 Aug 2026"}},
		step{desc: "forecast", as: alice, text: "forecast", want: []string{
			"· 1 upgrade at a time (measured)",
			"cycle 15 weeks (measured from 5 completed phases) · live on `medcore-2026q2`",
			"Behind today: 1 (`medcore-2026q3`)",
			"`medcore-2026q3` Thu 11 Mar 2027 · `medcore-2026q4` Thu 24 Jun 2027",
			"one more release behind every 6.5 cycles (about 98 weeks): even right after a go-live you will be 3 behind from Thu 30 Nov 2028, 4 from Thu 5 Dec 2030",
			"out of the vendor's support window from Fri 2 Mar 2029",
			"shorten the cycle to 13 weeks to keep pace",
			"run 2 upgrades at once",
		}},
		step{desc: "audited", as: alice, text: "audit", want: []string{"`release.phase` release", "`vendor.set` vendor"}},
	)
	run(t, steps)
}
