package scheduler_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

// TestRunDue drives the jobs from a fake clock, as the console's fast clock
// does: a week of hourly steps runs the weekday digest five times, in order,
// and stepping over the same hours again runs nothing twice.
func TestRunDue(t *testing.T) {
	ctx := context.Background()
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	clock := upgradebot.NewFakeClock(time.Date(2026, 11, 29, 0, 0, 0, 0, chicago)) // a Sunday
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "due.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := &recorder{}
	s := &scheduler.Scheduler{Desk: db, Clock: clock, Location: chicago,
		Jobs: []scheduler.Job{rec.job("digest", "0 8 * * 1-5"), rec.job("hourly", "0 * * * *")}}
	start := clock.Now()
	for range 7 * 24 {
		from := clock.Now()
		clock.Advance(time.Hour)
		if err := s.RunDue(ctx, from, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	digests := rec.calls("digest")
	if len(digests) != 5 {
		t.Fatalf("%d digests in a week, want 5", len(digests))
	}
	for i, c := range digests {
		want := time.Date(2026, 11, 30+i, 8, 0, 0, 0, chicago)
		if !c.at.Equal(want) {
			t.Errorf("digest %d for %v, want %v", i, c.at, want)
		}
	}
	if n := len(rec.calls("hourly")); n != 7*24 {
		t.Errorf("%d hourly runs, want %d", n, 7*24)
	}
	// The same week again: every run is already recorded.
	if err := s.RunDue(ctx, start, clock.Now()); err != nil {
		t.Fatal(err)
	}
	runs, err := db.FindRuns(ctx, "digest", start, clock.Now().Add(time.Minute))
	if err != nil || len(runs) != 5 {
		t.Fatalf("digest runs recorded: %d, %v; want 5", len(runs), err)
	}
}
