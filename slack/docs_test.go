package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/blockkit/*.json and docs/slack-messages.md from the fixtures")

// docKind is one kind of message the bot sends, as documented.
type docKind struct {
	name, title, about string
	payload            map[string]any // what Block Kit Builder opens: {"blocks": …} or a view
	to                 string         // the user a DM or view is for: nobody is shown their own mention
}

// TestMessageKindsDocs renders every kind of message the bot sends Slack
// from a session against the Slack fake (the deliverer's real calls), checks
// each as issue 15 asks (no < or > that is not Slack's own syntax, nobody
// shown a mention of themselves), and holds docs/blockkit/*.json and
// docs/slack-messages.md (with a Block Kit Builder link per kind) to what
// it renders: `go test ./slack -run TestMessageKindsDocs -update-docs`
// rewrites them.
func TestMessageKindsDocs(t *testing.T) {
	api := newSlackAPI(t)
	e := newSlackEnv(t, api)
	ctx := context.Background()
	do := func(user, text string) {
		t.Helper()
		if r := e.slack.Bot.Handle(ctx, bot.Request{User: user, Text: text}); r.Failed {
			t.Fatalf("%s: %s", text, r.Text)
		}
	}
	deliver := func() {
		t.Helper()
		for range 4 {
			e.deliver(t)
			e.clock.Advance(time.Second)
		}
	}
	chicago := mustZone("America/Chicago")
	cal := upgradebot.WorkingTime{Location: chicago}
	at := func(day string, hour, minute int) time.Time {
		d, _ := upgradebot.ParseDate(day)
		return d.Time(chicago).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	var kinds []docKind
	seen := 0
	// take documents the calls made since the last take: the first
	// matching call, its payload as Block Kit Builder opens it.
	take := func(name, title, about, method, channel string) {
		t.Helper()
		calls := api.Calls("")
		for _, c := range calls[seen:] {
			if c.Method != method || (channel != "" && c.Param("channel") != channel && c.Param("user_id") != channel) {
				continue
			}
			k := docKind{name: name, title: title, about: about}
			switch method {
			case "views.open", "views.publish":
				k.payload = c.JSON["view"].(map[string]any)
				k.to, _ = c.JSON["user_id"].(string)
			default:
				var bs []any
				if err := json.Unmarshal([]byte(c.Param("blocks")), &bs); err != nil {
					t.Fatal(err)
				}
				k.payload = map[string]any{"blocks": bs}
				if ch := c.Param("channel"); strings.HasPrefix(ch, "D") {
					k.to = "U" + ch[1:]
				}
			}
			kinds = append(kinds, k)
			return
		}
		t.Fatalf("%s: no %s call to %q", name, method, channel)
	}
	mark := func() { seen = len(api.Calls("")) }

	e.clock.Set(at("2026-11-26", 9, 0))
	do(admin, "owner <@U0OWNER|olga>")
	do(admin, "config refurl https://itsm.example/{ref}")
	do(admin, "release add MedCore 2026.4 ga:2026-10-15")
	do(admin, "release medcore-2026.4 phase review start 2026-10-19")
	do(admin, "freeze 2026-12-14..2026-12-20 go-live")
	deliver()
	mark()
	do(admin, "add Regression-test the lab result interfaces <@U0ALICE|alice> due:2026-11-20 ref:CHG0031044 prio:high release:medcore-2026.4")
	deliver()
	take("assignment", "Assignment DM", "Someone else gave you a task: its details and ticket link, with Done, Snooze, New date and Open.", "chat.postMessage", "D0ALICE")
	do(admin, "add Update the downtime procedures <@U0ALICE|alice> due:2026-11-24")
	do(admin, "add Plan go-live staffing <@U0OWNER|olga> due:2026-12-04")
	do(admin, "maint add Duplicate medical record clean-up every:2w <@U0BOB|bob> first:2026-11-12")
	deliver()
	mark()
	do(alice, "decide Skip medcore-2026q3 and go straight to medcore-2026q4, consolidating both upgrades into one go-live? due:2026-11-27")
	deliver()
	take("decision-request", "Decision card", "What the decision owner (or their delegate) is asked: who asks, the question, when it was asked and is needed, with Approve, Approve with a comment and Reject.", "chat.postMessage", "D0OWNER")

	mark()
	e.clock.Set(at("2026-11-26", 9, 5))
	if _, err := e.db.CreateDueOccurrences(ctx, upgradebot.DateOf(e.clock.Now().In(chicago)), true); err != nil {
		t.Fatal(err)
	}
	deliver()
	take("cleanup-due", "Clean-up due", "A recurring clean-up's new occurrence, to whoever holds it.", "chat.postMessage", "D0BOB")

	// The nudges, four working days running: the fourth tells the channel.
	var nudgeAt time.Time
	for i, day := range []string{"2026-11-30", "2026-12-02", "2026-12-04", "2026-12-08"} {
		nudgeAt = at(day, 9, 0)
		e.clock.Set(nudgeAt)
		if i == 0 {
			if _, err := e.db.EscalateDecisions(ctx, at(day, 9, 0), cal, upgradebot.EscalationPolicy{}, teamCh); err != nil {
				t.Fatal(err)
			}
		}
		mark()
		if _, err := e.db.SendNudges(ctx, upgradebot.DateOf(nudgeAt), cal, upgradebot.NudgePolicy{}, teamCh); err != nil {
			t.Fatal(err)
		}
		deliver()
		if i == 0 {
			take("decision-reminder", "Decision reminder", "A reply in the request's thread when the decision waits past its date, with the same buttons.", "chat.postMessage", "D0OWNER")
			take("nudge", "Overdue nudge", "Your work past its date, each task with its buttons; the commands name the real ids.", "chat.postMessage", "D0ALICE")
		}
	}
	take("still-overdue", "Still overdue (team channel)", "A task still overdue after three nudges, its owner named without a ping.", "chat.postMessage", teamCh)

	// Done from the nudge: the nudge updated in place, with Undo.
	var nudge *card
	for _, m := range slackMessages(t, api) {
		if m.channel == "D0ALICE" && strings.Contains(m.posted.Param("text"), "past due") {
			nudge = m
		}
	}
	mark()
	e.post(t, "/slack/interactive", act(t, alice, map[string]any{"type": "button", "action_id": slackapp.ActionDone,
		"block_id": itemBlock(t, nudge, 1), "value": "1"}, e.responseURL(), nudge.channel, nudge.ts, 1))
	deliver()
	take("nudge-done", "Done, in place", "The message a Done was tapped on, updated: who did it and when, with Undo.", "chat.update", "D0ALICE")

	mark()
	msg, _, err := upgradebot.Digest(ctx, e.db, e.clock.Now(), upgradebot.WorkloadLimits{},
		upgradebot.DigestOptions{Channel: teamCh, Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.QueueMessages(ctx, []upgradebot.Message{msg}); err != nil {
		t.Fatal(err)
	}
	deliver()
	take("digest", "Channel digest", "The weekday digest: the summary first, a few lines a list, names without pings but for who must act.", "chat.postMessage", teamCh)

	var reminder *card
	for _, m := range slackMessages(t, api) {
		if m.channel == "D0OWNER" && m.posted.Param("thread_ts") != "" {
			reminder = m
		}
	}
	mark()
	e.post(t, "/slack/interactive", clickOn(t, owner, slackapp.ActionReject, "1", e.responseURL(), reminder.channel, reminder.ts, "decision_1"))
	take("reject-form", "Reject form", "Reject asks for the reason and restates the question.", "views.open", "")
	mark()
	e.post(t, "/slack/interactive", clickOn(t, owner, slackapp.ActionApproveComment, "1", e.responseURL(), reminder.channel, reminder.ts, "decision_1"))
	take("approve-form", "Approve with a comment", "The comment is optional.", "views.open", "")
	mark()
	e.post(t, "/slack/interactive", act(t, owner, map[string]any{"type": "button", "action_id": slackapp.ActionOpen,
		"block_id": slackapp.ItemBlockID(3, 0), "value": "3"}, "", "", "", 2))
	take("task-form", "Open", "A task as `/upgrade show` has it, from its Open button.", "views.open", "")
	mark()
	if err := e.db.QueueMessages(ctx, []upgradebot.Message{upgradebot.HomeMessage(owner)}); err != nil {
		t.Fatal(err)
	}
	deliver()
	take("app-home", "App Home (the decision owner's)", "The start page: the team strip and Add, your work with its buttons, the decisions waiting on you, releases.", "views.publish", owner)

	mark()
	e.post(t, "/slack/interactive", clickOn(t, owner, slackapp.ActionApprove, "1", e.responseURL(), reminder.channel, reminder.ts, "decision_1"))
	deliver()
	take("decision-outcome", "Decided card", "Every card of the decision, updated in place once it is decided: no buttons left, the outcome and its time.", "chat.update", "D0OWNER")

	// Every kind is safe to send and shows nobody their own mention.
	for _, k := range kinds {
		for _, s := range payloadTexts(t, k.payload) {
			if bad := unescaped(s); len(bad) > 0 {
				t.Errorf("%s: unescaped angle brackets %q in:\n%s", k.name, bad, s)
			}
			if k.to != "" && strings.Contains(s, "<@"+k.to) {
				t.Errorf("%s: %s is shown their own mention:\n%s", k.name, k.to, s)
			}
		}
	}
	checkDocs(t, kinds)
}

// checkDocs compares (or, with -update-docs, writes) docs/blockkit/*.json
// and docs/slack-messages.md.
func checkDocs(t *testing.T, kinds []docKind) {
	t.Helper()
	files := map[string][]byte{}
	var md bytes.Buffer
	md.WriteString("# What the bot sends Slack\n\n" +
		"Every kind of message, form and App Home the bot sends, rendered from the fixtures of `TestMessageKindsDocs`\n" +
		"(`slack/docs_test.go`: a session against the Slack fake, the deliverer's own calls). Each opens in Slack's\n" +
		"Block Kit Builder, which draws it as Slack does, at desktop or phone width. The test fails when these files\n" +
		"fall behind the code; `go test ./slack -run TestMessageKindsDocs -update-docs` rewrites them.\n\n" +
		"The session: Thursday 26 November 2026 in Chicago, olga the decision owner, alice and bob on the team,\n" +
		"the ticket URL set (`config refurl https://itsm.example/{ref}`).\n")
	encode := func(v any, indent string) []byte {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // <@U…> as Slack reads it, not \u003c
		enc.SetIndent("", indent)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, k := range kinds {
		files[filepath.Join("blockkit", k.name+".json")] = encode(k.payload, "  ")
		compact := bytes.TrimSpace(encode(k.payload, ""))
		fmt.Fprintf(&md, "\n## %s\n\n%s\n\n[Open in Block Kit Builder](https://app.slack.com/block-kit-builder/#%s) · [JSON](blockkit/%s.json)\n",
			k.title, k.about, url.PathEscape(string(compact)), k.name)
	}
	files["slack-messages.md"] = md.Bytes()
	dir := filepath.Join("..", "docs")
	if *updateDocs {
		if err := os.MkdirAll(filepath.Join(dir, "blockkit"), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, b := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("docs/%s is not what the fixtures render (%v): run go test ./slack -run TestMessageKindsDocs -update-docs", name, err)
		}
	}
}
