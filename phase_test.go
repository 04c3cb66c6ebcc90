package upgradebot_test

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

func TestParsePhasePlan(t *testing.T) {
	for _, tc := range []struct {
		desc, in string
		want     string // canonical form; "" means refused
		err      string // part of the refusal
	}{
		{desc: "the default", in: "review:2w,build:4w,test:5w,train:3w,go-live:1w", want: "review:2w,build:4w,test:5w,train:3w,go-live:1w"},
		{desc: "spaces, days, upper case", in: "  Assess:10d  build:28d,, validate:3d\tcut-over:7d ", want: "assess:10d,build:4w,validate:3d,cut-over:1w"},
		{desc: "two phases", in: "do:1d live:1d", want: "do:1d,live:1d"},
		{desc: "ten phases", in: "a:1d b:1d c:1d d:1d e:1d f:1d g:1d h:1d i:1d j:1d", want: "a:1d,b:1d,c:1d,d:1d,e:1d,f:1d,g:1d,h:1d,i:1d,j:1d"},
		{desc: "a year", in: "a:366d b:52w", want: "a:366d,b:52w"},
		{desc: "empty", in: "", err: "2 to 10 phases, not 0"},
		{desc: "one phase", in: "go-live:1w", err: "2 to 10 phases, not 1"},
		{desc: "eleven phases", in: "a:1d b:1d c:1d d:1d e:1d f:1d g:1d h:1d i:1d j:1d k:1d", err: "not 11"},
		{desc: "no length", in: "review build:4w", err: `"review" is not a phase and its length`},
		{desc: "bad length", in: "review:2m build:4w", err: "the length of review"},
		{desc: "zero length", in: "review:0d build:4w", err: "the length of review"},
		{desc: "over a year", in: "review:367d build:4w", err: "1 day to 1 year"},
		{desc: "over a year in weeks", in: "review:53w build:4w", err: "1 day to 1 year"},
		{desc: "bad name", in: "re_view:2w build:4w", err: "not a phase name"},
		{desc: "empty name", in: ":2w build:4w", err: "not a phase name"},
		{desc: "long name", in: strings.Repeat("a", 21) + ":2w build:4w", err: "not a phase name"},
		{desc: "non-ASCII name", in: "révision:2w build:4w", err: "not a phase name"},
		{desc: "twice", in: "build:2w Build:4w", err: "named twice"},
		{desc: "twins but for dashes", in: "review:1w go-live:1w golive:1w", err: "differ only by dashes"},
		{desc: "dashes only", in: "-:1w --:1w a:1w", err: "not a phase name"},
		{desc: "leading dash", in: "-review:1w build:1w", err: "not a phase name"},
	} {
		plan, err := upgradebot.ParsePhasePlan(tc.in)
		if tc.want == "" {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(err), tc.err) {
				t.Errorf("%s: ParsePhasePlan(%q) = %v, %v; want EINVALID with %q", tc.desc, tc.in, plan, err, tc.err)
			}
			continue
		}
		if err != nil || plan.String() != tc.want {
			t.Errorf("%s: ParsePhasePlan(%q) = %q, %v; want %q", tc.desc, tc.in, plan, err, tc.want)
			continue
		}
		if again, err := upgradebot.ParsePhasePlan(plan.String()); err != nil || again.String() != tc.want {
			t.Errorf("%s: String() does not read back: %q, %v", tc.desc, again, err)
		}
	}
}

