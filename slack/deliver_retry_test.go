package slack_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// TestDeliverRateLimitsAreNotAttempts: a 429 is Slack asking to wait, not a
// failure. Eleven of them and then one 500 leave the DM pending with one
// attempt counted (the 500), and it goes out after the backoff.
func TestDeliverRateLimitsAreNotAttempts(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "add First <@U0ALICE>")
	for range 11 {
		e.api.Script("chat.postMessage", http.StatusTooManyRequests, map[string]string{"Retry-After": "1"}, "")
	}
	e.api.Script("chat.postMessage", http.StatusInternalServerError, nil, "")
	for range 12 { // one try a pass: each 429 pauses delivery for a second
		e.deliver()
		e.clock.Advance(time.Second)
	}
	if n := len(e.api.Calls("chat.postMessage")); n != 12 {
		t.Fatalf("%d posts, want 11 rate-limited and one 500", n)
	}
	if m := e.wantStatus(e.msg(1), upgradebot.MessagePending, "500"); m.Attempts != 1 {
		t.Errorf("attempts %d after eleven 429s and one 500, want 1", m.Attempts)
	}
	e.clock.Advance(2 * time.Second) // past the 500's backoff
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d after the backoff", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
}

// TestDeliverTokenRevokedLeavesMessagePending: a refused token stops the
// worker, and the message it was sending stays pending, due at once and
// with no attempt counted, so that once the app is reinstalled it goes out
// without anyone running `failed retry`.
func TestDeliverTokenRevokedLeavesMessagePending(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "add First <@U0ALICE>")
	e.api.ScriptError("chat.postMessage", "invalid_auth")
	if _, err := e.d.DeliverOnce(context.Background()); !errors.Is(err, slackapp.ErrTokenRevoked) {
		t.Fatalf("DeliverOnce = %v, want ErrTokenRevoked", err)
	}
	m := e.wantStatus(e.msg(1), upgradebot.MessagePending, "invalid_auth")
	if m.Attempts != 0 || m.NextTry.After(e.clock.Now()) {
		t.Errorf("after invalid_auth: attempts %d, next try %v (now %v); want none counted, due now", m.Attempts, m.NextTry, e.clock.Now())
	}
	if failed, err := e.db.FailedMessages(context.Background(), 0); err != nil || len(failed) != 0 {
		t.Errorf("failed messages %v, %v; want none", failed, err)
	}
	// The app is reinstalled and the process restarted: a new worker sends it.
	e.clock.Advance(time.Minute)
	d := e.deliverer(e.db, e.api.Client())
	if n, err := d.DeliverOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("after the reinstall: delivered %d, %v", n, err)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
}

// lockedDesk is a desk whose MarkSent fails while failSent is above zero,
// as it does when a long import holds the database or the disk is full.
type lockedDesk struct {
	upgradebot.Desk
	failSent atomic.Int32
}

func (l *lockedDesk) MarkSent(ctx context.Context, id int64, channel, ts string) error {
	if l.failSent.Add(-1) >= 0 {
		return errors.New("store: mark sent: database is locked (5) (SQLITE_BUSY)")
	}
	return l.Desk.MarkSent(ctx, id, channel, ts)
}

// TestDeliverUnrecordedSendIsNotRepeated: Slack accepted a DM but writing
// that down failed, again and again, past the lease. The worker keeps the
// outcome and writes it once the database takes writes again; the DM is
// posted once and recorded with where Slack put it.
func TestDeliverUnrecordedSendIsNotRepeated(t *testing.T) {
	e := newDelivery(t)
	desk := &lockedDesk{Desk: e.db}
	desk.failSent.Store(3)
	d := e.deliverer(desk, e.api.Client())
	e.do(admin, "add First <@U0ALICE>")
	ctx := context.Background()
	if n, err := d.DeliverOnce(ctx); n != 1 || err == nil {
		t.Errorf("first pass: delivered %d, %v; want 1 and the recording error", n, err)
	}
	for i := range 3 {
		e.clock.Advance(time.Minute) // well past the 30-second lease
		_, err := d.DeliverOnce(ctx)
		if i < 2 && err == nil {
			t.Errorf("pass %d: no error while the database refuses the record", i+2)
		}
	}
	if n := len(e.api.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("the DM was posted %d times, want once: %s", n, calls(e.api))
	}
	m := e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	if m.SlackChannel != "D0ALICE" || m.SlackTS == "" {
		t.Errorf("recorded channel %q ts %q", m.SlackChannel, m.SlackTS)
	}
	// Later messages go out as usual.
	e.do(admin, "add Second <@U0BOB>")
	if n, err := d.DeliverOnce(ctx); n != 1 || err != nil {
		t.Errorf("next message: delivered %d, %v", n, err)
	}
}
