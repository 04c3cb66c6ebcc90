// Package desktest holds what the conversation's and the Slack adapter's
// tests share: made-up people, a pinned start time and a real SQLite desk in
// a temp dir configured for them. Only tests import it.
package desktest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/store"
)

// The people in the tests. The ids look like Slack's; nobody is real.
const (
	Admin  = "U0ADMIN"
	Owner  = "U0OWNER"
	Deleg  = "U0DELEG"
	Alice  = "U0ALICE"
	Bob    = "U0BOB"
	TeamCh = "C0TEAM"
)

// Start is Thursday 26 November 2026, 09:00 in Chicago.
var Start = time.Date(2026, 11, 26, 9, 0, 0, 0, MustZone("America/Chicago"))

// MustZone loads a time zone or panics.
func MustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// NewBot opens a real SQLite database in a temp dir with an admin and the
// team channel configured, on a fake clock showing Start.
func NewBot(tb testing.TB) (*bot.Bot, *store.DB, *upgradebot.FakeClock) {
	tb.Helper()
	clock := upgradebot.NewFakeClock(Start)
	db := OpenDesk(tb, filepath.Join(tb.TempDir(), "upgradebot.db"), clock)
	return &bot.Bot{Desk: db, Clock: clock}, db, clock
}

// OpenDesk opens the SQLite file at path and configures it as NewBot does.
func OpenDesk(tb testing.TB, path string, clock upgradebot.Clock) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Bootstrap(ctx, TeamCh, "America/Chicago", []string{Admin}); err != nil {
		tb.Fatal(err)
	}
	people := []upgradebot.Person{{ID: Admin, Name: "ann"}, {ID: Owner, Name: "olga"}, {ID: Deleg, Name: "dev"}, {ID: Alice, Name: "alice"}, {ID: Bob, Name: "bob"}}
	if err := db.RememberPeople(ctx, people); err != nil {
		tb.Fatal(err)
	}
	return db
}

// Outbox drains the pending messages as "kind to: text" lines, leaving out
// App Home refreshes (the store queues one with every change; OutboxAll
// shows them).
func Outbox(tb testing.TB, db *store.DB, clock upgradebot.Clock) []string {
	tb.Helper()
	var out []string
	for _, line := range OutboxAll(tb, db, clock) {
		if !strings.HasPrefix(line, string(upgradebot.MessageHome)+" ") {
			out = append(out, line)
		}
	}
	return out
}

// OutboxAll drains every pending message as "kind to: text" lines.
func OutboxAll(tb testing.TB, db *store.DB, clock upgradebot.Clock) []string {
	tb.Helper()
	ctx := context.Background()
	msgs, err := db.PendingMessages(ctx, clock.Now(), 100)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, fmt.Sprintf("%s %s: %s", m.Kind, m.To, m.Text))
		if err := db.MarkSent(ctx, m.ID, "D1", "1.0"); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// SettleHomes marks the pending App Home refreshes sent without delivering
// them, for tests about the other messages a command queues.
func SettleHomes(tb testing.TB, db *store.DB, clock upgradebot.Clock) {
	tb.Helper()
	ctx := context.Background()
	msgs, err := db.PendingMessages(ctx, clock.Now(), 0)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range msgs {
		if m.Kind != upgradebot.MessageHome {
			continue
		}
		if err := db.MarkSent(ctx, m.ID, "", ""); err != nil {
			tb.Fatal(err)
		}
	}
}
