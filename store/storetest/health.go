package storetest

import (
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testCheckWrite: the write probe of /healthz succeeds again and again on
// a desk that takes writes, and leaves no trace anyone sees: no audit row,
// no message, no App Home refresh.
func testCheckWrite(t *testing.T, e *env) {
	mark, amark := e.lastMessage(), e.lastAudit()
	for range 3 {
		ok(t, e.desk.CheckWrite(e.ctx))
		e.clock.Advance(time.Second)
	}
	e.wantActions(amark)
	if msgs := e.pending(mark); len(msgs) != 0 {
		t.Errorf("CheckWrite queued %d messages", len(msgs))
	}
}

// testOldestPending: when the oldest message still pending was queued,
// the zero time when none is.
func testOldestPending(t *testing.T, e *env) {
	for _, m := range e.pending(0) {
		ok(t, e.desk.MarkSent(e.ctx, m.ID, "D0", "1.1"))
	}
	oldest := func() time.Time {
		t.Helper()
		at, err := e.desk.OldestPending(e.ctx)
		ok(t, err)
		return at
	}
	if at := oldest(); !at.IsZero() {
		t.Errorf("OldestPending with none pending = %v", at)
	}
	first := e.clock.Now()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessageDM, To: Alice, Text: "first"}}))
	e.clock.Advance(time.Minute)
	second := e.clock.Now()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessageDM, To: Bob, Text: "second"}}))
	msgs := e.pending(0)
	if len(msgs) != 2 {
		t.Fatalf("%d pending", len(msgs))
	}
	// A message waiting for a retry is still pending.
	ok(t, e.desk.MarkRetry(e.ctx, msgs[0].ID, "500", second.Add(time.Hour)))
	sameTime(t, "OldestPending", oldest(), first)
	ok(t, e.desk.MarkSent(e.ctx, msgs[0].ID, "D0ALICE", "1.2"))
	sameTime(t, "OldestPending once the first is sent", oldest(), second)
	ok(t, e.desk.MarkFailed(e.ctx, msgs[1].ID, "user_not_found"))
	if at := oldest(); !at.IsZero() {
		t.Errorf("OldestPending with only sent and failed messages = %v", at)
	}
}
