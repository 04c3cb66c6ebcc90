package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testDecisionCards: every message that carries a decision's buttons is a
// card of it, and deciding, withdrawing or re-routing updates each card
// still open, once (issue 15). A reminder to whoever the request went to is
// a reply in the request's thread.
func testDecisionCards(t *testing.T, e *env) {
	e.setOwner(Owner)
	at := func(d string) time.Time { return day(d).Time(NewYork).Add(9*time.Hour + 30*time.Minute) }
	cardsOf := func(msgs []*upgradebot.Message) []int64 {
		var ids []int64
		for _, m := range msgs {
			if m.Kind == upgradebot.MessageDM && m.DecisionID != 0 {
				ids = append(ids, m.ID)
			}
		}
		return ids
	}
	updated := func(msgs []*upgradebot.Message) []int64 {
		var ids []int64
		for _, m := range msgs {
			if m.Kind == upgradebot.MessageUpdate {
				ids = append(ids, m.UpdateOf)
			}
		}
		slices.Sort(ids)
		return ids
	}

	// Asked, reminded, escalated to the delegate: three cards.
	mark := e.lastMessage()
	d := &upgradebot.Decision{Question: "One go-live for both releases?"}
	_, err := e.desk.CreateDecision(e.ctx, Alice, d)
	ok(t, err)
	request := cardsOf(e.newMessages(mark))
	if len(request) != 1 {
		t.Fatalf("request cards %v", request)
	}
	mark = e.lastMessage()
	_, err = e.desk.EscalateDecisions(e.ctx, at("2026-11-30"), calendar, upgradebot.EscalationPolicy{}, Channel)
	ok(t, err)
	msgs := e.newMessages(mark)
	reminder := cardsOf(msgs)
	if len(reminder) != 1 || msgs[0].ThreadOf != request[0] || msgs[0].To != Owner {
		t.Fatalf("reminder %+v, want a card to the owner in the request's thread", msgs)
	}
	ok(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: day("2026-11-30"), To: day("2026-12-11"), Delegate: Delegate}))
	mark = e.lastMessage()
	_, err = e.desk.EscalateDecisions(e.ctx, at("2026-12-02"), calendar, upgradebot.EscalationPolicy{}, Channel)
	ok(t, err)
	msgs = e.newMessages(mark)
	escalated := cardsOf(msgs)
	if len(escalated) != 1 || msgs[0].To != Delegate || msgs[0].ThreadOf != 0 {
		t.Fatalf("escalation %+v, want a card to the delegate, not in a thread", msgs)
	}

	// Deciding updates all three, once.
	mark = e.lastMessage()
	e.clock.Set(at("2026-12-02"))
	_, err = e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	want := []int64{request[0], reminder[0], escalated[0]}
	if got := updated(e.newMessages(mark)); !slices.Equal(got, want) {
		t.Errorf("deciding updated %v, want every card %v", got, want)
	}

	// Withdrawing updates the cards of the decision withdrawn.
	d2 := &upgradebot.Decision{Question: "Extend the freeze?"}
	mark = e.lastMessage()
	_, err = e.desk.CreateDecision(e.ctx, Bob, d2)
	ok(t, err)
	cards := cardsOf(e.newMessages(mark))
	mark = e.lastMessage()
	_, err = e.desk.WithdrawDecision(e.ctx, Bob, d2.ID, "")
	ok(t, err)
	if got := updated(e.newMessages(mark)); !slices.Equal(got, cards) || len(cards) != 1 {
		t.Errorf("withdrawing updated %v, want %v", got, cards)
	}

	// Re-routing updates the cards before and makes the new request the
	// one open card: deciding then updates that one alone.
	d3 := &upgradebot.Decision{Question: "Buy scanner licences?"}
	mark = e.lastMessage()
	_, err = e.desk.CreateDecision(e.ctx, Bob, d3) // to the delegate, the owner away
	ok(t, err)
	before := cardsOf(e.newMessages(mark))
	mark = e.lastMessage()
	ok(t, e.desk.SetOwner(e.ctx, Admin, Admin2))
	msgs = e.newMessages(mark)
	if got := updated(msgs); !slices.Equal(got, before) {
		t.Errorf("re-routing updated %v, want %v", got, before)
	}
	after := cardsOf(msgs)
	if len(after) != 1 {
		t.Fatalf("re-routing made cards %v, want one new request", after)
	}
	mark = e.lastMessage()
	_, err = e.desk.Decide(e.ctx, Admin2, d3.ID, upgradebot.DecisionRejected, "not this year")
	ok(t, err)
	if got := updated(e.newMessages(mark)); !slices.Equal(got, after) {
		t.Errorf("deciding after the re-route updated %v, want the new request %v only", got, after)
	}
}
