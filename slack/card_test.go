package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// card is a message Slack shows, as the fake saw it posted and last edited.
type card struct {
	channel, ts string
	posted      apiCall // the chat.postMessage that made it
	last        apiCall // the latest call that set its content
}

// slackMessages replays the fake's calls into the messages Slack would
// show now: each chat.postMessage, as the latest chat.update of it left it.
func slackMessages(t *testing.T, api *slackAPI) []*card {
	t.Helper()
	var out []*card
	byKey := map[string]*card{}
	for _, c := range api.Calls("") {
		key := c.Param("channel") + "/" + c.TS
		switch c.Method {
		case "chat.postMessage":
			m := &card{channel: c.Param("channel"), ts: c.TS, posted: c, last: c}
			byKey[key] = m
			out = append(out, m)
		case "chat.update":
			m := byKey[key]
			if m == nil {
				t.Fatalf("chat.update of a message never posted: %s", key)
			}
			m.last = c
		}
	}
	return out
}

// decisionButtons is the Approve / Reject buttons for decision id in v.
func decisionButtonsOf(v any, id int64) []button {
	var out []button
	for _, b := range buttons(v) {
		switch b.ActionID {
		case slackapp.ActionApprove, slackapp.ActionApproveComment, slackapp.ActionReject:
			if b.Value == fmt.Sprint(id) {
				out = append(out, b)
			}
		}
	}
	return out
}

// clickOn is clickBody for a button in the message with ts in channel.
func clickOn(t *testing.T, user, actionID, value, responseURL, channel, ts, blockID string) string {
	return payloadBody(t, map[string]any{
		"type":         "block_actions",
		"user":         slackUser(user),
		"api_app_id":   "A0APP",
		"trigger_id":   fmt.Sprintf("9999.1111.click-%s-%s-%s", user, actionID, ts),
		"response_url": responseURL,
		"container":    map[string]any{"type": "message", "message_ts": ts, "channel_id": channel},
		"actions": []any{map[string]any{
			"type": "button", "action_id": actionID, "block_id": blockID, "value": value,
			"text": map[string]any{"type": "plain_text", "text": "Press"}, "action_ts": "1764147601.000001",
		}},
	})
}

// TestOneLiveDecisionCard is issue 15's acceptance test for the decision
// card: a decision goes through request, reminder (a reply in the
// request's thread), escalation (the owner away: a card to the delegate)
// and approval from the reminder, against the Slack fake, through signed
// requests. Afterwards no message Slack shows has live Approve / Reject
// buttons for it, and the owner who tapped sees the answer on the
// reminder they tapped.
func TestOneLiveDecisionCard(t *testing.T) {
	api := newSlackAPI(t)
	e := newSlackEnv(t, api)
	ctx := context.Background()
	for _, req := range []bot.Request{{User: admin, Text: "owner <@U0OWNER>"}, {User: alice, Text: "decide Consolidate the two upgrades into one go-live?"}} {
		if r := e.slack.Bot.Handle(ctx, req); r.Failed {
			t.Fatal(r.Text)
		}
	}
	deliver := func() {
		t.Helper()
		for range 3 { // refreshes and messages, paced per channel: a few passes
			e.deliver(t)
			e.clock.Advance(time.Second)
		}
	}
	deliver()
	live := func() []*card {
		t.Helper()
		var out []*card
		for _, m := range slackMessages(t, api) {
			if len(decisionButtonsOf(blocks(t, m.last), 1)) > 0 {
				out = append(out, m)
			}
		}
		return out
	}
	cards := live()
	if len(cards) != 1 || cards[0].channel != "D0OWNER" {
		t.Fatalf("after the request, live cards %+v, want the owner's request", cards)
	}
	request := cards[0]
	if s := texts(blocks(t, request.posted)); !strings.Contains(s, "Asked Thu 26 Nov, 09:00") {
		t.Errorf("the request does not say when it was asked:\n%s", s)
	}

	// Two working days on (Monday): the reminder, in the request's thread.
	cal := upgradebot.WorkingTime{Location: mustZone("America/Chicago")}
	escalate := func(at time.Time) {
		t.Helper()
		e.clock.Set(at)
		if _, err := e.db.EscalateDecisions(ctx, at, cal, upgradebot.EscalationPolicy{}, teamCh); err != nil {
			t.Fatal(err)
		}
		deliver()
	}
	escalate(time.Date(2026, 11, 30, 9, 30, 0, 0, cal.Location))
	cards = live()
	if len(cards) != 2 {
		t.Fatalf("after the reminder, %d live cards, want 2", len(cards))
	}
	reminder := cards[1]
	if reminder.channel != "D0OWNER" || reminder.posted.Param("thread_ts") != request.ts {
		t.Errorf("reminder posted to %s with thread_ts %q, want a reply in the thread of %s", reminder.channel, reminder.posted.Param("thread_ts"), request.ts)
	}
	if s := texts(blocks(t, reminder.posted)); !strings.Contains(s, "*Reminder:* this decision has waited 4 days.") {
		t.Errorf("reminder: %s", s)
	}

	// The owner goes away with a delegate; two working days after the
	// reminder the decision goes to the delegate, with its buttons.
	if r := e.slack.Bot.Handle(ctx, bot.Request{User: owner, Text: "away today..2026-12-11 delegate:<@U0DELEG>"}); r.Failed {
		t.Fatal(r.Text)
	}
	escalate(time.Date(2026, 12, 2, 9, 30, 0, 0, cal.Location))
	cards = live()
	if len(cards) != 3 || cards[2].channel != "D0DELEG" {
		t.Fatalf("after the escalation, live cards %+v, want the owner's two and the delegate's", cards)
	}

	// The owner approves from the reminder.
	w := e.post(t, "/slack/interactive", clickOn(t, owner, slackapp.ActionApprove, "1", e.responseURL(), reminder.channel, reminder.ts, "decision_1"))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("approve: %d %q", w.Code, w.Body)
	}
	if d := decision(t, e, 1); d.Status != upgradebot.DecisionApproved || d.DecidedBy != owner {
		t.Fatalf("after the tap: %+v", d)
	}
	deliver()

	if cards := live(); len(cards) != 0 {
		for _, c := range cards {
			t.Errorf("live buttons remain in %s %s:\n%s", c.channel, c.ts, texts(blocks(t, c.last)))
		}
	}
	// The tapper got an answer, in place, on the card they tapped.
	msgs := slackMessages(t, api)
	var tapped *card
	for _, m := range msgs {
		if m.channel == reminder.channel && m.ts == reminder.ts {
			tapped = m
		}
	}
	if tapped == nil || tapped.last.Method != "chat.update" || !strings.Contains(texts(blocks(t, tapped.last)), "✅ Approved by you, Wed 2 Dec, 09:30") {
		t.Errorf("the reminder tapped reads:\n%s", texts(blocks(t, tapped.last)))
	}
	// Every card of the decision, the delegate's too, says so.
	for _, m := range msgs {
		if len(decisionButtonsOf(blocks(t, m.posted), 1)) == 0 {
			continue
		}
		if s := texts(blocks(t, m.last)); m.last.Method != "chat.update" || !strings.Contains(s, "✅ Approved by") {
			t.Errorf("card %s %s was not updated with the outcome:\n%s", m.channel, m.ts, s)
		}
	}
	if refusals := api.Responses(); len(refusals) != 0 {
		t.Errorf("the tap was refused: %+v", refusals)
	}
	// A second tap, on the delegate's stale card, is refused privately.
	for _, m := range msgs {
		if m.channel == "D0DELEG" && len(decisionButtonsOf(blocks(t, m.posted), 1)) > 0 {
			e.post(t, "/slack/interactive", clickOn(t, deleg, slackapp.ActionApprove, "1", e.responseURL(), m.channel, m.ts, "decision_1"))
		}
	}
	deliver()
	if r := api.Responses(); len(r) != 1 || !strings.Contains(r[0].Param("text"), "Decision #1 was already approved by") ||
		r[0].Param("response_type") != "ephemeral" {
		t.Errorf("second tap answered %+v, want an ephemeral refusal", r)
	}
}

