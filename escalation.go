package upgradebot

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// ConsoleUser is the user the local console and `exec` act as by default.
// No Slack workspace has them, so nothing is ever escalated to them, even
// when a database the console made them an admin of is served on Slack.
const ConsoleUser = "U0CONSOLE"

// Decision escalation defaults, in working days.
const (
	DefaultEscalateAfter = 2 // a decision with no due date waits this long before its owner is reminded
	DefaultEscalateThen  = 2 // after the reminder, this long before it goes to the delegate or the admins
)

// Escalation levels of a pending decision.
const (
	EscalationNone      = 0 // asked, nothing more
	EscalationReminded  = 1 // the request was sent again to whoever decides
	EscalationEscalated = 2 // it went to the delegate or the admins, and the requester was told
)

// EscalationPolicy says when pending decisions are escalated. Zero fields
// take the defaults.
type EscalationPolicy struct {
	After int // working days from the request to the reminder, for a decision with no due date
	Then  int // working days from the reminder to the escalation
}

func (p EscalationPolicy) after() int { return cmp.Or(max(p.After, 0), DefaultEscalateAfter) }
func (p EscalationPolicy) then() int  { return cmp.Or(max(p.Then, 0), DefaultEscalateThen) }

// EscalationState is where a pending decision is on the ladder.
type EscalationState struct {
	Level int
	At    time.Time // when it reached Level (zero for EscalationNone)
}

// Escalation is one step a pending decision took.
type Escalation struct {
	Decision *Decision
	Level    int // the level reached
}

// EscalationDue returns the level pending decision d moves to on day today,
// one step at a time, or st.Level when no step is due. The reminder is due
// once its due date has passed in the team's zone or, with no due date,
// p.After working days after it was asked; the escalation p.Then working
// days after the day of the reminder.
func EscalationDue(d *Decision, st EscalationState, today Date, cal WorkingTime, p EscalationPolicy) int {
	if d.Status != DecisionPending {
		return st.Level
	}
	switch st.Level {
	case EscalationNone:
		if !d.Due.IsZero() && today.After(d.Due) {
			return EscalationReminded
		}
		if d.Due.IsZero() && !today.Before(cal.AddWorkingDays(cal.Today(d.CreatedAt), p.after())) {
			return EscalationReminded
		}
	case EscalationReminded:
		if !today.Before(cal.AddWorkingDays(cal.Today(st.At), p.then())) {
			return EscalationEscalated
		}
	}
	return st.Level
}

// EscalationMessages are what a step to level sends, at now with routing r
// (who decides today), in the team's zone loc; request is the decision's
// request card:
//
//   - the reminder: the request sent again, with its buttons, to whoever
//     decides today, marked as a reminder: a reply in the request's thread
//     when it goes to the person the request went to;
//   - the escalation: while the owner is away with a delegate, the request
//     to the delegate; otherwise a DM to each admin (other than the owner)
//     asking them to follow up (never the console's user, whom no
//     workspace has), or a channel post when there is no such admin; and
//     the requester is told where it went.
func EscalationMessages(d *Decision, level int, r Routing, admins []string, channel string, now time.Time, loc *time.Location, request DecisionCard) []Message {
	waited := Waited(now.Sub(d.CreatedAt))
	req := *d
	req.RoutedTo, req.OnBehalfOf = r.To, ""
	if r.Delegated {
		req.OnBehalfOf = r.Owner
	}
	switch level {
	case EscalationReminded:
		m := DecisionRequestMessage(&req, loc)
		m.Text = fmt.Sprintf("*Reminder:* this decision has waited %s.\n", waited) + m.Text
		if request.Message != 0 && request.To == m.To {
			m.ThreadOf = request.Message
		}
		return []Message{m}
	case EscalationEscalated:
	default:
		return nil
	}

	var out []Message
	var went string
	if r.Delegated {
		m := DecisionRequestMessage(&req, loc)
		m.Text = fmt.Sprintf("*Escalated to you:* %s is away and this decision has waited %s.\n", Mention(r.Owner), waited) + m.Text
		out = append(out, m)
		went = fmt.Sprintf("%s, who decides while %s is away", Mention(r.To), Mention(r.Owner))
	} else {
		var to []string
		for _, a := range admins {
			if a != r.Owner && a != d.RequestedBy && a != ConsoleUser && !slices.Contains(to, a) {
				to = append(to, a)
			}
		}
		text := fmt.Sprintf("*Decision #%d is waiting too long* on %s (%s so far", d.ID, Mention(r.To), waited)
		if !d.Due.IsZero() {
			text += ", needed by " + d.Due.Relative(Today(now, loc))
		}
		text += fmt.Sprintf("), asked by %s:\n%s", Mention(d.RequestedBy), Quote(d.Question))
		switch {
		case len(to) > 0:
			for _, a := range to {
				out = append(out, Message{Kind: MessageDM, To: a, Text: text + fmt.Sprintf("\nPlease follow up with %s.", Mention(r.To))})
			}
			went = "the admins (" + mentionList(to) + ")"
		case channel != "":
			out = append(out, Message{Kind: MessagePost, To: channel, Text: text})
			went = "the team channel"
		default:
			return out // nobody else to tell; the reminder stands
		}
	}
	if d.RequestedBy != "" && d.RequestedBy != r.To {
		out = append(out, Message{Kind: MessageDM, To: d.RequestedBy,
			Text: fmt.Sprintf("Decision #%d has waited %s on %s, so I have passed it to %s.\n%s",
				d.ID, waited, Mention(r.Owner), went, Quote(d.Question))})
	}
	return out
}

func mentionList(users []string) string {
	s := ""
	for i, u := range users {
		if i > 0 {
			s += ", "
		}
		s += Mention(u)
	}
	return s
}
