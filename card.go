package upgradebot

import (
	"fmt"
	"time"
)

// A decision has one live card: every message that carries its Approve /
// Reject buttons (the request, each reminder, an escalation to the
// delegate, a phase gate's request) is a card, recorded with the outbox,
// and when the decision is decided, withdrawn or re-routed every card still
// live is updated in place: its buttons go and it says what became of the
// question. A reminder to the person the request went to is a reply in the
// request's thread, so their DM keeps one question.

// DecisionCard is a message that carries a decision's buttons: its outbox
// id and who it went to.
type DecisionCard struct {
	Message int64  `json:"message"`
	To      string `json:"to"`
}

// requestHead is the first lines of every card of decision d: who asked
// and the question, quoted.
func requestHead(d *Decision) string {
	return fmt.Sprintf("*Decision #%d* requested by %s:\n%s", d.ID, Mention(d.RequestedBy), Quote(d.Question))
}

// DecisionRequestMessage asks the routed person to decide, in the team's
// zone loc: who asks, the question, when it was asked and is needed, the
// release a phase gate closes, and the commands that answer it too. It
// carries the decision id, so that Slack renders it as a card with Approve
// / Reject buttons.
func DecisionRequestMessage(d *Decision, loc *time.Location) Message {
	today := Today(d.CreatedAt, loc)
	text := requestHead(d)
	when := "Asked " + askedAt(d, loc, today)
	if !d.Due.IsZero() {
		when += " · needed by *" + d.Due.Relative(today) + "*"
	}
	text += "\n" + when + "."
	if d.Release != "" {
		text += fmt.Sprintf("\nRelease: `%s`, its %s phase (`/upgrade release %s` shows it).", d.Release, d.Phase, d.Release)
	}
	if d.OnBehalfOf != "" {
		text += fmt.Sprintf("\nYou are asked as delegate while %s is away.", Mention(d.OnBehalfOf))
	}
	text += fmt.Sprintf("\nAnswer with `/upgrade approve %d [comment]` or `/upgrade reject %d <reason>`.", d.ID, d.ID)
	return Message{Kind: MessageDM, To: d.RoutedTo, Text: text, DecisionID: d.ID}
}

// askedAt is when d was asked: "Thu 26 Nov, 09:00" (the day always, as a
// card is read days later).
func askedAt(d *Decision, loc *time.Location, today Date) string {
	t := d.CreatedAt.In(loc)
	return DateOf(t).Short(today) + ", " + t.Format("15:04")
}

// DecisionOutcome is the one-line result of a decided decision.
func DecisionOutcome(d *Decision) string {
	s := fmt.Sprintf("Decision #%d %s by %s", d.ID, d.Status, Mention(d.DecidedBy))
	if d.Comment != "" {
		s += ": " + Escape(d.Comment)
	}
	return s
}

// OutcomeLine is the line a decided card ends with, in the team's zone
// loc: "✅ Approved by <@U…>, 11:52: comment" or "❌ Rejected by …", the
// time with its day when that is not the day the question was asked.
func OutcomeLine(d *Decision, loc *time.Location) string {
	mark := "✅"
	if d.Status == DecisionRejected {
		mark = "❌"
	}
	s := fmt.Sprintf("%s %s by %s, %s", mark, UpperFirst(string(d.Status)), Mention(d.DecidedBy),
		ClockTime(d.DecidedAt, loc, Today(d.CreatedAt, loc)))
	if d.Comment != "" {
		s += ": " + Escape(d.Comment)
	}
	return s
}

// DecisionOutcomeCard is a decided card: its head and OutcomeLine.
func DecisionOutcomeCard(d *Decision, loc *time.Location) string {
	return requestHead(d) + "\n" + OutcomeLine(d, loc)
}

// DecisionOutcomeMessages are what deciding sends: every live card of the
// decision edited in place (buttons gone, the outcome shown; the latest
// first, as the one just tapped is most likely the reminder), the
// requester told, and a line in the team channel when one is set. The
// requester's DM and the channel line carry a gate's result when the
// caller adds it.
func DecisionOutcomeMessages(d *Decision, cards []DecisionCard, channel string, loc *time.Location) []Message {
	var out []Message
	for i := len(cards) - 1; i >= 0; i-- {
		c := cards[i]
		out = append(out, Message{Kind: MessageUpdate, To: c.To, UpdateOf: c.Message, DecisionID: d.ID,
			Text: DecisionOutcomeCard(d, loc)})
	}
	if d.RequestedBy != d.DecidedBy {
		out = append(out, Message{Kind: MessageDM, To: d.RequestedBy,
			Text: fmt.Sprintf("%s\n%s", DecisionOutcome(d), Quote(d.Question))})
	}
	if channel != "" {
		out = append(out, Message{Kind: MessagePost, To: channel,
			Text: fmt.Sprintf("%s (asked by %s)\n%s", DecisionOutcome(d), Mention(d.RequestedBy), Quote(d.Question))})
	}
	return out
}

// editCards is text put in place of every live card of d; with none (a
// request sent before the outbox kept ids) a DM to fallback that says the
// same.
func editCards(d *Decision, cards []DecisionCard, fallback, text string) []Message {
	if len(cards) == 0 {
		if fallback == "" {
			return nil
		}
		return []Message{{Kind: MessageDM, To: fallback, Text: text}}
	}
	var out []Message
	for i := len(cards) - 1; i >= 0; i-- {
		out = append(out, Message{Kind: MessageUpdate, To: cards[i].To, UpdateOf: cards[i].Message, DecisionID: d.ID, Text: text})
	}
	return out
}