// TestApproveWithComment: a card's "Approve with a comment" opens a small
// form that restates the question; its comment (optional) is the
// approval's, and a refusal is shown on the field (issue 15).
func TestApproveWithComment(t *testing.T) {
	e, api := decisionEnv(t, false)
	w := e.post(t, "/slack/interactive", clickBody(t, owner, slackapp.ActionApproveComment, "1", e.responseURL()))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("click: %d %q", w.Code, w.Body)
	}
	opens := api.Calls("views.open")
	if len(opens) != 1 {
		t.Fatalf("views.open calls: %+v", opens)
	}
	cb, meta, bs := viewOf(t, opens[0])
	if cb != slackapp.CallbackApprove || meta != "1" || len(bs) != 2 || bs[1]["block_id"] != slackapp.BlockComment || bs[1]["optional"] != true {
		t.Fatalf("approve modal: %s %s %v", cb, meta, bs)
	}
	if s := fmt.Sprint(bs[0]); !strings.Contains(s, ">Consolidate the two upgrades into one go-live?") || !strings.Contains(s, "*Decision #1* asked by <@U0ALICE>") {
		t.Errorf("the form does not restate the question: %v", bs[0])
	}
	if d := decision(t, e, 1); d.Status != upgradebot.DecisionPending {
		t.Fatalf("opening the form decided: %+v", d)
	}
	comment := func(s string) map[string]map[string]any {
		return map[string]map[string]any{slackapp.BlockComment: {slackapp.InputComment: textValue(s)}}
	}
	w = e.post(t, "/slack/interactive", submitBody(t, bob, slackapp.CallbackApprove, "1", comment("fine by me")))
	if !strings.Contains(w.Body.String(), "Only the decision owner") {
		t.Errorf("a stranger's approval answered %q", w.Body)
	}
	w = e.post(t, "/slack/interactive", submitBody(t, owner, slackapp.CallbackApprove, "1", comment("One go-live, fewer downtimes.")))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("submit: %d %q", w.Code, w.Body)
	}
	if d := decision(t, e, 1); d.Status != upgradebot.DecisionApproved || d.Comment != "One go-live, fewer downtimes." {
		t.Errorf("after the form: %+v", d)
	}
	msgs := pending(t, e)
	if countPrefix(msgs, "update U0OWNER: *Decision #1*") != 1 || countPrefix(msgs, "dm U0ALICE: Decision #1 approved by <@U0OWNER>: One go-live, fewer downtimes.") != 1 {
		t.Errorf("queued:\n%s", strings.Join(msgs, "\n"))
	}
}
