package upgradebot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Phase is one step of the team's upgrade cycle.
type Phase string

// The default phase names: the cycle of DefaultPhasePlan. A team renames,
// adds or drops phases with the phases setting (SettingPhases); code that
// applies to the team's cycle reads its PhasePlan, never these.
const (
	PhaseReview Phase = "review"  // read the release notes, decide what to adopt
	PhaseBuild  Phase = "build"   // configure and build
	PhaseTest   Phase = "test"    // regression and integration testing
	PhaseTrain  Phase = "train"   // train the users
	PhaseGoLive Phase = "go-live" // cut over; the release is live when this is done
)

// Bounds of a phase plan.
const (
	MinPlanPhases = 2
	MaxPlanPhases = 10
	MaxPhaseName  = 20  // characters
	MaxPhaseDays  = 366 // a phase lasts 1 day to 1 year
)

// PhaseStep is one phase of the team's cycle and how long it takes, in
// calendar days, until the team has completed phases to measure.
type PhaseStep struct {
	Phase Phase
	Days  int
}

// PhasePlan is the team's cycle: its phases in order, each with its
// default length. The last phase is the go-live: a release is live when
// its last phase is done. The zero PhasePlan is not valid; StoredConfig
// holds DefaultPhasePlan when the team has not set one.
type PhasePlan []PhaseStep

// DefaultPhasePlan is the cycle until a team sets its own: review 2
// weeks, build 4, test 5, train 3 and go-live 1, 15 weeks in all.
func DefaultPhasePlan() PhasePlan {
	return PhasePlan{
		{PhaseReview, 14},
		{PhaseBuild, 28},
		{PhaseTest, 35},
		{PhaseTrain, 21},
		{PhaseGoLive, 7},
	}
}

// ParsePhasePlan reads a plan written as name:span steps separated by
// commas or spaces, "review:2w,build:4w,test:5w,train:3w,go-live:1w"
// (spans as ParseSpan reads them), checked with Validate. Names are read
// in lower case.
func ParsePhasePlan(s string) (PhasePlan, error) {
	var plan PhasePlan
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		name, span, ok := strings.Cut(f, ":")
		if !ok {
			return nil, Errorf(EINVALID, "%q is not a phase and its length; write the phases like %s", Clip(f, 30), DefaultPhasePlan())
		}
		days, err := ParseSpan(span)
		if err != nil {
			return nil, Errorf(EINVALID, "the length of %s: %s", Clip(name, 30), ErrorMessage(err))
		}
		plan = append(plan, PhaseStep{Phase: Phase(strings.ToLower(name)), Days: days})
	}
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	return plan, nil
}

// Validate reports the first thing wrong with plan: it needs 2 to 10
// phases, each a unique name (see ValidPhaseName) lasting 1 day to 1 year.
func (plan PhasePlan) Validate() error {
	if len(plan) < MinPlanPhases || len(plan) > MaxPlanPhases {
		return Errorf(EINVALID, "a cycle has %d to %d phases, not %d; write them like %s", MinPlanPhases, MaxPlanPhases, len(plan), DefaultPhasePlan())
	}
	seen := map[string]Phase{} // by name without dashes: Parse reads "golive" as go-live
	for _, st := range plan {
		if !ValidPhaseName(st.Phase) {
			return Errorf(EINVALID, "%q is not a phase name: %s", Clip(string(st.Phase), 30), phaseNameRule)
		}
		bare := strings.ReplaceAll(string(st.Phase), "-", "")
		if twin, ok := seen[bare]; ok {
			if twin == st.Phase {
				return Errorf(EINVALID, "the phase %s is named twice; each phase needs its own name", st.Phase)
			}
			return Errorf(EINVALID, "the phases %s and %s differ only by dashes; give them names that differ in letters", twin, st.Phase)
		}
		seen[bare] = st.Phase
		if st.Days < 1 || st.Days > MaxPhaseDays {
			return Errorf(EINVALID, "the %s phase lasts %s; a phase lasts 1 day to 1 year (%dd)", st.Phase, Span(st.Days), MaxPhaseDays)
		}
	}
	return nil
}

// String writes plan as ParsePhasePlan reads it, lengths in weeks when
// whole: "review:2w,build:4w,test:5w,train:3w,go-live:1w".
func (plan PhasePlan) String() string {
	steps := make([]string, len(plan))
	for i, st := range plan {
		if st.Days%7 == 0 {
			steps[i] = fmt.Sprintf("%s:%dw", st.Phase, st.Days/7)
		} else {
			steps[i] = fmt.Sprintf("%s:%dd", st.Phase, st.Days)
		}
	}
	return strings.Join(steps, ",")
}

