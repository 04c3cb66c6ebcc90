package bot_test

import "testing"

// TestPhasePlanCommands: an admin sets the team's own phases with `config
// phases`; phases are then read against them, planned with their lengths,
// gated in their order, and the release is live when the last is done.
func TestPhasePlanCommands(t *testing.T) {
	run(t, []step{
		{desc: "default phases shown", as: alice, text: "config", want: []string{
			"`phases` review:2w,build:4w,test:5w,train:3w,go-live:1w (the last is the go-live: a release is live when it is done) · _default_"}},
		{desc: "help config", as: alice, text: "help config", want: []string{
			"`/upgrade config phases review:2w,build:4w,test:5w,train:3w,go-live:1w`",
			"The last phase is the go-live: a release is live when its last phase is done.",
			"dropping or renaming a phase still used",
		}},
		{desc: "non-admin cannot set", as: alice, text: "config phases assess:1w build:4w validate:4w cutover:1w", fail: true,
			want: []string{"Only admins can change settings", "<@U0ADMIN>"}},
		{desc: "one phase is refused", as: admin, text: "config phases go-live:1w", fail: true,
			want: []string{"A cycle has 2 to 10 phases, not 1", "Usage: `/upgrade config phases review:2w"}},
		{desc: "bad length", as: admin, text: "config phases assess:1m build:4w", fail: true, want: []string{"The length of assess", "13w or 91d"}},
		{desc: "bad name", as: admin, text: "config phases as_sess:1w build:4w", fail: true, want: []string{`"as_sess" is not a phase name`}},
		{desc: "admin sets four phases", as: admin, text: "config phases assess:1w, build:4w, validate:4w, cut-over:1w",
			want: []string{"Phases set to assess 1 week · build 4 weeks · validate 4 weeks · cut-over 1 week: a release is live when its cut-over phase is done.",
				"New lengths apply to phases started from now on; phases already planned keep their dates."}},
		{desc: "shown as stored", as: alice, text: "config", want: []string{"`phases` assess:1w,build:4w,validate:4w,cut-over:1w (the last is the go-live"}},

		{desc: "release", as: alice, text: "release add MedCore 2026q4 ga:2026-10-01", want: []string{"Recorded `medcore-2026q4`"}},
		{desc: "a default phase is no longer one", as: alice, text: "release medcore-2026q4 phase review start", fail: true,
			want: []string{`"review" is not a phase; the team's phases are assess, build, validate, cut-over`, "Usage: `/upgrade release phase <key> <phase> start|done"}},
		{desc: "a malformed one is refused by the parser", as: alice, text: "release medcore-2026q4 phase as_sess start", fail: true,
			want: []string{`"as_sess" is not a phase name`}},
		{desc: "the team's phase starts, planned with its length", as: alice, text: "release medcore-2026q4 phase validate start 2026-11-02",
			want: []string{"Started the validate phase of `medcore-2026q4` on Mon 2 Nov 2026 (planned to end Mon 30 Nov 2026)."}},
		{desc: "checklist in a phase not the team's", as: admin, text: "checklist add test Run the scripts", fail: true,
			want: []string{`"test" is not a phase; the team's phases are assess, build, validate, cut-over`, "Usage: `/upgrade checklist add"}},
		{desc: "checklist in the team's phase", as: admin, text: "checklist add validate Run the scripts", want: []string{"Added to the validate phase"}},

		{desc: "owner", as: admin, text: "owner <@U0OWNER|olga>", want: []string{"now the decision owner"}},
		{desc: "gate names the next phase", as: alice, text: "release medcore-2026q4 phase validate done 2026-11-20",
			want: []string{"to approve closing the validate phase"}, sent: []string{"so cut-over can start?"}},
		{desc: "cut-over waits for the validate gate", as: alice, text: "release medcore-2026q4 phase cutover start 2026-11-23", fail: true,
			want: []string{"The cut-over phase of medcore-2026q4 cannot start yet: the gate closing validate (decision D1) still waits on <@U0OWNER>."}, sent: none},
		{desc: "the owner starts it anyway (dash optional)", as: owner, text: "release medcore-2026q4 phase cutover start 2026-11-23",
			want: []string{"Started the cut-over phase", "planned to end Mon 30 Nov 2026", "while the gate closing validate (D1) still waits: recorded in the audit trail as an override"}},
		{desc: "the override is audited", as: alice, text: "audit release medcore-2026q4", want: []string{"<@U0OWNER> `release.phase.override` release #1: override = cut-over started while the gate closing validate (D1) waits"}},
		{desc: "gate on the last phase", as: alice, text: "release medcore-2026q4 phase cut-over done 2026-11-25",
			sent: []string{"so the release is live?"}},
		{desc: "the last phase done: live", as: owner, text: "release medcore-2026q4 phase cut-over done 2026-11-25",
			want: []string{"Done: the cut-over phase of `medcore-2026q4`", "The release is live."}},

		{desc: "a used name cannot be dropped", as: admin, text: "config phases assess:1w build:4w test:4w cut-over:1w", fail: true,
			want: []string{"validate is used by 1 recorded release phase, 1 checklist item and 1 pending gate decision; keep the name."}},
		{desc: "nothing changed", as: alice, text: "config", want: []string{"`phases` assess:1w,build:4w,validate:4w,cut-over:1w"}},
		{desc: "re-timing and adding are allowed", as: admin, text: "config phases assess:1w build:4w validate:3w train:1w cut-over:2d",
			want: []string{"Phases set to assess 1 week · build 4 weeks · validate 3 weeks · train 1 week · cut-over 2 days"}},
	})
}
