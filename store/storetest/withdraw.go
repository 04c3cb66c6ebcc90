package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// ask creates a decision as requester and returns it with its request DM.
func (e *env) ask(requester, question string) (*upgradebot.Decision, *upgradebot.Message) {
	e.t.Helper()
	mark := e.lastMessage()
	d := &upgradebot.Decision{Question: question}
	if _, err := e.desk.CreateDecision(e.ctx, requester, d); err != nil {
		e.t.Fatalf("CreateDecision: %v", err)
	}
	for _, m := range e.newMessages(mark) {
		if m.DecisionID == d.ID && m.Kind == upgradebot.MessageDM {
			return d, m
		}
	}
	e.t.Fatalf("no request DM for decision %d", d.ID)
	return nil, nil
}

// testWithdrawDecision: the requester takes back their own pending
// decision (issue 10: `withdraw 9` was unknown, and `cancel 9` cancelled
// task #9); the owner's request DM is edited in place. Others' decisions
// and decided ones are refused with the reason.
func testWithdrawDecision(t *testing.T, e *env) {
	e.setOwner(Owner)
	d1, req1 := e.ask(Alice, "Freeze the build environment over the holidays?")
	d2, _ := e.ask(Alice, "Take 2027.1 in March?")

	mark, amark := e.lastMessage(), e.lastAudit()
	_, err := e.desk.WithdrawDecision(e.ctx, Bob, d1.ID, "")
	wantErr(t, err, upgradebot.EFORBIDDEN, fmt.Sprintf("Only <@%s>, who asked decision D%d, can withdraw it.", Alice, d1.ID))
	_, err = e.desk.WithdrawDecision(e.ctx, Owner, d1.ID, "")
	wantErr(t, err, upgradebot.EFORBIDDEN)
	_, err = e.desk.WithdrawDecision(e.ctx, Alice, 99999, "")
	wantErr(t, err, upgradebot.ENOTFOUND, "No decision D99999")
	_, err = e.desk.WithdrawDecision(e.ctx, Alice, d1.ID, strings.Repeat("x", upgradebot.MaxTextLen+1))
	wantErr(t, err, upgradebot.EINVALID)
	e.wantActions(amark)
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("refusals queued %+v", msgs)
	}

	e.clock.Advance(time.Minute)
	got, err := e.desk.WithdrawDecision(e.ctx, Alice, d1.ID, "asked by mistake")
	ok(t, err)
	if got.Status != upgradebot.DecisionWithdrawn || got.DecidedBy != Alice || got.Comment != "asked by mistake" || got.RoutedTo != Owner {
		t.Errorf("withdrawn = %+v", got)
	}
	sameTime(t, "DecidedAt", got.DecidedAt, Start.Add(time.Minute))
	if found := e.decision(d1.ID); decisionString(found) != decisionString(got) {
		t.Errorf("found\n%s\nwant\n%s", decisionString(found), decisionString(got))
	}
	rows := e.wantActions(amark, "decision.withdraw")
	if len(rows) == 1 && (rows[0].EntityID != d1.ID || !strings.Contains(rows[0].Before, `"status":"pending"`) || !strings.Contains(rows[0].After, `"status":"withdrawn"`)) {
		t.Errorf("audit row = %+v", rows[0])
	}
	msgs := e.newMessages(mark)
	if len(msgs) != 1 || msgs[0].Kind != upgradebot.MessageUpdate || msgs[0].UpdateOf != req1.ID || msgs[0].To != Owner ||
		!strings.Contains(msgs[0].Text, "Withdrawn by <@"+Alice+">, who asked it: asked by mistake.") {
		t.Errorf("messages = %+v, want the owner's request DM #%d edited in place", msgs, req1.ID)
	}
	pending, err := e.desk.FindDecisions(e.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	ok(t, err)
	if len(pending) != 1 || pending[0].ID != d2.ID {
		t.Errorf("pending after withdrawing = %+v", pending)
	}

	// Once withdrawn or decided, it is refused with who and when.
	_, err = e.desk.WithdrawDecision(e.ctx, Alice, d1.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already withdrawn by <@"+Alice+">")
	_, err = e.desk.Decide(e.ctx, Owner, d1.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already withdrawn")
	_, err = e.desk.Decide(e.ctx, Owner, d2.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	_, err = e.desk.WithdrawDecision(e.ctx, Alice, d2.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already approved by <@"+Owner+">")
}

// testOwnerReroute: a new decision owner gets every pending decision (issue
// 10: they kept waiting on the former owner, who could no longer answer):
// each sent to them once as a new request, the old request DM edited in
// place to say where it went, audited, and each requester told once.
func testOwnerReroute(t *testing.T, e *env) {
	e.setOwner(Owner)
	d1, req1 := e.ask(Alice, "Take 2027.1 in March?")
	d2, req2 := e.ask(Alice, "Skip the 2026.4 training refresh?")
	d3, _ := e.ask(Bob, "Extend the freeze by a week?")
	d4, _ := e.ask(Bob, "Buy more scanner licences?")
	d5, _ := e.ask(Admin, "Move the go-live to a Sunday?")
	_, err := e.desk.Decide(e.ctx, Owner, d3.ID, upgradebot.DecisionApproved, "")
	ok(t, err)

	// A week on, the owner leaves; without the re-route the escalation job
	// would now remind the new owner of each at once.
	e.clock.Set(Start.AddDate(0, 0, 7))
	mark, amark := e.lastMessage(), e.lastAudit()
	ok(t, e.desk.SetOwner(e.ctx, Admin, Admin2))
	rows := e.wantActions(amark, "owner.set", "decision.reroute", "decision.reroute", "decision.reroute", "decision.reroute")
	if len(rows) == 5 && (rows[1].EntityID != d1.ID || !strings.Contains(rows[1].Before, `"routed_to":"`+Owner+`"`) ||
		!strings.Contains(rows[1].After, `"routed_to":"`+Admin2+`"`)) {
		t.Errorf("audit row = %+v", rows[1])
	}
	var got []string
	requests := map[int64]int64{}
	for _, m := range e.newMessages(mark) {
		got = append(got, fmt.Sprintf("%s %s %d %d", m.Kind, m.To, m.DecisionID, m.UpdateOf))
		if m.Kind == upgradebot.MessageDM && m.DecisionID != 0 {
			requests[m.DecisionID] = m.ID
		}
	}
	want := []string{
		fmt.Sprintf("dm %s %d 0", Admin2, d1.ID), fmt.Sprintf("update %s %d %d", Owner, d1.ID, req1.ID),
		fmt.Sprintf("dm %s %d 0", Admin2, d2.ID), fmt.Sprintf("update %s %d %d", Owner, d2.ID, req2.ID),
		fmt.Sprintf("dm %s %d 0", Admin2, d4.ID), fmt.Sprintf("update %s %d", Owner, d4.ID),
		fmt.Sprintf("dm %s %d 0", Admin2, d5.ID), fmt.Sprintf("update %s %d", Owner, d5.ID),
		fmt.Sprintf("dm %s 0 0", Alice), fmt.Sprintf("dm %s 0 0", Bob),
	}
	if len(got) != len(want) {
		t.Fatalf("messages:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("message %d = %q, want %q", i, got[i], want[i])
		}
	}
	msgs := e.newMessages(mark)
	if !strings.Contains(msgs[1].Text, "Moved to <@"+Admin2+">: the decision owner changed.") {
		t.Errorf("old request edited to %q", msgs[1].Text)
	}
	if !strings.Contains(msgs[8].Text, fmt.Sprintf("<@%s> made <@%s> the decision owner", Admin, Admin2)) ||
		!strings.Contains(msgs[8].Text, fmt.Sprintf("D%d Take 2027.1", d1.ID)) || !strings.Contains(msgs[8].Text, fmt.Sprintf("D%d Skip", d2.ID)) {
		t.Errorf("Alice was told %q", msgs[8].Text)
	}
	for _, d := range []*upgradebot.Decision{d1, d2, d4, d5} {
		if now := e.decision(d.ID); now.RoutedTo != Admin2 || now.Status != upgradebot.DecisionPending {
			t.Errorf("decision %d after the change = %+v", d.ID, now)
		}
	}
	if now := e.decision(d3.ID); now.RoutedTo != Owner {
		t.Errorf("a decided decision moved: %+v", now)
	}

	// The new request is the reminder: no second DM right away.
	steps, err := e.desk.EscalateDecisions(e.ctx, e.clock.Now(), upgradebot.WorkingTime{Location: NewYork}, upgradebot.EscalationPolicy{}, Channel)
	ok(t, err)
	if len(steps) != 0 {
		t.Errorf("escalation right after the re-route: %d steps", len(steps))
	}

	// The former owner can no longer answer; the new one can, and the
	// outcome edits the new request.
	_, err = e.desk.Decide(e.ctx, Owner, d1.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.EFORBIDDEN)
	mark = e.lastMessage()
	_, err = e.desk.Decide(e.ctx, Admin2, d1.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	if msgs := e.newMessages(mark); len(msgs) == 0 || msgs[0].Kind != upgradebot.MessageUpdate || msgs[0].UpdateOf != requests[d1.ID] {
		t.Errorf("outcome messages = %+v, want the new request #%d edited", msgs, requests[d1.ID])
	}

	// The same owner again changes nothing.
	mark, amark = e.lastMessage(), e.lastAudit()
	ok(t, e.desk.SetOwner(e.ctx, Admin, Admin2))
	e.wantActions(amark)

	// Back to an owner who is away with a delegate: the delegate gets them,
	// on the owner's behalf, and the requester is told so.
	ok(t, e.desk.SetAway(e.ctx, Admin, &upgradebot.Away{User: Owner, From: e.today(), To: e.today().AddDays(3), Delegate: Delegate}))
	mark = e.lastMessage()
	ok(t, e.desk.SetOwner(e.ctx, Admin, Owner))
	if now := e.decision(d2.ID); now.RoutedTo != Delegate || now.OnBehalfOf != Owner {
		t.Errorf("decision %d with the owner away = %+v", d2.ID, now)
	}
	var toAlice []*upgradebot.Message
	for _, m := range e.newMessages(mark) {
		if m.To == Alice {
			toAlice = append(toAlice, m)
		}
	}
	if len(toAlice) != 1 || !strings.Contains(toAlice[0].Text, fmt.Sprintf("(to <@%s>, the delegate while <@%s> is away)", Delegate, Owner)) {
		t.Errorf("Alice was told %+v", toAlice)
	}
}
