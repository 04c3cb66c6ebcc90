package upgradebot

import (
	"fmt"
	"strings"
)

// A pending decision leaves the person it was routed to in two ways other
// than being decided: its requester withdraws it, or the decision owner
// changes and it is re-routed. Either way the request DM that person got is
// edited in place, so its buttons go and nobody answers a question that is
// no longer theirs.

// DecisionWithdrawnMessages are what withdrawing decision d sends: every
// live card of it edited in place to say the requester took it back, with
// their reason (or, with no card known, a DM to d.RoutedTo).
func DecisionWithdrawnMessages(d *Decision, cards []DecisionCard) []Message {
	line := fmt.Sprintf("Withdrawn by %s, who asked it", Mention(d.DecidedBy))
	if d.Comment != "" {
		line += ": " + Escape(d.Comment)
	}
	return editCards(d, cards, d.RoutedTo, requestHead(d)+"\n"+Sentence(line)+" Nothing to answer.")
}

// DecisionMovedMessages edit the live cards of decision d, re-routed to
// d.RoutedTo because the decision owner changed, to say where it went (or,
// with no card known, DM from, who had it).
func DecisionMovedMessages(d *Decision, from string, cards []DecisionCard) []Message {
	if !ValidUserID(from) {
		from = ""
	}
	return editCards(d, cards, from, requestHead(d)+fmt.Sprintf("\nMoved to %s: the decision owner changed. Nothing to answer here.", Mention(d.RoutedTo)))
}

// DecisionsMovedMessage tells requester, in one DM, that by made owner the
// decision owner and their pending decisions ds now wait on whoever
// decides (the owner, or the delegate while the owner is away).
func DecisionsMovedMessage(requester, by, owner string, ds []*Decision) Message {
	lines := []string{fmt.Sprintf("%s made %s the decision owner, so your pending decisions went to them:", Mention(by), Mention(owner))}
	for _, d := range ds {
		line := fmt.Sprintf("• D%d %s", d.ID, Escape(ClipWords(d.Question, digestTitleLen)))
		if d.RoutedTo != owner {
			line += fmt.Sprintf(" (to %s, the delegate while %s is away)", Mention(d.RoutedTo), Mention(owner))
		}
		lines = append(lines, line)
	}
	return Message{Kind: MessageDM, To: requester, Text: strings.Join(lines, "\n")}
}