// Human writes plan for people: "review 2 weeks · build 4 weeks · …".
func (plan PhasePlan) Human() string {
	steps := make([]string, len(plan))
	for i, st := range plan {
		steps[i] = string(st.Phase) + " " + Span(st.Days)
	}
	return strings.Join(steps, " · ")
}

// Phases returns the plan's phases in order.
func (plan PhasePlan) Phases() []Phase {
	out := make([]Phase, len(plan))
	for i, st := range plan {
		out[i] = st.Phase
	}
	return out
}

// Names lists the phases for messages: "review, build, test, train, go-live".
func (plan PhasePlan) Names() string {
	names := make([]string, len(plan))
	for i, st := range plan {
		names[i] = string(st.Phase)
	}
	return strings.Join(names, ", ")
}

// Index returns the position of p in the plan, or -1 if it is not one of
// its phases.
func (plan PhasePlan) Index(p Phase) int {
	for i, st := range plan {
		if st.Phase == p {
			return i
		}
	}
	return -1
}

// Has reports whether p is one of the plan's phases.
func (plan PhasePlan) Has(p Phase) bool { return plan.Index(p) >= 0 }

// Days returns the default length of p in days, 0 if p is not in the plan.
func (plan PhasePlan) Days(p Phase) int {
	if i := plan.Index(p); i >= 0 {
		return plan[i].Days
	}
	return 0
}

// Next returns the phase after p; false if p is the last phase (the
// go-live) or not in the plan.
func (plan PhasePlan) Next(p Phase) (Phase, bool) {
	if i := plan.Index(p); i >= 0 && i+1 < len(plan) {
		return plan[i+1].Phase, true
	}
	return "", false
}

// Last returns the go-live: the last phase, done when the release is
// live ("" for an empty plan).
func (plan PhasePlan) Last() Phase {
	if len(plan) == 0 {
		return ""
	}
	return plan[len(plan)-1].Phase
}

// Parse reads a phase of the plan as a person writes it: in any case,
// spaces for dashes, and the dashes themselves optional when that names
// one phase ("go live" and "golive" are go-live). EINVALID listing the
// team's phases when it names none.
func (plan PhasePlan) Parse(word string) (Phase, error) {
	p := normalPhase(word)
	if plan.Has(p) {
		return p, nil
	}
	var found Phase
	n := 0
	bare := strings.ReplaceAll(string(p), "-", "")
	for _, st := range plan {
		if strings.ReplaceAll(string(st.Phase), "-", "") == bare {
			found = st.Phase
			n++
		}
	}
	if n == 1 && bare != "" {
		return found, nil
	}
	return "", Errorf(EINVALID, "%q is not a phase; the team's phases are %s", Clip(word, 20), plan.Names())
}

// ParsePhaseName reads a word as a phase name by its shape only: trimmed,
// in lower case, spaces as dashes. EINVALID unless it is then a valid name
// (ValidPhaseName). Whether the team has that phase is the PhasePlan's to
// say (PhasePlan.Parse).
func ParsePhaseName(word string) (Phase, error) {
	p := normalPhase(word)
	if !ValidPhaseName(p) {
		return "", Errorf(EINVALID, "%q is not a phase name: %s", Clip(word, 20), phaseNameRule)
	}
	return p, nil
}

const phaseNameRule = "phase names are 1 to 20 lower-case letters, digits and dashes, starting with a letter or digit, like build or go-live"

