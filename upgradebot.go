// Package upgradebot holds the domain of the EHR upgrade desk: tasks, vendor
// releases, recurring clean-ups, decisions and their routing to the single
// decision owner, the audit trail and the messages the bot sends.
//
// Everything here is plain values and pure functions. Persistence lives in
// store/, the conversation (commands, replies, the console) in bot/,
// everything that speaks Slack in slack/, the clock-driven jobs in
// scheduler/, and cmd/upgradebot wires them together.
package upgradebot

import (
	"sync"
	"time"
)

// Clock tells the time. It is the only way any code learns the time (what
// "now", "today" or "overdue" is), so tests can pin or advance it:
// TestLayering refuses time.Now, time.Since and time.Until anywhere but
// SystemClock.
//
// Waiting is not telling the time: a timer, ticker or time.After that bounds
// how long something waits (a slash command's 3-second acknowledgement, the
// outbox worker's pacing and polling, a retry's pause) uses package time
// directly. Such waits never decide a date or what is due; tests keep them
// short or run them inside testing/synctest.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FakeClock is a Clock that only moves when told to. It is safe for
// concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock showing t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