func TestPhasePlanMethods(t *testing.T) {
	def := upgradebot.DefaultPhasePlan()
	if def.String() != "review:2w,build:4w,test:5w,train:3w,go-live:1w" || def.Validate() != nil {
		t.Errorf("DefaultPhasePlan() = %q, %v", def, def.Validate())
	}
	if def.Names() != "review, build, test, train, go-live" || def.Last() != upgradebot.PhaseGoLive {
		t.Errorf("Names() = %q, Last() = %q", def.Names(), def.Last())
	}
	plan, err := upgradebot.ParsePhasePlan("assess:1w build:4w validate:4w cut-over:1w")
	if err != nil {
		t.Fatal(err)
	}
	if plan.Human() != "assess 1 week · build 4 weeks · validate 4 weeks · cut-over 1 week" {
		t.Errorf("Human() = %q", plan.Human())
	}
	for _, tc := range []struct {
		p     upgradebot.Phase
		index int
		days  int
		next  upgradebot.Phase // "" for none
	}{
		{"assess", 0, 7, "build"},
		{"build", 1, 28, "validate"},
		{"cut-over", 3, 7, ""},
		{"review", -1, 0, ""},
		{"", -1, 0, ""},
	} {
		next, ok := plan.Next(tc.p)
		if plan.Index(tc.p) != tc.index || plan.Has(tc.p) != (tc.index >= 0) || plan.Days(tc.p) != tc.days || next != tc.next || ok != (tc.next != "") {
			t.Errorf("%q: Index %d, Has %v, Days %d, Next %q %v; want %d, %d, %q",
				tc.p, plan.Index(tc.p), plan.Has(tc.p), plan.Days(tc.p), next, ok, tc.index, tc.days, tc.next)
		}
	}
	for _, tc := range []struct {
		plan upgradebot.PhasePlan
		in   string
		want upgradebot.Phase // "" means refused
	}{
		{def, "go-live", upgradebot.PhaseGoLive},
		{def, "golive", upgradebot.PhaseGoLive},
		{def, " Go Live ", upgradebot.PhaseGoLive},
		{def, "GO-LIVE", upgradebot.PhaseGoLive},
		{def, "Review", upgradebot.PhaseReview},
		{def, "deploy", ""},
		{def, "", ""},
		{def, "-", ""},
		{plan, "cutover", "cut-over"},
		{plan, "cut over", "cut-over"},
		{plan, "validate", "validate"},
		{plan, "test", ""},
		{plan, "go-live", ""},
	} {
		got, err := tc.plan.Parse(tc.in)
		if tc.want == "" {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(err), "the team's phases are "+tc.plan.Names()) {
				t.Errorf("%s.Parse(%q) = %q, %v; want EINVALID listing the phases", tc.plan, tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s.Parse(%q) = %q, %v; want %q", tc.plan, tc.in, got, err, tc.want)
		}
	}
	// Names that differ only by dashes cannot share a plan: "golive" would
	// mean one phase or the other depending on what else the plan holds.
	if _, err := upgradebot.ParsePhasePlan("golive:1w go-live:1w"); upgradebot.ErrorCode(err) != upgradebot.EINVALID ||
		!strings.Contains(upgradebot.ErrorMessage(err), "differ only by dashes") {
		t.Errorf("golive and go-live in one plan: %v, want EINVALID", err)
	}
}

func TestParsePhaseName(t *testing.T) {
	for in, want := range map[string]upgradebot.Phase{
		"build": "build", " Go Live ": "go-live", "phase-2": "phase-2", "golive": "golive",
		"": "", "re_view": "", "über": "", strings.Repeat("x", 21): "", "a/b": "",
	} {
		got, err := upgradebot.ParsePhaseName(in)
		if want == "" {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Errorf("ParsePhaseName(%q) = %q, %v; want EINVALID", in, got, err)
			}
			continue
		}
		if err != nil || got != want || !upgradebot.ValidPhaseName(got) {
			t.Errorf("ParsePhaseName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestReleasePhaseRecordPlan(t *testing.T) {
	plan, _ := upgradebot.ParsePhasePlan("assess:10d cutover:1w")
	p := &upgradebot.ReleasePhase{Release: "medcore-2026q4", Phase: "assess"}
	if err := p.Record(plan, upgradebot.PhaseStart, d("2026-11-02")); err != nil || p.PlannedEnd != d("2026-11-12") {
		t.Errorf("start: planned end %s, %v; want 2026-11-12", p.PlannedEnd, err)
	}
	// A phase already planned keeps its dates when the lengths change.
	longer, _ := upgradebot.ParsePhasePlan("assess:20d cutover:1w")
	q := &upgradebot.ReleasePhase{Release: "medcore-2026q4", Phase: "assess", PlannedStart: d("2026-11-02"), PlannedEnd: d("2026-11-12")}
	if err := q.Record(longer, upgradebot.PhaseStart, d("2026-11-03")); err != nil || q.PlannedEnd != d("2026-11-12") {
		t.Errorf("start of a planned phase: planned end %s, %v", q.PlannedEnd, err)
	}
	r := &upgradebot.ReleasePhase{Release: "medcore-2026q4", Phase: upgradebot.PhaseReview}
	if err := r.Record(plan, upgradebot.PhaseStart, d("2026-11-02")); upgradebot.ErrorCode(err) != upgradebot.EINVALID ||
		!strings.Contains(upgradebot.ErrorMessage(err), "assess, cutover") {
		t.Errorf("phase not in the plan: %v, want EINVALID listing assess, cutover", err)
	}
}

func TestNewGatePlan(t *testing.T) {
	plan, _ := upgradebot.ParsePhasePlan("assess:1w build:4w cutover:1w")
	r := &upgradebot.Release{ID: 1, Key: "medcore-2027.1", Vendor: "MedCore", Name: "2027.1"}
	if q := upgradebot.NewGate(plan, r, "build", d("2026-11-30"), 0).Question; !strings.HasSuffix(q, "so cutover can start?") {
		t.Errorf("build gate: %q", q)
	}
	if q := upgradebot.NewGate(plan, r, "cutover", d("2026-11-30"), 0).Question; !strings.HasSuffix(q, "so the release is live?") {
		t.Errorf("cutover gate: %q", q)
	}
	if q := upgradebot.NewGate(upgradebot.DefaultPhasePlan(), r, upgradebot.PhaseTrain, d("2026-11-30"), 0).Question; !strings.HasSuffix(q, "so go-live can start?") {
		t.Errorf("default train gate: %q", q)
	}
	if q := upgradebot.NewGate(plan, r, "build", d("2026-11-30"), 3).Question; !strings.HasSuffix(q, "so cutover can start? 3 build tasks are still open.") {
		t.Errorf("build gate with open tasks: %q", q)
	}
}
