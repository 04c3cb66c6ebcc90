package storetest

import (
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testPostpone: a postponed message stays pending until the time given,
// with the reason as its last error and its attempts as they were.
func testPostpone(t *testing.T, e *env) {
	mark := e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessageDM, To: Alice, Text: "hello"}}))
	id := e.newMessages(mark)[0].ID
	now := e.clock.Now()
	ok(t, e.desk.MarkRetry(e.ctx, id, "500 Internal Server Error", now))
	later := now.Add(30 * time.Second)
	ok(t, e.desk.Postpone(e.ctx, id, "rate limited: retry after 30s", later))
	m, err := e.desk.FindMessage(e.ctx, id)
	ok(t, err)
	if m.Status != upgradebot.MessagePending || m.Attempts != 1 || !m.NextTry.Equal(later) || m.LastError != "rate limited: retry after 30s" {
		t.Errorf("after Postpone: %+v; want pending until %v with the one attempt MarkRetry counted", m, later)
	}
	if due, _ := e.desk.PendingMessages(e.ctx, now, 0); len(due) != 0 {
		for _, d := range due {
			if d.ID == id {
				t.Error("a postponed message is due before its time")
			}
		}
	}
	if due, _ := e.desk.PendingMessages(e.ctx, later, 0); len(due) == 0 || due[len(due)-1].ID != id {
		t.Error("a postponed message is not due at its time")
	}
	wantErr(t, e.desk.Postpone(e.ctx, 999999, "x", later), upgradebot.ENOTFOUND)
}
