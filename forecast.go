package upgradebot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ForecastYears is how far ahead the forecast projects a vendor's releases.
const ForecastYears = 6

// Pace is how fast the team upgrades, measured from the phases it recorded.
type Pace struct {
	// PhaseDays is each phase of the team's plan and its length: the
	// mean of its completed occurrences, or the plan's length when it has
	// none.
	PhaseDays map[Phase]int
	// CycleDays is one release from the start of its first phase to the
	// end of its last (the go-live): the sum of PhaseDays.
	CycleDays int
	// MeasuredPhases counts the completed phases measured; 0 means the
	// cycle is the default one.
	MeasuredPhases int
	// AtOnce is how many upgrades the team runs at once: the mean number
	// of releases in progress over the days when at least one was, rounded;
	// 1 when nothing has been recorded.
	AtOnce         int
	AtOnceMeasured bool
}

// MeasurePace measures the team's pace in the phases of plan from the
// phases recorded so far (phases not in the plan are not measured). A
// release is in progress from the start of its first recorded phase until
// its last phase (the go-live) is done, or today if it is not. An empty
// plan is DefaultPhasePlan.
func MeasurePace(plan PhasePlan, phases []*ReleasePhase, today Date) Pace {
	if len(plan) == 0 {
		plan = DefaultPhasePlan()
	}
	live := plan.Last()
	pace := Pace{PhaseDays: map[Phase]int{}, AtOnce: 1}
	sum, n := map[Phase]int{}, map[Phase]int{}
	type span struct{ from, to Date }
	spans := map[int64]*span{}
	for _, p := range phases {
		if p.Start.IsZero() {
			continue
		}
		if !p.End.IsZero() && plan.Has(p.Phase) {
			sum[p.Phase] += max(p.Start.DaysUntil(p.End), 1)
			n[p.Phase]++
			pace.MeasuredPhases++
		}
		s := spans[p.ReleaseID]
		if s == nil {
			s = &span{from: p.Start}
			spans[p.ReleaseID] = s
		}
		if p.Start.Before(s.from) {
			s.from = p.Start
		}
		if p.Phase == live && !p.End.IsZero() {
			s.to = p.End
		}
	}
	for _, st := range plan {
		ph, d := st.Phase, st.Days
		if n[ph] > 0 {
			d = int(math.Round(float64(sum[ph]) / float64(n[ph])))
		}
		pace.PhaseDays[ph] = d
		pace.CycleDays += d
	}

	var list []span
	for _, s := range spans {
		to := s.to
		if to.IsZero() {
			to = today
		}
		if !to.Before(s.from) {
			list = append(list, span{s.from, to})
		}
	}
	slices.SortFunc(list, func(a, b span) int { return a.from.Compare(b.from) })
	busy, union := 0, 0
	var cur span
	for i, s := range list {
		busy += s.from.DaysUntil(s.to) + 1
		switch {
		case i == 0:
			cur = s
		case s.from.After(cur.to):
			union += cur.from.DaysUntil(cur.to) + 1
			cur = s
		case s.to.After(cur.to):
			cur.to = s.to
		}
	}
	if len(list) > 0 {
		union += cur.from.DaysUntil(cur.to) + 1
		pace.AtOnce = max(1, int(math.Round(float64(busy)/float64(union))))
		pace.AtOnceMeasured = true
	}
	return pace
}

// ForecastInput is everything the forecast reads.
type ForecastInput struct {
	Today    Date
	Vendors  []*Vendor
	Releases []*Release
	Phases   []*ReleasePhase
	// Plan is the team's cycle (StoredConfig.Phases); empty means
	// DefaultPhasePlan. A release is live when its last phase is done.
	Plan PhasePlan
	// Pace overrides the measured pace when CycleDays is set (to ask "what
	// if"); otherwise each vendor's pace is measured from the phases of its
	// own releases (MeasurePace), the plan's lengths when it has none.
	Pace Pace
	// Calendar and Freezes place go-lives: on a working day, not on a
	// holiday and not inside a freeze (the first such day on or after the
	// day the cycle gives). A zero Calendar is Monday to Friday.
	Calendar WorkingTime
	Freezes  []*Freeze
}

