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

// act is a block_actions payload: user used the element action (a
// button, a menu pick, a date) in the block blockID of the message with ts
// in channel.
func act(t *testing.T, user string, action map[string]any, responseURL, channel, ts string, n int) string {
	action["action_ts"] = "1764147601.000001"
	return payloadBody(t, map[string]any{
		"type":         "block_actions",
		"user":         slackUser(user),
		"api_app_id":   "A0APP",
		"trigger_id":   fmt.Sprintf("9999.2222.act-%s-%d", user, n),
		"response_url": responseURL,
		"container":    map[string]any{"type": "message", "message_ts": ts, "channel_id": channel},
		"actions":      []any{action},
	})
}

// TestTaskButtons is issue 15's acceptance test for the buttons where
// people act: the assignment DM and the overdue nudge carry each task with
// its real id, its ticket ref (a link, with the team's ticket URL set) and
// Done, Snooze, New date and Open, handled end to end through signed
// interaction payloads: Done confirms in place and offers Undo, Undo takes
// it back, Snooze and New date move the due date (as `/upgrade due`), Open
// shows the task, and a refusal is answered privately.
func TestTaskButtons(t *testing.T) {
	api := newSlackAPI(t)
	e := newSlackEnv(t, api)
	ctx := context.Background()
	for _, req := range []bot.Request{
		{User: admin, Text: "config refurl https://itsm.example/{ref}"},
		{User: admin, Text: "add Regression-test the lab result interfaces <@U0ALICE|alice> due:2026-11-20 ref:CHG0031044"},
		{User: admin, Text: "add Update the downtime procedures <@U0ALICE|alice> due:2026-11-24"},
	} {
		if r := e.slack.Bot.Handle(ctx, req); r.Failed {
			t.Fatal(r.Text)
		}
	}
	deliver := func() {
		t.Helper()
		for range 3 {
			e.deliver(t)
			e.clock.Advance(time.Second)
		}
	}
	deliver()
	msgs := slackMessages(t, api)
	if len(msgs) != 2 || msgs[0].channel != "D0ALICE" {
		t.Fatalf("messages %+v, want two assignment DMs to alice", msgs)
	}
	assigned := msgs[0]
	bs := blocks(t, assigned.posted)
	if s := texts(bs); !strings.Contains(s, "<@U0ADMIN> assigned you #1 Regression-test the lab result interfaces") ||
		!strings.Contains(s, "ref <https://itsm.example/CHG0031044|CHG0031044>") || !strings.Contains(s, "due Fri 20 Nov (*6 days overdue*)") {
		t.Errorf("assignment DM:\n%s", s)
	}
	want := []button{{slackapp.ActionDone, "1", "primary"}, {slackapp.ActionOpen, "1", ""}}
	if got := buttons(bs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("assignment DM buttons %v, want %v", got, want)
	}

	// The nudge: one DM with both tasks, each with its buttons.
	cal := upgradebot.WorkingTime{Location: mustZone("America/Chicago")}
	if _, err := e.db.SendNudges(ctx, upgradebot.DateOf(e.clock.Now().In(cal.Location)), cal, upgradebot.NudgePolicy{}, teamCh); err != nil {
		t.Fatal(err)
	}
	deliver()
	msgs = slackMessages(t, api)
	nudge := msgs[len(msgs)-1]
	nudgeID := lastMessageID(t, e, upgradebot.MessageDM)
	bs = blocks(t, nudge.posted)
	if s := texts(bs); !strings.Contains(s, "*Overdue:* 2 of your tasks are past due:") || !strings.Contains(s, "`/upgrade done 1 2`") ||
		strings.Contains(s, "<id>") {
		t.Errorf("nudge:\n%s", s)
	}
	want = []button{{slackapp.ActionDone, "1", "primary"}, {slackapp.ActionOpen, "1", ""}, {slackapp.ActionDone, "2", "primary"}, {slackapp.ActionOpen, "2", ""}}
	if got := buttons(bs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("nudge buttons %v, want %v", got, want)
	}
	block1 := slackapp.ItemBlockID(1, nudgeID)
	n := 0
	tap := func(user string, action map[string]any, on *card) *http.Response {
		t.Helper()
		n++
		w := e.post(t, "/slack/interactive", act(t, user, action, e.responseURL(), on.channel, on.ts, n))
		if w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Fatalf("tap %v: %d %q", action, w.Code, w.Body)
		}
		deliver()
		return w.Result()
	}
	task := func(id int64) *upgradebot.Task {
		t.Helper()
		tk, err := e.db.FindTaskByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	shown := func(c *card) string {
		t.Helper()
		for _, m := range slackMessages(t, api) {
			if m.channel == c.channel && m.ts == c.ts {
				return texts(blocks(t, m.last)) + "\n" + fmt.Sprint(buttons(blocks(t, m.last)))
			}
		}
		t.Fatalf("no message %s %s", c.channel, c.ts)
		return ""
	}

	// Done, from the nudge: the task is done, and the nudge says so in
	// place, with Undo; the other task keeps its buttons.
	tap(alice, map[string]any{"type": "button", "action_id": slackapp.ActionDone, "block_id": block1, "value": "1"}, nudge)
	if tk := task(1); tk.Status != upgradebot.StatusDone || tk.ClosedBy != alice {
		t.Fatalf("after Done: %+v", tk)
	}
	if s := shown(nudge); !strings.Contains(s, "#1 Regression-test the lab result interfaces*\n✅ Done by you, 09:00") ||
		!strings.Contains(s, "{task_undo 1 }") || !strings.Contains(s, "{task_done 2 primary}") || strings.Contains(s, "{task_done 1") {
		t.Errorf("the nudge after Done:\n%s", s)
	}
	// Undo takes it back, and the buttons come back.
	tap(alice, map[string]any{"type": "button", "action_id": slackapp.ActionUndo, "block_id": block1, "value": "1"}, nudge)
	if tk := task(1); tk.Status != upgradebot.StatusOpen {
		t.Fatalf("after Undo: %+v", tk)
	}
	if s := shown(nudge); !strings.Contains(s, "{task_done 1 primary}") || strings.Contains(s, "Done by") {
		t.Errorf("the nudge after Undo:\n%s", s)
	}
	// Undo again, when the last change is not that Done: refused, privately.
	tap(alice, map[string]any{"type": "button", "action_id": slackapp.ActionUndo, "block_id": block1, "value": "1"}, nudge)
	if r := api.Responses(); len(r) != 1 || !strings.Contains(r[0].Param("text"), "Undo here takes back your Done of #1") {
		t.Errorf("a stale Undo answered %+v", r)
	}

	// Snooze a week, from the assignment DM: overdue, so a week from today.
	tap(alice, map[string]any{"type": "static_select", "action_id": slackapp.ActionSnooze, "block_id": itemBlock(t, assigned, 1),
		"selected_option": map[string]any{"value": "1:7", "text": map[string]any{"type": "plain_text", "text": "Snooze a week"}}}, assigned)
	if tk := task(1); tk.Due.String() != "2026-12-03" {
		t.Errorf("after Snooze a week: due %s, want Thu 3 Dec", tk.Due)
	}
	if s := shown(assigned); !strings.Contains(s, "due Thu 3 Dec") || strings.Contains(s, "overdue") {
		t.Errorf("the assignment DM after Snooze:\n%s", s)
	}
	// A new date from the picker, on the nudge.
	tap(alice, map[string]any{"type": "datepicker", "action_id": slackapp.ActionNewDate, "block_id": slackapp.ItemBlockID(2, nudgeID),
		"selected_date": "2026-12-10"}, nudge)
	if tk := task(2); tk.Due.String() != "2026-12-10" {
		t.Errorf("after New date: due %s, want Thu 10 Dec", tk.Due)
	}
	if s := shown(nudge); !strings.Contains(s, "due Thu 10 Dec") {
		t.Errorf("the nudge after New date:\n%s", s)
	}
	// A day already past is refused, privately, and changes nothing.
	tap(alice, map[string]any{"type": "datepicker", "action_id": slackapp.ActionNewDate, "block_id": slackapp.ItemBlockID(2, nudgeID),
		"selected_date": "2026-11-02"}, nudge)
	if r := api.Responses(); len(r) != 2 || !strings.Contains(r[1].Param("text"), "Mon 2 Nov is already past; pick today or later.") {
		t.Errorf("a past date answered %+v", r)
	}
	if tk := task(2); tk.Due.String() != "2026-12-10" {
		t.Errorf("a refused date moved the task: %s", tk.Due)
	}
	// Open shows the task in a modal.
	tap(alice, map[string]any{"type": "button", "action_id": slackapp.ActionOpen, "block_id": block1, "value": "1"}, nudge)
	opens := api.Calls("views.open")
	if len(opens) != 1 {
		t.Fatalf("views.open calls: %d", len(opens))
	}
	cb, _, vbs := viewOf(t, opens[0])
	var view []any
	for _, b := range vbs {
		view = append(view, b)
	}
	if s := texts(view); cb != slackapp.CallbackTask || !strings.Contains(s, "*#1 Regression-test the lab result interfaces*") ||
		!strings.Contains(s, "Assignee: you") {
		t.Errorf("task modal %s:\n%s", cb, s)
	}
}

// itemBlock is the block id of task's buttons in the message c as posted.
func itemBlock(t *testing.T, c *card, task int64) string {
	t.Helper()
	prefix := fmt.Sprintf("task_%d_m", task)
	for _, b := range blocks(t, c.posted) {
		if id, _ := b.(map[string]any)["block_id"].(string); strings.HasPrefix(id, prefix) {
			return id
		}
	}
	t.Fatalf("no buttons for #%d in %s %s", task, c.channel, c.ts)
	return ""
}

// lastMessageID is the outbox id of the latest message of kind.
func lastMessageID(t *testing.T, e *slackEnv, kind upgradebot.MessageKind) int64 {
	t.Helper()
	for id := int64(200); id > 0; id-- {
		if m, err := e.db.FindMessage(context.Background(), id); err == nil && m.Kind == kind {
			return id
		}
	}
	t.Fatalf("no %s message", kind)
	return 0
}
