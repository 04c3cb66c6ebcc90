package upgradebot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Phase is one step of the team's upgrade cycle.
type Phase string

// The team's phases, in order. To rename, add or drop a phase, change
// Phases and DefaultPhaseDays together (and nothing else: the store keeps
// phase names as text and the bot reads them from Phases).
const (
	PhaseReview Phase = "review"  // read the release notes, decide what to adopt
	PhaseBuild  Phase = "build"   // configure and build
	PhaseTest   Phase = "test"    // regression and integration testing
	PhaseTrain  Phase = "train"   // train the users
	PhaseGoLive Phase = "go-live" // cut over; the release is live when this is done
)

// Phases is the cycle in order.
var Phases = []Phase{PhaseReview, PhaseBuild, PhaseTest, PhaseTrain, PhaseGoLive}

// DefaultPhaseDays is how long each phase takes, in calendar days, until the
// team has completed phases to measure: 15 weeks in all.
var DefaultPhaseDays = map[Phase]int{
	PhaseReview: 14,
	PhaseBuild:  28,
	PhaseTest:   35,
	PhaseTrain:  21,
	PhaseGoLive: 7,
}

// ParsePhase reads a phase name ("golive" and "go live" are go-live).
func ParsePhase(s string) (Phase, error) {
	p := Phase(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-"))
	if p == "golive" {
		p = PhaseGoLive
	}
	if !slices.Contains(Phases, p) {
		return "", Errorf(EINVALID, "%q is not a phase; the phases are %s", clipText(s, 20), PhaseNames())
	}
	return p, nil
}

// PhaseNames lists the phases for messages: "review, build, test, train, go-live".
func PhaseNames() string {
	names := make([]string, len(Phases))
	for i, p := range Phases {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
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
}

// Record applies ev on day to p: start sets the actual start (and, if there
// is no plan yet, plans the phase from that day for its default length);
// done sets the actual end. ECONFLICT if it was already started (done),
// or is done before it started; EINVALID for an end before the start.
func (p *ReleasePhase) Record(ev PhaseEvent, day Date) error {
	switch ev {
	case PhaseStart:
		if !p.Start.IsZero() {
			return Errorf(ECONFLICT, "The %s phase of %s already started on %s.", p.Phase, p.Release, p.Start.Human())
		}
		p.Start = day
		if p.PlannedStart.IsZero() {
			p.PlannedStart, p.PlannedEnd = day, day.AddDays(DefaultPhaseDays[p.Phase])
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
		return Errorf(EINVALID, "%q is neither start nor done", clipText(string(ev), 20))
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
	bad := Errorf(EINVALID, "%q is not a length of time; write weeks or days, like 13w or 91d", clipText(s, 20))
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

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
