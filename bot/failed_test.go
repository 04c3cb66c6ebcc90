package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// TestFailedMessages: admins read the messages Slack refused for good and,
// once the cause is fixed, send them again; nobody else may do either.
func TestFailedMessages(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	do := func(as, text string, fail bool, want ...string) {
		t.Helper()
		r := b.Handle(ctx, bot.Request{User: as, Text: text})
		if r.Failed != fail {
			t.Errorf("%q as %s: failed=%v, want %v:\n%s", text, as, r.Failed, fail, r.Text)
		}
		for _, w := range want {
			if !strings.Contains(r.Text, w) {
				t.Errorf("%q as %s: reply lacks %q:\n%s", text, as, w, r.Text)
			}
		}
	}
	do(admin, "failed", false, "*Failed messages*: none")

	msgs := []upgradebot.Message{
		{Kind: upgradebot.MessagePost, To: "C0UPGRADES", Text: "Weekly chart", Attach: upgradebot.AttachChart},
		{Kind: upgradebot.MessageDM, To: alice, Text: "You were assigned #1"},
	}
	if err := db.QueueMessages(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	pending, err := db.PendingMessages(ctx, clock.Now(), 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending = %d, %v", len(pending), err)
	}
	for _, m := range pending {
		if err := db.MarkFailed(ctx, m.ID, "missing_scope"); err != nil {
			t.Fatal(err)
		}
	}
	chart, dm := pending[0].ID, pending[1].ID

	do(alice, "failed", true, "Only admins can read failed messages")
	do(admin, "failed", false, "*Failed messages* (2), newest first", "to <@U0ALICE>", "to <#C0UPGRADES>", "`missing_scope`", "failed retry all")
	do(alice, "failed retry all", true, "Only admins can retry failed messages")
	do(admin, "failed retry", true, "which message?")
	do(admin, "failed again", true, `I didn't expect "again"`)
	do(admin, "failed retry 99", true, "Message #99 has not failed")

	clock.Advance(time.Hour)
	do(admin, "failed retry #"+strconv.FormatInt(chart, 10), false, "Queued 1 message again")
	m, err := db.FindMessage(ctx, chart)
	if err != nil || m.Status != upgradebot.MessagePending || m.Attempts != 0 || m.LastError != "" || !m.NextTry.Equal(clock.Now()) {
		t.Errorf("re-queued chart = %+v, %v: want pending now with no attempts", m, err)
	}
	do(admin, "failed retry "+strconv.FormatInt(chart, 10), true, "has not failed")
	do(admin, "failed retry all", false, "Queued 1 message again")
	if m, err := db.FindMessage(ctx, dm); err != nil || m.Status != upgradebot.MessagePending {
		t.Errorf("re-queued DM = %+v, %v", m, err)
	}
	do(admin, "failed retry all", false, "nothing to send again")
	do(admin, "audit", false, "`message.retry`")
}
