package slack_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// allowedAngle is Slack's own syntax inside angle brackets.
var allowedAngle = regexp.MustCompile(`^<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|(?:https?|mailto):[^<>|\s]+)(?:\|[^<>]*)?>`)

// unescaped returns the places in mrkdwn s where a < or > is not Slack's
// own syntax (a mention, a channel, a link, or the > that quotes a line).
func unescaped(s string) []string {
	var bad []string
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			if m := allowedAngle.FindString(s[i:]); m != "" {
				i += len(m) - 1
				continue
			}
			bad = append(bad, s[max(0, i-20):min(len(s), i+20)])
		case '>':
			if i == 0 || s[i-1] == '\n' {
				continue
			}
			bad = append(bad, s[max(0, i-20):min(len(s), i+20)])
		}
	}
	return bad
}

// mrkdwnTexts collects every "text" string of a Block Kit payload.
func mrkdwnTexts(v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		if t, ok := v["text"].(string); ok && v["type"] != "plain_text" {
			*out = append(*out, t)
		}
		for _, x := range v {
			mrkdwnTexts(x, out)
		}
	case []any:
		for _, x := range v {
			mrkdwnTexts(x, out)
		}
	}
}

func payloadTexts(t *testing.T, payload any) []string {
	t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	mrkdwnTexts(v, &out)
	return out
}

// TestNothingUnescapedReachesSlack renders the replies to every kind of
// command (help, usage errors, lists, changes) and every message they
// queue as the adapter sends them to Slack: no < or > is left that Slack
// would read as a broken link or drop, and the bot's mentions survive.
func TestNothingUnescapedReachesSlack(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	lines := []string{
		"help", "help tasks", "help upgrades", "help cleanups", "help decisions", "help team", "help add", "help config",
		"help release", "add", "done", "reject", "freeze", "away", "release add", "maint add x", "vendor", "checklist", "freezes",
		"owner <@U0OWNER>", "decide Go live with <3 super users & no <b>rollback</b>?", "decisions", "approve 1 ok <now>",
		"add Labs <check> & rads <@U0ALICE> due:fri", "list", "show 1", "releases", "maint list", "workload", "audit",
		"release add MedCore 2027.1 ga:2027-02-01", "release medcore-2027.1", "forecast", "digest", "people", "config", "failed",
	}
	var texts []string
	for _, line := range lines {
		r := b.Handle(ctx, bot.Request{User: admin, Text: line})
		texts = append(texts, payloadTexts(t, slackapp.ReplyMessage(r))...)
	}
	msgs, err := db.PendingMessages(ctx, clock.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		t.Fatal("no messages queued")
	}
	for _, m := range msgs {
		texts = append(texts, slackapp.FallbackText(m.Text))
		texts = append(texts, payloadTexts(t, slackapp.MessageBlocks(m))...)
	}
	// The builders of messages the scheduler sends.
	d := &upgradebot.Decision{ID: 7, Question: "Move the <b>go-live</b>?", RequestedBy: alice, RoutedTo: owner, Status: upgradebot.DecisionPending}
	for _, m := range []upgradebot.Message{upgradebot.DecisionRequestMessage(d, time.UTC)} {
		texts = append(texts, payloadTexts(t, slackapp.MessageBlocks(&m))...)
	}
	mentions := 0
	for _, s := range texts {
		if bad := unescaped(s); len(bad) > 0 {
			t.Errorf("unescaped angle brackets %q in:\n%s", bad, s)
		}
		mentions += strings.Count(s, "<@U0")
	}
	if mentions == 0 {
		t.Error("no mention survived")
	}
}
