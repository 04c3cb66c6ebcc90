package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// replay sends the same signed request, made at signedAt, through the
// server: what an attacker who captured it can do for five minutes.
func (e *slackEnv) replay(t *testing.T, path, body string, signedAt time.Time) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, signed(t, "http://bot.test"+path, body, signedAt))
	return w
}

func replyText(t *testing.T, w *httptest.ResponseRecorder) slack.Msg {
	t.Helper()
	var msg slack.Msg
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &msg) != nil {
		t.Fatalf("reply %d %q", w.Code, w.Body)
	}
	return msg
}

// TestReplayedCommandRunsOnce: a slash command sent twice, correctly
// signed and inside the five minutes, runs once. The second is answered
// "already done", privately, and writes nothing: no second task, DM or
// App Home refresh.
func TestReplayedCommandRunsOnce(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	body := e.commandBody(alice, "add Rebuild the order sets <@U0BOB|bob> due:fri")
	at := e.clock.Now()
	if msg := replyText(t, e.replay(t, "/slack/commands", body, at)); !strings.Contains(msg.Text, "Added #1") {
		t.Fatalf("first: %q", msg.Text)
	}
	before, queued := snapshot(t, e.db), pending(t, e)
	e.clock.Advance(2 * time.Minute)
	msg := replyText(t, e.replay(t, "/slack/commands", body, at))
	if !strings.Contains(msg.Text, "Already done") || msg.ResponseType != slack.ResponseTypeEphemeral {
		t.Errorf("replay answered %+v, want a private \"Already done\"", msg)
	}
	if after := snapshot(t, e.db); after != before {
		t.Errorf("the replay changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if got := pending(t, e); strings.Join(got, "\n") != strings.Join(queued, "\n") {
		t.Errorf("the replay queued messages:\n%s", strings.Join(got, "\n"))
	}
	// A command the person types again is a new request, and runs.
	if msg := e.command(t, alice, "add Rebuild the order sets <@U0BOB|bob> due:fri"); !strings.Contains(msg.Text, "Added #2") {
		t.Errorf("the same text typed again: %q", msg.Text)
	}
}

// TestReplayedReadRunsOnce: a command that only reads is recorded too, so
// a replay does not show the desk to whoever captured it.
func TestReplayedReadRunsOnce(t *testing.T) {
	e := newSlackEnv(t, nil)
	e.command(t, alice, "add Rebuild the order sets")
	body := e.commandBody(bob, "list")
	at := e.clock.Now()
	if msg := replyText(t, e.replay(t, "/slack/commands", body, at)); !strings.Contains(msg.Text, "Rebuild the order sets") {
		t.Fatalf("first list: %q", msg.Text)
	}
	if msg := replyText(t, e.replay(t, "/slack/commands", body, at)); strings.Contains(msg.Text, "Rebuild") || !strings.Contains(msg.Text, "Already done") {
		t.Errorf("replayed list answered %q", msg.Text)
	}
}

// TestReplayedCommandsRacing: the same signed command arriving twice at
// the same moment still runs once.
func TestReplayedCommandsRacing(t *testing.T) {
	e := newSlackEnv(t, nil)
	body := e.commandBody(alice, "add Rebuild the order sets <@U0BOB|bob> due:fri")
	at := e.clock.Now()
	replies := make([]string, 4)
	var wg sync.WaitGroup
	for i := range replies {
		wg.Go(func() {
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, signed(t, "http://bot.test/slack/commands", body, at))
			replies[i] = w.Body.String()
		})
	}
	wg.Wait()
	var added, done int
	for _, r := range replies {
		switch {
		case strings.Contains(r, "Added #1"):
			added++
		case strings.Contains(r, "Already done"):
			done++
		}
	}
	if added != 1 || done != len(replies)-1 {
		t.Errorf("replies %q; want one Added and the rest Already done", replies)
	}
	if _, n, err := e.db.FindTasks(context.Background(), upgradebot.TaskFilter{}); err != nil || n != 1 {
		t.Errorf("%d tasks (%v), want 1", n, err)
	}
	if got := countPrefix(pending(t, e), "dm "+bob); got != 1 {
		t.Errorf("%d DMs to bob, want 1", got)
	}
}

// TestReplayedClickRunsOnce: a button click sent twice changes nothing the
// second time: not even the refusal and App Home refresh a second real
// click would queue.
func TestReplayedClickRunsOnce(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	ctx := context.Background()
	if r := e.slack.Bot.Handle(ctx, bot.Request{User: alice, Text: "add Read the release notes <@U0BOB>"}); r.Failed {
		t.Fatal(r.Text)
	}
	outbox(t, e.db, e.clock)
	body := clickBody(t, bob, slackapp.ActionDone, "1", e.responseURL())
	at := e.clock.Now()
	if w := e.replay(t, "/slack/interactive", body, at); w.Code != http.StatusOK {
		t.Fatalf("click: %d %q", w.Code, w.Body)
	}
	if tk, err := e.db.FindTaskByID(ctx, 1); err != nil || tk.Status != upgradebot.StatusDone {
		t.Fatalf("after the click: %+v, %v", tk, err)
	}
	outbox(t, e.db, e.clock)
	before := snapshot(t, e.db)
	e.clock.Advance(time.Minute)
	if w := e.replay(t, "/slack/interactive", body, at); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("replayed click: %d %q, want an empty 200", w.Code, w.Body)
	}
	if got := pending(t, e); len(got) != 0 {
		t.Errorf("the replayed click queued %q", got)
	}
	if after := snapshot(t, e.db); after != before {
		t.Errorf("the replayed click changed the store:\nbefore %s\nafter  %s", before, after)
	}
}

// TestOneTriggerTwoCommands: a client that sends two different commands
// with one trigger_id (as a load tool does; Slack never does) has both run:
// a replay is the same request again, not merely the same trigger_id.
func TestOneTriggerTwoCommands(t *testing.T) {
	e := newSlackEnv(t, nil)
	at := e.clock.Now()
	for i, text := range []string{"add First task", "add Second task"} {
		v, err := url.ParseQuery(e.commandBody(alice, text))
		if err != nil {
			t.Fatal(err)
		}
		v.Set("trigger_id", "1.2.3")
		if msg := replyText(t, e.replay(t, "/slack/commands", v.Encode(), at)); !strings.Contains(msg.Text, fmt.Sprintf("Added #%d", i+1)) {
			t.Errorf("%q with a reused trigger_id: %q", text, msg.Text)
		}
	}
}