// Forecast is the catch-up forecast for every vendor with a cadence.
type Forecast struct {
	Today Date
	// Pace is the whole team's: AtOnce is how many upgrades of any vendor
	// ran at once. Each vendor's own cycle is in its VendorForecast.
	Pace    Pace
	Vendors []*VendorForecast
}

// Planned is one release the team has yet to take, and when it would start
// and go live at the team's pace.
type Planned struct {
	Release    *Release
	Projected  bool // expected from the vendor's cadence; not entered yet
	InProgress bool // a phase has started
	Start      Date
	Live       Date
	// Moved says why Live is later than the cycle gives ("Sat 25 Dec is
	// not a working day", "inside the go-live freeze …"), "" if it is not.
	Moved string
}

// Step is a day from which the team is one more release behind even right
// after a go-live.
type Step struct {
	Behind int
	From   Date // the go-live after which the team is still Behind behind
}

// VendorForecast is one vendor's forecast.
type VendorForecast struct {
	Vendor *Vendor
	// Pace is the vendor's own: measured from its releases' phases, or the
	// team's plan when none of them has a completed phase.
	Pace   Pace
	Live   *Release   // the latest release that went live; nil if none did
	Behind []*Release // released (GA by today) after Live and not live

	// Coming are the releases to take, by go-live, up to ForecastYears ahead.
	Coming []Planned

	// DriftDays is how much later after its GA each release goes live than
	// the one before (negative: earlier): the cycle per upgrade slot less
	// the cadence.
	DriftDays float64
	// CyclesPerRelease is how many go-lives it takes to fall (or, with
	// negative drift, catch up) one more release; 0 when the drift is 0.
	CyclesPerRelease float64
	// Steps are the next days from which the team is one, then two, more
	// releases behind even right after a go-live (only when falling behind).
	Steps []Step
	// CaughtUp is the first go-live of a release started on its GA day,
	// with no wait for a free slot (only when catching up).
	CaughtUp Date

	// SupportKnown is false when no release has an end of support (and the
	// vendor no support window).
	SupportKnown bool
	// OutOfSupport is the first day the team runs a release the vendor no
	// longer supports, zero if none within the horizon; Unsupported is
	// that release.
	OutOfSupport  Date
	Unsupported   *Release
	BackInSupport Date // the go-live of Unsupported's successor

	// What it takes to catch up.
	KeepPaceWeeks int        // a cycle this long (weeks) stops falling behind
	CatchUpWeeks  int        // a cycle this long clears the backlog within a year
	AtOnce        int        // upgrades at once that clear the backlog within a year
	SkipTo        *Release   // the latest release out, to go to directly
	Consolidate   []*Release // the releases skipped and folded into SkipTo
	SkipLive      Date       // when SkipTo would go live
}

