package upgradebot_test

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

func d(s string) upgradebot.Date {
	v, err := upgradebot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// phases records a release's whole cycle from start, each phase taking the
// given days; with live false the go-live is left open.
func phases(id int64, key, start string, live bool, days ...int) []*upgradebot.ReleasePhase {
	var out []*upgradebot.ReleasePhase
	at := d(start)
	for i, ph := range upgradebot.DefaultPhasePlan().Phases() {
		if i >= len(days) {
			break
		}
		p := &upgradebot.ReleasePhase{ReleaseID: id, Release: key, Phase: ph, Start: at}
		at = at.AddDays(days[i])
		if ph != upgradebot.PhaseGoLive || live {
			p.End = at
		}
		out = append(out, p)
	}
	return out
}

// medcore is the example: a 13-week cadence, 2026q2 live after a 15-week
// cycle (2 + 4 + 5 + 3 + 1 weeks), 2026q3 out since September and 2026q4
// due next week.
func medcore() upgradebot.ForecastInput {
	return upgradebot.ForecastInput{
		Today:   d("2026-11-26"),
		Vendors: []*upgradebot.Vendor{{Name: "MedCore", CadenceDays: 91, SupportDays: 364}},
		Releases: []*upgradebot.Release{
			{ID: 1, Key: "medcore-2026q2", Vendor: "MedCore", Name: "2026q2", GA: d("2026-06-04")},
			{ID: 2, Key: "medcore-2026q3", Vendor: "MedCore", Name: "2026q3", GA: d("2026-09-03")},
			{ID: 3, Key: "medcore-2026q4", Vendor: "medcore", Name: "2026q4", GA: d("2026-12-03")},
		},
		Phases: phases(1, "medcore-2026q2", "2026-08-06", true, 14, 28, 35, 21, 7),
	}
}

func TestForecastExample(t *testing.T) {
	f := upgradebot.MakeForecast(medcore())
	t.Log("\n" + f.Text(4))
	if f.Pace.CycleDays != 105 || f.Pace.MeasuredPhases != 5 || f.Pace.AtOnce != 1 || !f.Pace.AtOnceMeasured {
		t.Fatalf("pace = %+v, want 15 weeks measured from 5 phases, 1 at once", f.Pace)
	}
	vf := f.Vendors[0]
	if vf.Live == nil || vf.Live.Key != "medcore-2026q2" {
		t.Fatalf("live = %v, want medcore-2026q2", vf.Live)
	}
	if len(vf.Behind) != 1 || vf.Behind[0].Key != "medcore-2026q3" {
		t.Errorf("behind = %v, want medcore-2026q3", vf.Behind)
	}
	if vf.DriftDays != 14 || vf.CyclesPerRelease != 6.5 {
		t.Errorf("drift %v days, one more behind every %v cycles; want 14 and 6.5", vf.DriftDays, vf.CyclesPerRelease)
	}
	// One upgrade at a time: a go-live every 105 days from today.
	for i, want := range []string{"2027-03-11", "2027-06-24", "2027-10-07", "2028-01-20"} {
		if got := vf.Coming[i].Live.String(); got != want {
			t.Errorf("go-live %d = %s, want %s", i, got, want)
		}
	}
	// The steps are 6.5 cycles apart on average: 13 go-lives make two.
	if len(vf.Steps) != 2 {
		t.Fatalf("steps = %v, want 2", vf.Steps)
	}
	gap := vf.Steps[0].From.DaysUntil(vf.Steps[1].From)
	if gap != 6*105 && gap != 7*105 {
		t.Errorf("steps %v are %d days apart, want 6 or 7 cycles", vf.Steps, gap)
	}
	text := f.Text(4)
	for _, want := range []string{
		"*Forecast* on Thu 26 Nov 2026 · 1 upgrade at a time (measured)",
		"*MedCore* · a release every 13 weeks · cycle 15 weeks (measured from 5 completed phases) · live on `medcore-2026q2`",
		"Behind today: 1 (`medcore-2026q3`)",
		"`medcore-2026q3` Thu 11 Mar 2027 · `medcore-2026q4` Thu 24 Jun 2027 · expected release (GA ~Thu 4 Mar 2027) Thu 7 Oct 2027",
		"each release goes live 2 weeks later after its GA than the one before, one more release behind every 6.5 cycles (about 98 weeks)",
		"shorten the cycle to 13 weeks to keep pace",
		"run 2 upgrades at once",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("forecast lacks %q:\n%s", want, text)
		}
	}
}

