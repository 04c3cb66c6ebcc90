package storetest

import (
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testRetryFailed: admins put failed messages back in the queue, one or
// all of the last day's, due now with no attempts, audited; others are
// refused and nothing changes; a message that has not failed is ENOTFOUND.
func testRetryFailed(t *testing.T, e *env) {
	mark := e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessagePost, To: Channel, Text: "last week's digest"}}))
	stale := e.newMessages(mark)[0].ID
	ok(t, e.desk.MarkFailed(e.ctx, stale, "not_in_channel"))
	e.clock.Advance(upgradebot.RetryAllWithin + time.Minute)

	mark = e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{
		{Kind: upgradebot.MessageDM, To: Alice, Text: "one"},
		{Kind: upgradebot.MessageDM, To: Bob, Text: "two"},
		{Kind: upgradebot.MessageDM, To: Bob, Text: "three"},
	}))
	msgs := e.newMessages(mark)
	if len(msgs) != 3 {
		t.Fatalf("queued %d messages", len(msgs))
	}
	one, two, three := msgs[0].ID, msgs[1].ID, msgs[2].ID
	ok(t, e.desk.MarkFailed(e.ctx, one, "not_in_channel"))
	ok(t, e.desk.MarkFailed(e.ctx, two, "missing_scope"))

	amark := e.lastAudit()
	_, err := e.desk.RetryFailed(e.ctx, Alice, 0)
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only admins")
	_, err = e.desk.RetryFailed(e.ctx, Admin, three)
	wantErr(t, err, upgradebot.ENOTFOUND, "has not failed")
	e.wantActions(amark)

	e.clock.Advance(time.Minute)
	n, err := e.desk.RetryFailed(e.ctx, Admin, one)
	ok(t, err)
	if n != 1 {
		t.Errorf("retried %d, want 1", n)
	}
	m, err := e.desk.FindMessage(e.ctx, one)
	ok(t, err)
	if m.Status != upgradebot.MessagePending || m.Attempts != 0 || m.LastError != "" || !m.NextTry.Equal(e.clock.Now()) {
		t.Errorf("retried message = %+v, want pending now, no attempts", m)
	}
	if m, _ := e.desk.FindMessage(e.ctx, two); m.Status != upgradebot.MessageFailed {
		t.Errorf("the other failed message is %s", m.Status)
	}
	n, err = e.desk.RetryFailed(e.ctx, Admin, 0)
	ok(t, err)
	if n != 1 {
		t.Errorf("retried all: %d, want 1", n)
	}
	if n, err := e.desk.RetryFailed(e.ctx, Admin, 0); err != nil || n != 0 {
		t.Errorf("nothing failed: %d, %v", n, err)
	}
	e.wantActions(amark, "message.retry", "message.retry")
	// The message older than a day stays failed until retried by id.
	if failed, err := e.desk.FailedMessages(e.ctx, 0); err != nil || len(failed) != 1 || failed[0].ID != stale {
		t.Errorf("failed after retry all = %+v, %v; want only the stale one", failed, err)
	}
	if n, err := e.desk.RetryFailed(e.ctx, Admin, stale); err != nil || n != 1 {
		t.Errorf("retry the stale one by id: %d, %v", n, err)
	}
}
