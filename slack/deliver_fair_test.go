package slack_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
	"github.com/upgradebot/upgradebot/store"
)

// queueAll queues msgs and returns them with their outbox ids.
func (e *delivery) queueAll(msgs []upgradebot.Message) []upgradebot.Message {
	e.t.Helper()
	if err := e.db.QueueMessages(context.Background(), msgs); err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// run makes the workers pass over the outbox every step for d of fake
// time, the clock moving step after each round.
func (e *delivery) run(d, step time.Duration, workers ...*slackapp.Deliverer) {
	e.t.Helper()
	for range d / step {
		for _, w := range workers {
			if _, err := w.DeliverOnce(context.Background()); err != nil {
				e.t.Fatalf("DeliverOnce: %v", err)
			}
		}
		e.clock.Advance(step)
	}
}

// sentTimes returns when each message to user's DM went out, in order.
func sentTimes(t *testing.T, db *store.DB, ids []int64) []time.Time {
	t.Helper()
	var out []time.Time
	for _, id := range ids {
		m, err := db.FindMessage(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status == upgradebot.MessageSent {
			out = append(out, m.SentAt)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// wantPaced checks that no two of the times are less than a second apart
// and that there are at least min of them.
func wantPaced(t *testing.T, what string, times []time.Time, min int) {
	t.Helper()
	if len(times) < min {
		t.Errorf("%s: %d went out, want at least %d (one a second)", what, len(times), min)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < time.Second {
			t.Errorf("%s: two went out %v apart (at %v and %v); Slack allows one a second per channel", what, gap, times[i-1], times[i])
			return
		}
	}
}

// TestDeliverFairness: 2,000 DMs queued for bob hold up nobody else. A DM
// to alice and App Home refreshes queued behind them go out within 2 s of
// being queued (on the fake clock), while bob's backlog keeps draining at
// Slack's rate for one channel, one message a second, and no faster.
func TestDeliverFairness(t *testing.T) {
	e := newDelivery(t)
	backlog := make([]upgradebot.Message, 2000)
	for i := range backlog {
		backlog[i] = upgradebot.Message{Kind: upgradebot.MessageDM, To: bob, Text: fmt.Sprintf("<@U0ADMIN> assigned you #%d", i+1)}
	}
	backlog = e.queueAll(backlog)
	began := e.clock.Now()
	step := 100 * time.Millisecond
	e.run(10*time.Second, step, e.d)

	queued := e.clock.Now()
	others := e.queueAll([]upgradebot.Message{
		{Kind: upgradebot.MessageDM, To: alice, Text: "Decision #1 needs you"},
		upgradebot.HomeMessage(alice),
		upgradebot.HomeMessage(bob),
	})
	e.run(20*time.Second, step, e.d)
	for _, o := range others {
		m := e.message(o.ID)
		if m.Status != upgradebot.MessageSent {
			t.Errorf("%s to %s queued behind bob's backlog: still %s 20s later; want sent within 2s", m.Kind, m.To, m.Status)
		} else if wait := m.SentAt.Sub(queued); wait > 2*time.Second {
			t.Errorf("%s to %s queued behind bob's backlog: sent %v after it was queued; want within 2s", m.Kind, m.To, wait)
		}
	}
	ids := make([]int64, len(backlog))
	for i, m := range backlog {
		ids[i] = m.ID
	}
	elapsed := e.clock.Now().Sub(began)
	wantPaced(t, "bob's backlog", sentTimes(t, e.db, ids), int(elapsed/time.Second)-1)
}

// TestDeliverTwoWorkersShareChannelPace: two processes' workers on one
// database keep one channel's pace between them. Each on its own would
// send bob a DM a second, together two; the channel is booked in the
// database, so bob's DMs still go out one a second, and another person's
// in between.
func TestDeliverTwoWorkersShareChannelPace(t *testing.T) {
	clock := upgradebot.NewFakeClock(start)
	path := filepath.Join(t.TempDir(), "upgradebot.db")
	db1 := openDesk(t, path, clock)
	db2, err := store.Open(context.Background(), path, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	api := newSlackAPI(t)
	e := &delivery{t: t, b: &bot.Bot{Desk: db1, Clock: clock}, db: db1, clock: clock, api: api, logs: &syncBuffer{}}
	outboxAll(t, db1, clock) // whatever setting up the desk queued
	var queued []upgradebot.Message
	for i := range 10 {
		queued = append(queued, upgradebot.Message{Kind: upgradebot.MessageDM, To: bob, Text: fmt.Sprintf("DM %d", i+1)})
	}
	queued = append(queued, upgradebot.Message{Kind: upgradebot.MessageDM, To: alice, Text: "for alice"})
	queued = e.queueAll(queued)
	w1, w2 := e.deliverer(db1, api.Client()), e.deliverer(db2, api.Client())
	e.run(12*time.Second, 100*time.Millisecond, w1, w2)

	var ids []int64
	for _, m := range queued[:10] {
		ids = append(ids, m.ID)
	}
	times := sentTimes(t, db1, ids)
	if len(times) != 10 {
		t.Fatalf("%d of bob's 10 DMs sent in 12s", len(times))
	}
	wantPaced(t, "bob's DMs from two workers", times, 10)
	if m := e.message(queued[10].ID); m.Status != upgradebot.MessageSent || m.SentAt.Sub(start) > time.Second {
		t.Errorf("alice's DM: %s at %v", m.Status, m.SentAt)
	}
	per := map[string]int{}
	for _, p := range api.Calls("chat.postMessage") {
		per[p.Param("channel")]++
	}
	if per["D0BOB"] != 10 || per["D0ALICE"] != 1 {
		t.Errorf("posts per channel %v, want each message once", per)
	}
}