func TestForecastSkipToLatest(t *testing.T) {
	in := medcore()
	in.Today = d("2026-12-10") // 2026q4 is out too
	f := upgradebot.MakeForecast(in)
	vf := f.Vendors[0]
	if vf.SkipTo == nil || vf.SkipTo.Key != "medcore-2026q4" || len(vf.Consolidate) != 1 || vf.Consolidate[0].Key != "medcore-2026q3" {
		t.Fatalf("skip to %v consolidating %v, want 2026q4 consolidating 2026q3", vf.SkipTo, vf.Consolidate)
	}
	if vf.SkipLive != d("2027-03-25") {
		t.Errorf("skip goes live %s, want one cycle from today, 2027-03-25", vf.SkipLive)
	}
	text := f.Text(4)
	for _, want := range []string{
		"Behind today: 2 (`medcore-2026q3`, `medcore-2026q4`)",
		"skip to `medcore-2026q4` and consolidate `medcore-2026q3` into it (live Thu 25 Mar 2027)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("forecast lacks %q:\n%s", want, text)
		}
	}
	// Nothing to consolidate with one release out.
	if vf := upgradebot.MakeForecast(medcore()).Vendors[0]; vf.SkipTo != nil {
		t.Errorf("skip to %v with only one release behind", vf.SkipTo)
	}
}

func TestForecastTwoAtOnce(t *testing.T) {
	in := medcore()
	// 2026q3 and 2026q4 overlap their whole cycles with 2026q2's: measured,
	// the team runs two at once.
	in.Phases = append(phases(1, "medcore-2026q2", "2026-06-04", true, 14, 28, 35, 21, 7),
		phases(4, "labsys-9", "2026-06-04", true, 14, 28, 35, 21, 7)...)
	pace := upgradebot.MeasurePace(nil, in.Phases, in.Today)
	if pace.AtOnce != 2 || !pace.AtOnceMeasured || pace.CycleDays != 105 {
		t.Fatalf("pace = %+v, want 2 at once over a 15-week cycle", pace)
	}
	in.Phases = in.Phases[:5]
	in.Pace = pace
	in.Pace.AtOnce = 2
	f := upgradebot.MakeForecast(in)
	vf := f.Vendors[0]
	// 2026q3 starts today, 2026q4 at its GA in the second slot, the next
	// when the first slot frees, the one after at its GA.
	for i, want := range []string{"2027-03-11", "2027-03-18", "2027-06-24", "2027-09-16"} {
		if got := vf.Coming[i].Live.String(); got != want {
			t.Errorf("go-live %d = %s, want %s", i, got, want)
		}
	}
	if vf.DriftDays >= 0 || len(vf.Steps) != 0 || vf.CaughtUp.IsZero() {
		t.Errorf("drift %v, steps %v, caught up %s: want catching up", vf.DriftDays, vf.Steps, vf.CaughtUp)
	}
	if vf.CaughtUp != d("2027-03-18") {
		t.Errorf("caught up %s, want 2027-03-18 (2026q4 started at its GA)", vf.CaughtUp)
	}
	text := f.Text(4)
	if !strings.Contains(text, "2 upgrades at a time") || !strings.Contains(text, "Catching up") {
		t.Errorf("forecast:\n%s", text)
	}
	t.Log("\n" + text)
}

func TestMeasurePaceDefaults(t *testing.T) {
	p := upgradebot.MeasurePace(nil, nil, d("2026-11-26"))
	if p.CycleDays != 105 || p.AtOnce != 1 || p.MeasuredPhases != 0 || p.AtOnceMeasured {
		t.Errorf("pace = %+v, want the default 15 weeks, 1 at once", p)
	}
	// A measured review of 3 weeks replaces the default 2.
	p = upgradebot.MeasurePace(upgradebot.DefaultPhasePlan(), phases(1, "a", "2026-01-01", false, 21), d("2026-11-26"))
	if p.CycleDays != 112 || p.MeasuredPhases != 1 {
		t.Errorf("pace = %+v, want 16 weeks from one measured phase", p)
	}
}

