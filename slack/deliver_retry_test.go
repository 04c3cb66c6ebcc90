package slack_test

import (
	"context"
	"errors"
	"net/http"
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
	d := e.deliverer(e.db, e.api.Client())
	if n, err := d.DeliverOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("after the reinstall: delivered %d, %v", n, err)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
}