// ValidPhaseName reports whether p is 1 to 20 characters of lower-case
// letters (a-z), digits and dashes, the first not a dash.
func ValidPhaseName(p Phase) bool {
	if len(p) < 1 || len(p) > MaxPhaseName || p[0] == '-' {
		return false
	}
	for _, r := range p {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// normalPhase is word trimmed, in lower case, with runs of spaces as one
// dash.
func normalPhase(word string) Phase {
	return Phase(strings.Join(strings.Fields(strings.ToLower(word)), "-"))
}

// PhaseEvent is what `release <key> phase <phase> start|done` records.
type PhaseEvent string

// Phase events.
const (
	PhaseStart PhaseEvent = "start"
	PhaseDone  PhaseEvent = "done"
)

// ReleasePhase is one phase of one release: when it was planned and when it
// actually started and ended (zero Dates when not yet).
type ReleasePhase struct {
	ReleaseID    int64  `json:"release_id"`
	Release      string `json:"release"` // the release's key
	Phase        Phase  `json:"phase"`
	PlannedStart Date   `json:"planned_start"`
	PlannedEnd   Date   `json:"planned_end"`
	Start        Date   `json:"start"`
	End          Date   `json:"end"`

	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`

	// Override is set by RecordPhase when whoever decides started this
	// phase while the gate of an earlier one still waited. Not stored.
	Override *Decision `json:"-"`
}

// Record applies ev on day to p: start sets the actual start (and, if there
// is no plan yet, plans the phase from that day for its length in the
// team's plan); done sets the actual end. EINVALID if p's phase is not in
// plan, or for an end before the start; ECONFLICT if it was already
// started (done), or is done before it started. A phase already planned
// keeps its planned dates when the plan's lengths change.
func (p *ReleasePhase) Record(plan PhasePlan, ev PhaseEvent, day Date) error {
	if !plan.Has(p.Phase) {
		return Errorf(EINVALID, "%q is not a phase; the team's phases are %s", Clip(string(p.Phase), 20), plan.Names())
	}
	switch ev {
	case PhaseStart:
		if !p.Start.IsZero() {
			return Errorf(ECONFLICT, "The %s phase of %s already started on %s.", p.Phase, p.Release, p.Start.Human())
		}
		p.Start = day
		if p.PlannedStart.IsZero() {
			p.PlannedStart, p.PlannedEnd = day, day.AddDays(plan.Days(p.Phase))
		}
	case PhaseDone:
		if p.Start.IsZero() {
			return Errorf(ECONFLICT, "The %s phase of %s has not started: record `start` first.", p.Phase, p.Release)
		}
		if !p.End.IsZero() {
			return Errorf(ECONFLICT, "The %s phase of %s was already done on %s.", p.Phase, p.Release, p.End.Human())
		}
		if day.Before(p.Start) {
			return Errorf(EINVALID, "The %s phase of %s started on %s; it cannot be done before that.", p.Phase, p.Release, p.Start.Human())
		}
		p.End = day
	default:
		return Errorf(EINVALID, "%q is neither start nor done", Clip(string(ev), 20))
	}
	return nil
}

// Vendor is a supplier whose releases the team takes, and how often it
// ships them. Releases are matched to a vendor by name, ignoring case.
type Vendor struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	CadenceDays int    `json:"cadence_days"`           // a release every this many days
	SupportDays int    `json:"support_days,omitempty"` // each release is supported this long after GA; 0 if unknown
	// ClearSupport, set by a caller of SetVendor, forgets the support
	// window (SupportDays 0 keeps it). Not stored.
	ClearSupport bool `json:"-"`

	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate reports the first thing wrong with v.
func (v *Vendor) Validate() error {
	if err := ValidateTitle("vendor", v.Name); err != nil {
		return err
	}
	if v.CadenceDays < 7 || v.CadenceDays > 3*366 {
		return Errorf(EINVALID, "a vendor's cadence must be between 1 week and 3 years, like cadence:13w")
	}
	if v.SupportDays < 0 || v.SupportDays > 10*366 {
		return Errorf(EINVALID, "a support window must be at most 10 years, like support:52w")
	}
	return nil
}

// ParseSpan reads a length of time in days or weeks: "91d", "13w".
// Months are refused: their lengths differ, and a cadence must be exact.
func ParseSpan(s string) (int, error) {
	bad := Errorf(EINVALID, "%q is not a length of time; write weeks or days, like 13w or 91d", Clip(s, 20))
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 2 {
		return 0, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 10000 {
		return 0, bad
	}
	switch s[len(s)-1] {
	case 'd':
		return n, nil
	case 'w':
		return n * 7, nil
	}
	return 0, bad
}

// Span writes days as weeks when whole ("13 weeks"), else as days.
func Span(days int) string {
	switch {
	case days == 7:
		return "1 week"
	case days%7 == 0:
		return fmt.Sprintf("%d weeks", days/7)
	case days == 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", days)
}

// ReleaseProgress is where a release is in the team's cycle.
type ReleaseProgress struct {
	Live    Date          // when its last phase was done; zero if it is not live
	Current *ReleasePhase // the latest started phase not done; nil if none
	Last    *ReleasePhase // the latest phase done, if nothing is under way
}

// Progress reads a release's recorded phases against plan.
func Progress(plan PhasePlan, phases []*ReleasePhase) ReleaseProgress {
	var p ReleaseProgress
	for _, ph := range plan.Phases() {
		for _, rp := range phases {
			if rp.Phase != ph || rp.Start.IsZero() {
				continue
			}
			if rp.End.IsZero() {
				p.Current = rp
			} else {
				p.Last = rp
				if ph == plan.Last() {
					p.Live = rp.End
				}
			}
		}
	}
	return p
}

// Human is the progress in a few words: "live since Fri 8 Jan 2027", "in
// build since Mon 16 Nov 2026", "review done Fri 13 Nov 2026", "not started".
func (p ReleaseProgress) Human() string {
	switch {
	case !p.Live.IsZero():
		return "live since " + p.Live.Human()
	case p.Current != nil:
		return "in " + string(p.Current.Phase) + " since " + p.Current.Start.Human()
	case p.Last != nil:
		return string(p.Last.Phase) + " done " + p.Last.End.Human()
	}
	return "not started"
}