func TestProjectReleases(t *testing.T) {
	in := medcore()
	rs := upgradebot.ProjectReleases(in.Vendors[0], in.Releases, d("2027-06-03"))
	var got []string
	for _, r := range rs {
		got = append(got, r.GA.String())
	}
	want := "2026-06-04 2026-09-03 2026-12-03 2027-03-04 2027-06-03"
	if strings.Join(got, " ") != want {
		t.Errorf("projected GAs = %v, want %s", got, want)
	}
	if rs[3].ID != 0 || rs[3].Name != "expected 2027-03-04" {
		t.Errorf("projected = %+v", rs[3])
	}
}

// TestForecastCustomPlan: a team with its own 4-phase, 10-week cycle is
// forecast with it. Unmeasured, the cycle is the plan's 10 weeks; a
// release is live when its last phase (cutover) is done, and the go-live
// of the default plan means nothing.
func TestForecastCustomPlan(t *testing.T) {
	plan, err := upgradebot.ParsePhasePlan("assess:1w build:4w validate:4w cutover:1w")
	if err != nil {
		t.Fatal(err)
	}
	p := upgradebot.MeasurePace(plan, nil, d("2026-11-26"))
	if p.CycleDays != 70 || p.MeasuredPhases != 0 || len(p.PhaseDays) != 4 || p.PhaseDays["validate"] != 28 {
		t.Fatalf("pace = %+v, want the plan's 10 weeks", p)
	}
	if h := p.Human(); !strings.HasPrefix(h, "cycle 10 weeks (the team's phase lengths)") {
		t.Errorf("Human() = %q", h)
	}
	// One measured assess of 2 weeks replaces the plan's 1; a go-live
	// phase, not in the plan, is not measured.
	rec := func(ph upgradebot.Phase, from, to string) *upgradebot.ReleasePhase {
		return &upgradebot.ReleasePhase{ReleaseID: 1, Release: "medcore-2026q2", Phase: ph, Start: d(from), End: d(to)}
	}
	p = upgradebot.MeasurePace(plan, []*upgradebot.ReleasePhase{
		rec("assess", "2026-01-01", "2026-01-15"), rec(upgradebot.PhaseGoLive, "2026-01-15", "2026-01-16"),
	}, d("2026-11-26"))
	if p.CycleDays != 77 || p.MeasuredPhases != 1 {
		t.Errorf("pace = %+v, want 11 weeks from one measured phase", p)
	}

	in := medcore()
	in.Plan = plan
	in.Phases = []*upgradebot.ReleasePhase{
		rec("assess", "2026-08-06", "2026-08-13"), rec("build", "2026-08-13", "2026-09-10"),
		rec("validate", "2026-09-10", "2026-10-08"), rec("cutover", "2026-10-08", "2026-10-15"),
	}
	f := upgradebot.MakeForecast(in)
	if f.Pace.CycleDays != 70 || f.Pace.MeasuredPhases != 4 {
		t.Fatalf("pace = %+v, want 10 weeks measured from 4 phases", f.Pace)
	}
	vf := f.Vendors[0]
	if vf.Live == nil || vf.Live.Key != "medcore-2026q2" {
		t.Fatalf("live = %v, want medcore-2026q2 (its cutover is done)", vf.Live)
	}
	// 10 weeks a release against a 13-week cadence: catching up.
	if vf.DriftDays != -21 {
		t.Errorf("drift = %v, want -21 days", vf.DriftDays)
	}
	// With the default plan the same phases are not a go-live.
	in.Plan = nil
	if vf := upgradebot.MakeForecast(in).Vendors[0]; vf.Live != nil {
		t.Errorf("default plan: live = %v, want none", vf.Live.Key)
	}
}

