package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testDueMessages: due messages come channel by channel in turn, each
// channel's oldest first, so a backlog for one person does not hold up a
// DM to another, an App Home refresh or a response; not-yet-due and
// claimed messages are left out, and the limit is kept.
func testDueMessages(t *testing.T, e *env) {
	mark := e.lastMessage()
	msg := func(kind upgradebot.MessageKind, to, text string) upgradebot.Message {
		return upgradebot.Message{Kind: kind, To: to, Text: text}
	}
	queued := []upgradebot.Message{
		msg(upgradebot.MessageDM, Bob, "bob 1"),
		msg(upgradebot.MessageDM, Bob, "bob 2"),
		msg(upgradebot.MessagePost, Channel, "post 1"),
		msg(upgradebot.MessageDM, Bob, "bob 3"),
		msg(upgradebot.MessageDM, Bob, "bob 4"),
		msg(upgradebot.MessageResponse, "https://hooks.slack.com/actions/T0/1/x", "late reply"),
		msg(upgradebot.MessagePost, Channel, "post 2"),
		msg(upgradebot.MessageDM, Alice, "alice 1"),
		upgradebot.HomeMessage(Bob),
		msg(upgradebot.MessageDM, Bob, "bob 5"),
	}
	ok(t, e.desk.QueueMessages(e.ctx, queued))
	text := func(msgs []*upgradebot.Message) []string {
		var out []string
		for _, m := range msgs {
			if m.ID > mark {
				out = append(out, fmt.Sprintf("%s %s", m.Kind, m.Text))
			}
		}
		return out
	}
	now := e.clock.Now()
	due, err := e.desk.DueMessages(e.ctx, now, 0)
	ok(t, err)
	want := []string{"dm bob 1", "post post 1", "response late reply", "dm alice 1", "home ", // every channel's first
		"dm bob 2", "post post 2", // the seconds
		"dm bob 3", "dm bob 4", "dm bob 5"}
	if got := text(due); !slices.Equal(got, want) {
		t.Errorf("DueMessages =\n%q\nwant\n%q", got, want)
	}
	// Other messages may be pending from setting up the desk; with a
	// limit, the first ones of this order come back.
	if due, err := e.desk.DueMessages(e.ctx, now, 3); err != nil || len(due) != 3 {
		t.Errorf("DueMessages(limit 3) = %d messages, %v", len(due), err)
	}
	if due, err := e.desk.DueMessages(e.ctx, now.Add(-time.Second), 0); err != nil || len(text(due)) != 0 {
		t.Errorf("DueMessages before they were queued = %q, %v", text(due), err)
	}

	// A message claimed or waiting is not due; the next one of its channel
	// takes its turn.
	ok(t, e.desk.MarkRetry(e.ctx, queued[0].ID, "500", now.Add(time.Minute)))
	claimed, err := e.desk.ClaimMessage(e.ctx, queued[7].ID, now, now.Add(30*time.Second))
	ok(t, err)
	if !claimed {
		t.Fatal("claim alice 1 failed")
	}
	due, err = e.desk.DueMessages(e.ctx, now, 0)
	ok(t, err)
	want = []string{"dm bob 2", "post post 1", "response late reply", "home ", "dm bob 3", "post post 2", "dm bob 4", "dm bob 5"}
	if got := text(due); !slices.Equal(got, want) {
		t.Errorf("DueMessages after a retry and a claim =\n%q\nwant\n%q", got, want)
	}
}
