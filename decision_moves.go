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

// requestHead is the first lines of a decision's request DM, which its
// edits keep.
func requestHead(d *Decision) string {
	return fmt.Sprintf("*Decision #%d* requested by %s:\n%s", d.ID, Mention(d.RequestedBy), Quote(d.Question))
}

// editRequest is the request DM's edit in place (requestMsg its outbox id),
// or, for a request sent before the outbox kept ids (0), a DM that says
// the same to whoever was asked.
func editRequest(d *Decision, to string, requestMsg int64, text string) Message {
	if requestMsg == 0 {
		return Message{Kind: MessageDM, To: to, Text: text}
	}
	return Message{Kind: MessageUpdate, To: to, UpdateOf: requestMsg, DecisionID: d.ID, Text: text}
}

// DecisionWithdrawnMessage is what withdrawing decision d sends: the
// request DM to d.RoutedTo edited in place to say the requester took it
// back, with their reason.
func DecisionWithdrawnMessage(d *Decision, requestMsg int64) Message {
	line := fmt.Sprintf("Withdrawn by %s, who asked it", Mention(d.DecidedBy))
	if d.Comment != "" {
		line += ": " + Escape(d.Comment)
	}
	return editRequest(d, d.RoutedTo, requestMsg, requestHead(d)+"\n"+Sentence(line)+" Nothing to answer.")
}

// DecisionMovedMessage edits the request DM that from got for decision d,
// re-routed to d.RoutedTo because the decision owner changed, to say where
// it went.
func DecisionMovedMessage(d *Decision, from string, requestMsg int64) Message {
	return editRequest(d, from, requestMsg, requestHead(d)+fmt.Sprintf("\nMoved to %s: the decision owner changed. Nothing to answer here.", Mention(d.RoutedTo)))
}

// DecisionsMovedMessage tells requester, in one DM, that by made owner the
// decision owner and their pending decisions ds now wait on whoever
// decides (the owner, or the delegate while the owner is away).
func DecisionsMovedMessage(requester, by, owner string, ds []*Decision) Message {
	lines := []string{fmt.Sprintf("%s made %s the decision owner, so your pending decisions went to them:", Mention(by), Mention(owner))}
	for _, d := range ds {
		line := fmt.Sprintf("• D%d %s", d.ID, Escape(clipRunes(d.Question, digestTitleLen)))
		if d.RoutedTo != owner {
			line += fmt.Sprintf(" (to %s, the delegate while %s is away)", Mention(d.RoutedTo), Mention(owner))
		}
		lines = append(lines, line)
	}
	return Message{Kind: MessageDM, To: requester, Text: strings.Join(lines, "\n")}
}
