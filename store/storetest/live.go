package storetest

import (
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testLive: a desk is live on Slack from serve's first start, which later
// starts do not move; recording it queues nothing and audits nothing.
// LastMessageID is the newest outbox id, whatever the message's status.
func testLive(t *testing.T, e *env) {
	since, err := e.desk.ServedSince(e.ctx)
	ok(t, err)
	if !since.IsZero() {
		t.Fatalf("ServedSince on a new desk = %v, want the zero time", since)
	}
	last, err := e.desk.LastMessageID(e.ctx)
	ok(t, err)
	if want := e.lastMessage(); last != want {
		t.Fatalf("LastMessageID = %d, want %d", last, want)
	}
	audit, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Limit: 1000})
	ok(t, err)

	first := e.clock.Now()
	ok(t, e.desk.RecordServe(e.ctx))
	e.clock.Advance(time.Hour)
	ok(t, e.desk.RecordServe(e.ctx))
	since, err = e.desk.ServedSince(e.ctx)
	ok(t, err)
	if !since.Equal(first) {
		t.Errorf("ServedSince = %v after two starts, want the first, %v", since, first)
	}
	if got, err := e.desk.LastMessageID(e.ctx); err != nil || got != last {
		t.Errorf("LastMessageID = %d, %v after RecordServe, want %d: recording a start queues nothing", got, err, last)
	}
	if after, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Limit: 1000}); err != nil || len(after) != len(audit) {
		t.Errorf("RecordServe wrote audit rows: %d before, %d after (%v)", len(audit), len(after), err)
	}

	// A queued message raises the mark; delivering it does not lower it.
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessageDM, To: Alice, Text: "hi"}}))
	queued, err := e.desk.LastMessageID(e.ctx)
	ok(t, err)
	if queued <= last {
		t.Fatalf("LastMessageID = %d after queuing, want above %d", queued, last)
	}
	ok(t, e.desk.MarkSent(e.ctx, queued, "D1", "1.0"))
	if got, err := e.desk.LastMessageID(e.ctx); err != nil || got != queued {
		t.Errorf("LastMessageID = %d, %v after delivery, want %d", got, err, queued)
	}
}
