package upgradebot

import "time"

// DecisionStatus is where a decision request stands.
type DecisionStatus string

// Decision statuses.
const (
	DecisionPending  DecisionStatus = "pending"
	DecisionApproved DecisionStatus = "approved"
	DecisionRejected DecisionStatus = "rejected"
	// DecisionWithdrawn: the requester took it back before it was decided
	// (DecidedBy is the requester, Comment their reason if any).
	DecisionWithdrawn DecisionStatus = "withdrawn"
)

// Decision is a question only the decision owner (or the delegate while the
// owner is away) may answer.
type Decision struct {
	ID          int64          `json:"id"`
	Question    string         `json:"question"`
	RequestedBy string         `json:"requested_by"`
	RoutedTo    string         `json:"routed_to"`              // who was asked
	OnBehalfOf  string         `json:"on_behalf_of,omitempty"` // the away owner, when routed to a delegate
	Due         Date           `json:"due"`
	Status      DecisionStatus `json:"status"`
	DecidedBy   string         `json:"decided_by,omitempty"`
	DecidedAt   time.Time      `json:"decided_at,omitzero"`
	Comment     string         `json:"comment,omitempty"` // approval comment or rejection reason
	CreatedAt   time.Time      `json:"created_at"`

	// A phase gate (see IsGate) names the release and phase to close and
	// the day the requester gave: approving it records the phase done then.
	ReleaseID int64  `json:"release_id,omitempty"`
	Release   string `json:"release,omitempty"` // the release's key
	Phase     Phase  `json:"phase,omitempty"`
	GateDay   Date   `json:"gate_day,omitzero"`
	// GateResult is set by DecisionService.Decide on a decided gate: what
	// became of its phase (see GateOutcome), the line its outcome messages
	// carry. It is not stored.
	GateResult string `json:"-"`
}

// Validate reports the first thing wrong with a new decision request.
func (d *Decision) Validate() error {
	if d.Status == "" {
		d.Status = DecisionPending
	}
	return ValidateText("question", d.Question)
}

// Away is a window in which a person is away, with the person who covers
// for them. Only the decision owner's windows change routing.
type Away struct {
	ID       int64  `json:"id"`
	User     string `json:"user"`
	From     Date   `json:"from"`
	To       Date   `json:"to"` // inclusive
	Delegate string `json:"delegate,omitempty"`

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate reports the first thing wrong with a.
func (a *Away) Validate() error {
	switch {
	case a.User == "":
		return Errorf(EINVALID, "whose away window is it?")
	case a.From.IsZero() || a.To.IsZero():
		return Errorf(EINVALID, "an away window needs both dates: away 2026-12-22..2027-01-02")
	case a.To.Before(a.From):
		return Errorf(EINVALID, "the away window ends (%s) before it starts (%s)", a.To, a.From)
	case a.Delegate == a.User:
		return Errorf(EINVALID, "a person cannot delegate to themselves")
	}
	return nil
}

// Covers reports whether day d falls inside the window.
func (a Away) Covers(d Date) bool { return !d.Before(a.From) && !d.After(a.To) }

// Routing says who answers decisions on a given day.
type Routing struct {
	Owner     string // the decision owner; "" if none is set
	To        string // who answers today: the owner, or the delegate while the owner is away
	Delegated bool   // To is a delegate
	// AwayUntil is set when the owner is away today (with or without a delegate).
	AwayUntil Date
}

// Route works out who answers decisions on day today, given the owner and
// every away window. With no owner it returns ECONFLICT with the fix.
func Route(owner string, away []Away, today Date) (Routing, error) {
	if owner == "" {
		return Routing{}, Errorf(ECONFLICT, "No decision owner is set, so there is nobody to ask. An admin sets one with `/upgrade owner @name`.")
	}
	r := Routing{Owner: owner, To: owner}
	for _, a := range away {
		if a.User != owner || !a.Covers(today) {
			continue
		}
		if a.To.After(r.AwayUntil) {
			r.AwayUntil = a.To
		}
		if a.Delegate != "" && !r.Delegated {
			r.To, r.Delegated = a.Delegate, true
		}
	}
	return r, nil
}

// MayDecide reports whether actor may approve or reject decisions today:
// the owner always may; the delegate only while the owner is away.
func (r Routing) MayDecide(actor string) bool {
	return actor != "" && (actor == r.Owner || (r.Delegated && actor == r.To))
}