// MakeForecast forecasts each vendor that has a cadence, in name order,
// each at its own pace: an ERP vendor is not planned with the cycle
// measured on the EHR.
func MakeForecast(in ForecastInput) *Forecast {
	plan := in.Plan
	if len(plan) == 0 {
		plan = DefaultPhasePlan()
	}
	f := &Forecast{Today: in.Today, Pace: MeasurePace(plan, in.Phases, in.Today)}
	if in.Pace.CycleDays > 0 {
		f.Pace = in.Pace
	}
	f.Pace.AtOnce = max(f.Pace.AtOnce, 1)
	byRelease := map[int64][]*ReleasePhase{}
	for _, p := range in.Phases {
		byRelease[p.ReleaseID] = append(byRelease[p.ReleaseID], p)
	}
	golive := goLivePolicy{cal: in.Calendar, freezes: in.Freezes}
	vendors := slices.Clone(in.Vendors)
	slices.SortFunc(vendors, func(a, b *Vendor) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	for _, v := range vendors {
		if v.CadenceDays <= 0 {
			continue
		}
		pace := in.Pace
		if pace.CycleDays <= 0 {
			var own []*ReleasePhase
			for _, r := range in.Releases {
				if r.ID != 0 && lowerASCII(r.Vendor) == lowerASCII(v.Name) {
					own = append(own, byRelease[r.ID]...)
				}
			}
			pace = MeasurePace(plan, own, in.Today)
		}
		pace.AtOnce = max(pace.AtOnce, 1)
		f.Vendors = append(f.Vendors, forecastVendor(v, in.Releases, byRelease, plan, pace, golive, in.Today))
	}
	return f
}

// goLivePolicy places go-lives on days the team can go live: working days
// that are not holidays, outside every freeze.
type goLivePolicy struct {
	cal     WorkingTime
	freezes []*Freeze
}

// day returns the first allowed day on or after d, and why it is later
// than d ("" when it is d).
func (g goLivePolicy) day(d Date) (Date, string) {
	why := ""
	for range 3660 { // ten years of days: a calendar with no allowed day gives up
		if f := FreezeOn(g.freezes, d); f != nil {
			if why == "" {
				why = "inside the " + f.Name() + " " + f.From.Human() + " – " + f.To.Human()
			}
			d = f.To.AddDays(1)
			continue
		}
		if !g.cal.IsWorkingDay(d) {
			if why == "" {
				if g.cal.IsHoliday(d) {
					why = d.Human() + " is a team holiday"
				} else {
					why = d.Human() + " is not a working day"
				}
			}
			d = d.AddDays(1)
			continue
		}
		return d, why
	}
	return d, why
}

// ProjectReleases returns the vendor's releases, earliest GA first, with
// the expected ones after the last real release added every cadence until
// the day until. Expected releases have no ID and a name "expected <GA>".
func ProjectReleases(v *Vendor, releases []*Release, until Date) []*Release {
	var out []*Release
	for _, r := range releases {
		if lowerASCII(r.Vendor) == lowerASCII(v.Name) { // as SQLite NOCASE compares vendor names
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b *Release) int { return a.GA.Compare(b.GA) })
	if len(out) == 0 || v.CadenceDays <= 0 {
		return out
	}
	last := out[len(out)-1].GA
	for ga := last.AddDays(v.CadenceDays); !ga.After(until); ga = ga.AddDays(v.CadenceDays) {
		name := "expected " + ga.String()
		out = append(out, &Release{Key: ReleaseKey(v.Name, name), Vendor: v.Name, Name: name, GA: ga})
	}
	return out
}

func forecastVendor(v *Vendor, releases []*Release, phases map[int64][]*ReleasePhase, plan PhasePlan, pace Pace, golive goLivePolicy, today Date) *VendorForecast {
	vf := &VendorForecast{Vendor: v, Pace: pace}
	horizon := today.AddMonths(12 * ForecastYears)
	all := ProjectReleases(v, releases, horizon)

	isLive := func(r *Release) bool {
		for _, p := range phases[r.ID] {
			if r.ID != 0 && p.Phase == plan.Last() && !p.End.IsZero() {
				return true
			}
		}
		return false
	}
	for _, r := range all {
		if isLive(r) {
			vf.Live = r
		}
	}
	var pending []Planned
	for _, r := range all {
		if (vf.Live != nil && !r.GA.After(vf.Live.GA)) || isLive(r) {
			continue
		}
		pl := Planned{Release: r, Projected: r.ID == 0}
		if start, live, ok := inProgress(plan, phases[r.ID], pace, today); r.ID != 0 && ok {
			pl.InProgress, pl.Start, pl.Live = true, start, live
		}
		pending = append(pending, pl)
		if !r.GA.After(today) {
			vf.Behind = append(vf.Behind, r)
		}
	}
	vf.Coming = schedule(pending, pace, golive, today)

	// Drift, and the days the team falls (or catches up) a release.
	perSlot := float64(pace.CycleDays) / float64(pace.AtOnce)
	vf.DriftDays = perSlot - float64(v.CadenceDays)
	if vf.DriftDays != 0 {
		vf.CyclesPerRelease = float64(v.CadenceDays) / math.Abs(vf.DriftDays)
	}
	floor := -1
	for _, pl := range vf.Coming {
		if pl.Live.After(horizon) {
			break
		}
		n := waiting(vf.Coming, pl.Live)
		switch {
		case floor < 0:
			floor = n
		case vf.DriftDays > 0 && n > floor+len(vf.Steps) && len(vf.Steps) < 2:
			vf.Steps = append(vf.Steps, Step{Behind: n, From: pl.Live})
		}
		if vf.DriftDays < 0 && !pl.InProgress && pl.Start == pl.Release.GA && vf.CaughtUp.IsZero() && len(vf.Behind) > 0 {
			vf.CaughtUp = pl.Live
		}
	}

	// Support: the release running between two go-lives must be supported.
	supportEnd := func(r *Release) Date {
		if !r.Support.IsZero() {
			return r.Support
		}
		if v.SupportDays > 0 {
			return r.GA.AddDays(v.SupportDays)
		}
		return Date{}
	}
	running := vf.Live
	for _, pl := range vf.Coming {
		if pl.Live.After(horizon) {
			break
		}
		if running != nil {
			if end := supportEnd(running); !end.IsZero() {
				vf.SupportKnown = true
				if end.Before(pl.Live) && !pl.Live.Before(today) {
					vf.OutOfSupport, vf.Unsupported, vf.BackInSupport = end.AddDays(1), running, pl.Live
					break
				}
			}
		}
		running = pl.Release
	}
	if !vf.SupportKnown {
		for _, r := range all {
			if !supportEnd(r).IsZero() {
				vf.SupportKnown = true
			}
		}
	}

	// What it takes: a shorter cycle, more at once, or a skip.
	b := float64(len(vf.Behind))
	perYear := 365 / float64(v.CadenceDays)
	vf.KeepPaceWeeks = v.CadenceDays * pace.AtOnce / 7
	vf.CatchUpWeeks = int(365 * float64(pace.AtOnce) / (b + perYear) / 7)
	vf.AtOnce = max(1, int(math.Ceil(float64(pace.CycleDays)*(b+perYear)/365-1e-9)))
	// Skipping: go straight to the latest release out, folding into it the
	// ones before it that have not started. A release already in progress
	// is finished, not skipped: its work is done or under way.
	started := map[*Release]bool{}
	for _, pl := range pending {
		started[pl.Release] = pl.InProgress
	}
	latest := -1
	for i, r := range vf.Behind {
		if r.ID != 0 && !started[r] {
			latest = i
		}
	}
	if latest >= 1 {
		for _, r := range vf.Behind[:latest] {
			if !started[r] {
				vf.Consolidate = append(vf.Consolidate, r)
			}
		}
	}
	if len(vf.Consolidate) > 0 {
		vf.SkipTo = vf.Behind[latest]
		var rest []Planned
		for _, pl := range pending {
			if pl.InProgress || !pl.Release.GA.Before(vf.SkipTo.GA) {
				rest = append(rest, pl)
			}
		}
		for _, pl := range schedule(rest, pace, golive, today) {
			if pl.Release == vf.SkipTo {
				vf.SkipLive = pl.Live
			}
		}
	}
	return vf
}

// inProgress reports whether a release's phases have started and, if so,
// when it started and when it would go live: today plus what is left of
// each phase of the plan at the team's pace.
func inProgress(plan PhasePlan, phases []*ReleasePhase, pace Pace, today Date) (start, live Date, ok bool) {
	byPhase := map[Phase]*ReleasePhase{}
	for _, p := range phases {
		byPhase[p.Phase] = p
		if !p.Start.IsZero() && (start.IsZero() || p.Start.Before(start)) {
			start = p.Start
		}
	}
	if start.IsZero() {
		return Date{}, Date{}, false
	}
	left := 0
	for _, ph := range plan.Phases() {
		p := byPhase[ph]
		switch {
		case p == nil || p.Start.IsZero():
			left += pace.PhaseDays[ph]
		case p.End.IsZero():
			left += max(pace.PhaseDays[ph]-p.Start.DaysUntil(today), 0)
		}
	}
	return start, today.AddDays(max(left, 1)), true
}

// schedule gives each pending release (in GA order) its start and go-live:
// releases in progress keep theirs and hold an upgrade slot until then; the
// others start, in GA order, when a slot is free and not before their GA or
// today, and go live one cycle later. Every go-live is moved to the first
// day the policy allows. The result is by go-live.
func schedule(pending []Planned, pace Pace, golive goLivePolicy, today Date) []Planned {
	slots := make([]Date, pace.AtOnce)
	for i := range slots {
		slots[i] = today
	}
	out := slices.Clone(pending)
	k := 0
	for i := range out {
		if out[i].InProgress {
			out[i].Live, out[i].Moved = golive.day(out[i].Live)
			j := k % len(slots)
			if out[i].Live.After(slots[j]) {
				slots[j] = out[i].Live
			}
			k++
		}
	}
	for i := range out {
		if out[i].InProgress {
			continue
		}
		j := 0
		for s := range slots {
			if slots[s].Before(slots[j]) {
				j = s
			}
		}
		start := slots[j]
		if out[i].Release.GA.After(start) {
			start = out[i].Release.GA
		}
		out[i].Start = start
		out[i].Live, out[i].Moved = golive.day(start.AddDays(pace.CycleDays))
		slots[j] = out[i].Live
	}
	slices.SortStableFunc(out, func(a, b Planned) int { return a.Live.Compare(b.Live) })
	return out
}

// waiting counts the releases out by day (GA on or before it) that are not
// live by the end of it.
func waiting(coming []Planned, day Date) int {
	n := 0
	for _, pl := range coming {
		if !pl.Release.GA.After(day) && pl.Live.After(day) {
			n++
		}
	}
	return n
}

// Text renders the forecast for chat (Slack mrkdwn), coming lists the next
// go-lives shown per vendor.
func (f *Forecast) Text(coming int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*Forecast* on %s · %s", f.Today.Human(), f.Pace.AtOnceHuman())
	if len(f.Vendors) == 0 {
		b.WriteString("\nNo vendor has a cadence yet: set one with `/upgrade vendor <name> cadence:13w`.")
	}
	for _, vf := range f.Vendors {
		b.WriteString("\n" + vf.Text(f.Today, coming))
	}
	return b.String()
}

// Human describes the pace: "cycle 15 weeks (the team's phase lengths) · 1
// upgrade at a time (default)".
func (p Pace) Human() string {
	return p.CycleHuman() + " · " + p.AtOnceHuman()
}

// CycleHuman is "cycle 15 weeks (the team's phase lengths)" or "cycle 106
// days (measured from 6 completed phases)".
func (p Pace) CycleHuman() string {
	s := "cycle " + Span(p.CycleDays)
	if p.MeasuredPhases > 0 {
		return s + " (measured from " + Plural(p.MeasuredPhases, "completed phase") + ")"
	}
	return s + " (the team's phase lengths)"
}

// AtOnceHuman is "2 upgrades at a time (measured)".
func (p Pace) AtOnceHuman() string {
	s := Plural(p.AtOnce, "upgrade") + " at a time"
	if p.AtOnceMeasured {
		return s + " (measured)"
	}
	return s + " (default)"
}

// releaseName is how a release reads in the forecast: its key, or "expected
// release (GA ~Thu 4 Mar 2027)".
func releaseName(r *Release) string {
	if r.ID == 0 {
		return "expected release (GA ~" + r.GA.Human() + ")"
	}
	return "`" + r.Key + "`"
}

func releaseNames(rs []*Release) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = releaseName(r)
	}
	return strings.Join(names, ", ")
}

