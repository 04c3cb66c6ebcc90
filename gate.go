package upgradebot

import "fmt"

// IsGate reports whether d is a phase gate: a request to close a release's
// phase, which is recorded done when the decision is approved.
func (d *Decision) IsGate() bool { return d.Phase != "" }

// NewGate is the decision that asks to close phase p of release r on day:
// "Gate: close the build phase of `medcore-2027.1` (MedCore 2027.1) on Mon
// 30 Nov 2026 so test can start?", the next phase read from the team's
// plan; closing its last phase asks "so the release is live?". When open
// tasks of the phase remain, the question says how many, so the owner sees
// what closing it leaves behind.
func NewGate(plan PhasePlan, r *Release, p Phase, day Date, open int) *Decision {
	next := "the release is live"
	if n, ok := plan.Next(p); ok {
		next = string(n) + " can start"
	}
	q := fmt.Sprintf("Gate: close the %s phase of `%s` (%s %s) on %s so %s?", p, r.Key, r.Vendor, r.Name, day.Human(), next)
	switch {
	case open == 1:
		q += fmt.Sprintf(" 1 %s task is still open.", p)
	case open > 1:
		q += fmt.Sprintf(" %d %s tasks are still open.", open, p)
	}
	return &Decision{
		Question:  q,
		ReleaseID: r.ID,
		Release:   r.Key,
		Phase:     p,
		GateDay:   day,
	}
}

// GateOutcome is the line a decided gate adds to its outcome messages: the
// day its phase was done when it was already done before the decision
// (already), else on approval the day it is recorded done (end) and on
// rejection that it stays open.
func GateOutcome(d *Decision, end Date, already bool) string {
	switch {
	case already:
		return fmt.Sprintf("The %s phase of `%s` was already done on %s.", d.Phase, d.Release, end.Human())
	case d.Status == DecisionRejected:
		return fmt.Sprintf("The %s phase of `%s` stays open.", d.Phase, d.Release)
	}
	return fmt.Sprintf("The %s phase of `%s` is recorded done on %s.", d.Phase, d.Release, end.Human())
}
