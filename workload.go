package upgradebot

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Default workload thresholds: above either, a person is overloaded.
const (
	DefaultWorkloadHours = 40 // hours of estimated open work
	DefaultWorkloadTasks = 15 // open tasks
)

// WorkloadWindowDays is how far ahead checklist work counts as today's
// load: a release's checklist task undated or due later is counted apart
// (Later), so a release months away does not read as a full plate now.
const WorkloadWindowDays = 14

// Load is one person's open work. User "" is the unassigned work.
type Load struct {
	User        string
	Open        int           // open tasks (checklist work beyond the window apart)
	Overdue     int           // of those, due before today
	Planned     time.Duration // sum of those tasks' estimates
	Unestimated int           // of those, tasks without an estimate
	// Queued is the work left in the person's clean-up queues (items over
	// rate, as last read), in Queues queues.
	Queued time.Duration
	Queues int
	// Later counts checklist tasks undated or due after the window.
	Later int
}

// add sums o's counts into l (User stays).
func (l *Load) add(o Load) {
	l.Open += o.Open
	l.Overdue += o.Overdue
	l.Planned += o.Planned
	l.Unestimated += o.Unestimated
	l.Queued += o.Queued
	l.Queues += o.Queues
	l.Later += o.Later
}

// Hours is the person's load in work: task estimates and clean-up backlogs.
func (l Load) Hours() time.Duration { return l.Planned + l.Queued }

// WorkloadLimits are the team's thresholds; zero fields take the defaults.
type WorkloadLimits struct {
	Hours int
	Tasks int
}

func (l WorkloadLimits) hours() time.Duration {
	if l.Hours <= 0 {
		return DefaultWorkloadHours * time.Hour
	}
	return time.Duration(l.Hours) * time.Hour
}

func (l WorkloadLimits) tasks() int {
	if l.Tasks <= 0 {
		return DefaultWorkloadTasks
	}
	return l.Tasks
}

// Limits returns the thresholds with the defaults filled in.
func (l WorkloadLimits) Limits() WorkloadLimits {
	return WorkloadLimits{Hours: int(l.hours() / time.Hour), Tasks: l.tasks()}
}

// WorkloadRow is one person's load against the thresholds.
type WorkloadRow struct {
	Load
	Over bool // above the hours or the tasks threshold
}

// Handover suggests moving work from someone over the threshold to
// someone with room: about Hours of estimated work and Tasks tasks (the
// excess over the thresholds, capped by the room the receiver has and by
// the tasks' estimates). With Queue, the excess is in clean-up queues,
// which move by sharing the queue, not as tasks.
type Handover struct {
	From, To string
	Hours    time.Duration
	Tasks    int
	Queue    bool
}

// Workload is the team's load: one row per person, most loaded first,
// the unassigned work apart, and suggestions for who takes what.
type Workload struct {
	Limits      WorkloadLimits
	Rows        []WorkloadRow
	Unassigned  Load
	Suggestions []Handover
}

// WorkloadService reads the open work per person.
type WorkloadService interface {
	// Loads returns every person's open work as of today (overdue: due
	// before today), with the unassigned work as User "", and a zero Load
	// for each person who has had tasks or clean-ups but has none open,
	// so that they can be offered work. In no particular order.
	Loads(ctx context.Context, today Date) ([]Load, error)
	// SiteLoads is Loads for the work of one site: its tasks (occurrences
	// of its clean-ups included) and its clean-ups' queues. Everyone who
	// has had work anywhere still gets a row, so the site's work can go to
	// them.
	SiteLoads(ctx context.Context, today Date, site string) ([]Load, error)
	// RecordWorkloadWeek records each person's load as of today against
	// limits (see BuildWorkload) as the snapshot of today's team week (see
	// WeekOf), in one transaction. It replaces that week's earlier
	// snapshot, so recording again in the same week refreshes it. It is
	// derived data: nothing is audited. EINVALID without a day.
	RecordWorkloadWeek(ctx context.Context, today Date, limits WorkloadLimits) error
}

// BuildWorkload compares loads with the limits. A person is over when
// their hours (task estimates plus clean-up backlogs) or open tasks exceed
// the threshold. For each person
// over, most loaded first, it suggests the person not over with the most
// room left (the smaller of their free share of hours and of tasks),
// counting what was already suggested to them; nobody is suggested when
// nobody has room.
func BuildWorkload(loads []Load, lim WorkloadLimits) Workload {
	w := Workload{Limits: lim.Limits()}
	maxH, maxT := lim.hours(), lim.tasks()
	for _, l := range loads {
		if l.User == "" {
			w.Unassigned.add(l)
			continue
		}
		w.Rows = append(w.Rows, WorkloadRow{Load: l, Over: l.Hours() > maxH || l.Open > maxT})
	}
	// Most loaded first: the larger share of either threshold.
	share := func(h time.Duration, t int) float64 {
		return max(float64(h)/float64(maxH), float64(t)/float64(maxT))
	}
	slices.SortFunc(w.Rows, func(a, b WorkloadRow) int {
		return cmp.Or(cmp.Compare(share(b.Hours(), b.Open), share(a.Hours(), a.Open)),
			cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(a.User, b.User))
	})

	// Room left per person not over, as it shrinks with each suggestion.
	type room struct {
		user  string
		hours time.Duration
		tasks int
	}
	var rooms []*room
	for _, r := range w.Rows {
		if !r.Over {
			rooms = append(rooms, &room{r.User, maxH - r.Hours(), maxT - r.Open})
		}
	}
	free := func(r *room) float64 {
		return min(float64(r.hours)/float64(maxH), float64(r.tasks)/float64(maxT))
	}
	for _, r := range w.Rows {
		if !r.Over {
			continue
		}
		var best *room
		for _, c := range rooms {
			if free(c) > 0 && (best == nil || free(c) > free(best)) {
				best = c
			}
		}
		if best == nil {
			break
		}
		excess := min(max(r.Hours()-maxH, 0), best.hours)
		h := min(excess, r.Planned) // task work moves as tasks
		t := min(max(r.Open-maxT, 0), best.tasks)
		if t == 0 && h > 0 {
			t = 1 // hours move with at least one task
		}
		if h == 0 && t == 0 && excess > 0 {
			// Over on clean-up queues alone: share one.
			w.Suggestions = append(w.Suggestions, Handover{From: r.User, To: best.user, Hours: excess, Queue: true})
			best.hours -= excess
			continue
		}
		w.Suggestions = append(w.Suggestions, Handover{From: r.User, To: best.user, Hours: h, Tasks: t})
		best.hours -= h
		best.tasks -= t
	}
	return w
}

// TeamSide is one side of the team's load: the in-house team or the
// partners, how many people and their work added up.
type TeamSide struct {
	People int
	Load   Load // User is ""
}

// add counts one person's load.
func (s *TeamSide) add(l Load) {
	s.People++
	s.Load.add(l)
}

// Sides adds up w's rows for the in-house team and for the partners (whom
// isPartner names), side by side; the unassigned work is on neither.
func (w Workload) Sides(isPartner func(user string) bool) (inHouse, partners TeamSide) {
	for _, r := range w.Rows {
		if isPartner(r.User) {
			partners.add(r.Load)
		} else {
			inHouse.add(r.Load)
		}
	}
	return inHouse, partners
}