// decimal writes x with at most one decimal: 6.5, 7.
func decimal(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// Text renders one vendor's forecast, showing the next coming go-lives.
func (vf *VendorForecast) Text(today Date, coming int) string {
	pace := vf.Pace
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* · a release every %s · %s", Escape(vf.Vendor.Name), Span(vf.Vendor.CadenceDays), pace.CycleHuman())
	if vf.Live != nil {
		b.WriteString(" · live on " + releaseName(vf.Live))
	}
	if len(vf.Behind) == 0 {
		b.WriteString("\n  • Behind today: 0, every release out is live.")
	} else {
		fmt.Fprintf(&b, "\n  • Behind today: %d (%s), out but not live.", len(vf.Behind), releaseNames(vf.Behind))
	}
	if len(vf.Coming) > 0 {
		var parts []string
		for _, pl := range vf.Coming[:min(coming, len(vf.Coming))] {
			s := releaseName(pl.Release) + " " + pl.Live.Human()
			if pl.InProgress {
				s += " (in progress)"
			}
			if pl.Moved != "" {
				s += " (" + pl.Moved + ")"
			}
			parts = append(parts, s)
		}
		b.WriteString("\n  • Next go-lives at this pace: " + strings.Join(parts, " · "))
	}
	drift := int(math.Round(math.Abs(vf.DriftDays)))
	every := ""
	if vf.CyclesPerRelease > 0 {
		every = fmt.Sprintf("every %s cycles (about %d weeks)", decimal(vf.CyclesPerRelease),
			int(math.Round(vf.CyclesPerRelease*float64(pace.CycleDays)/float64(pace.AtOnce)/7)))
	}
	switch {
	case vf.DriftDays > 0:
		fmt.Fprintf(&b, "\n  • Falling behind: each release goes live %s later after its GA than the one before, one more release behind %s", Span(drift), every)
		for i, s := range vf.Steps {
			if i == 0 {
				fmt.Fprintf(&b, ": even right after a go-live you will be %d behind from %s", s.Behind, s.From.Human())
			} else {
				fmt.Fprintf(&b, ", %d from %s", s.Behind, s.From.Human())
			}
		}
		b.WriteString(".")
	case len(vf.Behind) == 0:
		fmt.Fprintf(&b, "\n  • Keeping pace: each release can go live %s after its GA.", Span(pace.CycleDays))
	case vf.DriftDays < 0:
		fmt.Fprintf(&b, "\n  • Catching up: one release less behind %s", every)
		if !vf.CaughtUp.IsZero() {
			fmt.Fprintf(&b, "; caught up from %s: after that each release starts at its GA and goes live %s later", vf.CaughtUp.Human(), Span(pace.CycleDays))
		}
		b.WriteString(".")
	default:
		fmt.Fprintf(&b, "\n  • Holding at %d behind: the team takes releases as fast as they come.", len(vf.Behind))
	}
	switch {
	case !vf.SupportKnown:
		b.WriteString("\n  • Support: unknown; record support:<date> on releases or `vendor <name> support:52w`.")
	case vf.OutOfSupport.IsZero():
		fmt.Fprintf(&b, "\n  • Support: stays in the vendor's support window for the next %d years.", ForecastYears)
	case !vf.OutOfSupport.After(today):
		fmt.Fprintf(&b, "\n  • Support: *out of support* since %s (%s).", vf.OutOfSupport.Human(), releaseName(vf.Unsupported))
	default:
		fmt.Fprintf(&b, "\n  • Support: out of the vendor's support window from %s: support for %s ends the day before and its successor goes live only on %s.", vf.OutOfSupport.Human(), releaseName(vf.Unsupported), vf.BackInSupport.Human())
	}
	if vf.DriftDays > 0 || (vf.DriftDays == 0 && len(vf.Behind) > 0) {
		var ways []string
		if vf.CatchUpWeeks < vf.KeepPaceWeeks && len(vf.Behind) > 0 {
			ways = append(ways, fmt.Sprintf("shorten the cycle to %d weeks to keep pace, %d weeks to catch up within a year", vf.KeepPaceWeeks, vf.CatchUpWeeks))
		} else {
			ways = append(ways, fmt.Sprintf("shorten the cycle to %d weeks", vf.KeepPaceWeeks))
		}
		if vf.AtOnce > pace.AtOnce {
			ways = append(ways, fmt.Sprintf("run %d upgrades at once", vf.AtOnce))
		}
		if vf.SkipTo != nil {
			ways = append(ways, fmt.Sprintf("skip to %s and consolidate %s into it (live %s)", releaseName(vf.SkipTo), releaseNames(vf.Consolidate), vf.SkipLive.Human()))
		}
		b.WriteString("\n  • To catch up: " + strings.Join(ways, "; or ") + ".")
	}
	return b.String()
}

// Line is the vendor's forecast in one line, for the digest.
func (vf *VendorForecast) Line() string {
	s := fmt.Sprintf("%s: %d behind", Escape(vf.Vendor.Name), len(vf.Behind))
	if len(vf.Coming) > 0 {
		s += fmt.Sprintf(", next go-live %s %s", releaseName(vf.Coming[0].Release), vf.Coming[0].Live.Human())
	}
	switch {
	case vf.DriftDays > 0:
		s += fmt.Sprintf(", one more behind every %s cycles", decimal(vf.CyclesPerRelease))
	case len(vf.Behind) > 0 && vf.DriftDays < 0:
		s += ", catching up"
	}
	if !vf.OutOfSupport.IsZero() {
		s += ", out of support from " + vf.OutOfSupport.Human()
	}
	return s
}