// TestForecastCalendarTrue: a go-live the cycle puts on a weekend, a team
// holiday or inside a freeze moves to the first day the team can go live,
// saying why, and the next release's slot starts from the moved day.
func TestForecastCalendarTrue(t *testing.T) {
	in := medcore()
	// With the example's pace medcore-2026q3 goes live Thu 11 Mar 2027 and
	// medcore-2026q4 Thu 24 Jun 2027.
	in.Freezes = []*upgradebot.Freeze{{ID: 1, From: d("2027-03-08"), To: d("2027-03-14"), Reason: "go-live"}}
	in.Calendar = upgradebot.WorkingTime{Holidays: []upgradebot.Date{d("2027-03-15")}}
	vf := upgradebot.MakeForecast(in).Vendors[0]
	first := vf.Coming[0]
	if first.Live != d("2027-03-16") || !strings.Contains(first.Moved, "inside the go-live freeze Mon 8 Mar 2027 – Sun 14 Mar 2027") {
		t.Errorf("first go-live %s (%s), want Tue 16 Mar 2027: after the freeze and the Monday holiday", first.Live.Human(), first.Moved)
	}
	if second := vf.Coming[1]; second.Start != first.Live || second.Live != d("2027-06-29") {
		t.Errorf("second starts %s and goes live %s, want the first's go-live and 105 days later", second.Start.Human(), second.Live.Human())
	}
	for _, pl := range vf.Coming {
		if wd := pl.Live.Weekday(); wd == 0 || wd == 6 {
			t.Errorf("%s goes live on a weekend: %s", pl.Release.Key, pl.Live.Human())
		}
	}
	text := upgradebot.MakeForecast(in).Text(4)
	if !strings.Contains(text, "`medcore-2026q3` Tue 16 Mar 2027 (inside the go-live freeze") {
		t.Errorf("the reason is not shown:\n%s", text)
	}
}

// TestForecastPerVendor: each vendor is planned at its own measured pace;
// a vendor with no completed phase takes the team's plan, not another
// vendor's measured cycle, and the team's concurrency counts both.
func TestForecastPerVendor(t *testing.T) {
	in := medcore()
	in.Vendors = append(in.Vendors, &upgradebot.Vendor{Name: "Ledgerly", CadenceDays: 182})
	in.Releases = append(in.Releases, &upgradebot.Release{ID: 9, Key: "ledgerly-2026.2", Vendor: "Ledgerly", Name: "2026.2", GA: d("2026-07-01")})
	in.Phases = append(in.Phases, &upgradebot.ReleasePhase{ReleaseID: 9, Release: "ledgerly-2026.2", Phase: upgradebot.PhaseReview, Start: d("2026-08-10")})
	f := upgradebot.MakeForecast(in)
	if len(f.Vendors) != 2 {
		t.Fatalf("%d vendors", len(f.Vendors))
	}
	erp, ehr := f.Vendors[0], f.Vendors[1]
	if ehr.Pace.CycleDays != 105 || ehr.Pace.MeasuredPhases != 5 {
		t.Errorf("MedCore pace %+v, want its own 105 days from 5 phases", ehr.Pace)
	}
	want := 0
	for _, st := range upgradebot.DefaultPhasePlan() {
		want += st.Days
	}
	if erp.Pace.CycleDays != want || erp.Pace.MeasuredPhases != 0 {
		t.Errorf("Ledgerly pace %+v, want the plan's %d days, not MedCore's", erp.Pace, want)
	}
	if f.Pace.AtOnce != 2 || !f.Pace.AtOnceMeasured {
		t.Errorf("team at once = %d, want 2: MedCore and Ledgerly ran together", f.Pace.AtOnce)
	}
}

// TestForecastNoSkipOfStartedWork: a release already in progress is not
// advised to be skipped; only releases not started are folded into the
// latest.
func TestForecastNoSkipOfStartedWork(t *testing.T) {
	in := medcore()
	in.Today = d("2027-01-05")
	in.Releases = append(in.Releases, &upgradebot.Release{ID: 4, Key: "medcore-2027q1", Vendor: "MedCore", Name: "2027q1", GA: d("2027-01-04")})
	// medcore-2026q3 is in its test phase.
	in.Phases = append(in.Phases, phases(2, "medcore-2026q3", "2026-10-01", false, 14, 28, 35)...)
	vf := upgradebot.MakeForecast(in).Vendors[0]
	if vf.SkipTo == nil || vf.SkipTo.Key != "medcore-2027q1" {
		t.Fatalf("skip to %v, want medcore-2027q1", vf.SkipTo)
	}
	for _, r := range vf.Consolidate {
		if r.Key == "medcore-2026q3" {
			t.Errorf("advises skipping medcore-2026q3, which is in progress: %v", vf.Consolidate)
		}
	}
	if len(vf.Consolidate) != 1 || vf.Consolidate[0].Key != "medcore-2026q4" {
		t.Errorf("consolidate %v, want medcore-2026q4 only", vf.Consolidate)
	}
}
