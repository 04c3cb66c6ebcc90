package scheduler_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/cronspec"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

// The tests below run robfig/cron's real loop, the real scheduler and a real
// SQLite file inside testing/synctest bubbles: time.Now, timers and sleeps
// run on the bubble's fake clock, which jumps ahead whenever every goroutine
// in the bubble is blocked, so a simulated week takes no time. The store is
// given upgradebot.SystemClock, which inside a bubble reads the same fake
// clock as cron. Every database is opened and closed inside its bubble, so
// that database/sql's goroutines start and end there.

const channel = "C0UPGRADES"

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// ts parses an RFC 3339 time; the offsets in the tables say which side of a
// clock change each instant is on.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// run is one call of a test job's Run: the instant it was for, and when (on
// the bubble's clock) it was called.
type run struct {
	job      string
	at, when time.Time
}

// recorder makes test jobs that post a line naming their instant, and keeps
// every call.
type recorder struct {
	mu   sync.Mutex
	runs []run
}

func (r *recorder) job(name, spec string) scheduler.Job {
	return scheduler.Job{Name: name, Spec: spec, Run: func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		r.mu.Lock()
		r.runs = append(r.runs, run{name, at, time.Now()})
		r.mu.Unlock()
		return []upgradebot.Message{postFor(name, at)}, nil
	}}
}

func postFor(job string, at time.Time) upgradebot.Message {
	return upgradebot.Message{Kind: upgradebot.MessagePost, To: channel, Text: job + " for " + at.Format(time.RFC3339)}
}

// calls returns job's calls, in order.
func (r *recorder) calls(job string) []run {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []run
	for _, c := range r.runs {
		if c.job == job {
			out = append(out, c)
		}
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the log lines that contain every one of parts.
func (b *syncBuffer) lines(parts ...string) []string {
	var out []string
	for line := range strings.Lines(b.String()) {
		if !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(line, p) }) {
			out = append(out, line)
		}
	}
	return out
}

func newLogger(t *testing.T) (*slog.Logger, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs)
		}
	})
	return slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), logs
}

// openDesk opens a handle on the SQLite file at path, reading the (bubble's)
// wall clock; closing it is the caller's job, inside the bubble.
func openDesk(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, upgradebot.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// sleepUntil moves the bubble's clock to at.
func sleepUntil(at time.Time) { time.Sleep(time.Until(at)) }

// runUntil runs the schedulers until the bubble's clock shows until, then
// stops them and waits for them to return.
func runUntil(t *testing.T, until time.Time, ss ...*scheduler.Scheduler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, len(ss))
	for _, s := range ss {
		go func() { errs <- s.Run(ctx) }()
	}
	sleepUntil(until)
	cancel()
	for range ss {
		if err := <-errs; err != nil {
			t.Fatalf("Run: %v", err)
		}
	}
}

// up is one life of the bot: it opens the database, runs a scheduler with
// jobs until until, and closes the database.
func up(t *testing.T, path string, loc *time.Location, log *slog.Logger, until time.Time, jobs ...scheduler.Job) {
	t.Helper()
	db := openDesk(t, path)
	defer db.Close()
	runUntil(t, until, &scheduler.Scheduler{Desk: db, Clock: upgradebot.SystemClock{}, Location: loc, Jobs: jobs, Logger: log})
}

// recorded returns job's recorded runs as "instant status" lines, instants
// in loc.
func recorded(t *testing.T, db upgradebot.JobService, job string, loc *time.Location) []string {
	t.Helper()
	runs, err := db.FindRuns(context.Background(), job, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range runs {
		out = append(out, r.At.In(loc).Format(time.RFC3339)+" "+string(r.Status))
	}
	return out
}

// queued returns the text of every message in the outbox.
func queued(t *testing.T, db *store.DB) []string {
	t.Helper()
	msgs, err := db.PendingMessages(context.Background(), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

func withStatus(status string, instants ...string) []string {
	out := make([]string, len(instants))
	for i, s := range instants {
		out[i] = s + " " + status
	}
	return out
}

// checkCalls checks that job was called for exactly want (RFC 3339 instants
// with the zone's offset), each at its own instant on the bubble's clock
// unless late gives the instant it was called at instead (a catch-up).
func checkCalls(t *testing.T, rec *recorder, job string, want []string, late map[string]string) {
	t.Helper()
	calls := rec.calls(job)
	var got []string
	for _, c := range calls {
		got = append(got, c.at.Format(time.RFC3339))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s ran for %v, want %v", job, got, want)
		return
	}
	for i, c := range calls {
		wantWhen := ts(t, want[i])
		if l, ok := late[want[i]]; ok {
			wantWhen = ts(t, l)
		}
		if !c.when.Equal(wantWhen) {
			t.Errorf("%s for %s ran at %s, want %s", job, want[i], c.when.In(c.at.Location()).Format(time.RFC3339), wantWhen.Format(time.RFC3339))
		}
	}
}

// TestWeekdayJobWeek runs a weekday 08:00 job in Chicago for a simulated week
// that has the spring change in it: it posts exactly 5 times, at 08:00 local
// (CST, then CDT), and each post is recorded once with its message.
func TestWeekdayJobWeek(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chicago := mustZone(t, "America/Chicago")
		log, _ := newLogger(t)
		rec := &recorder{}
		path := filepath.Join(t.TempDir(), "upgradebot.db")

		sleepUntil(ts(t, "2026-03-05T00:00:00-06:00")) // Thursday
		up(t, path, chicago, log, ts(t, "2026-03-12T00:00:00-05:00"), rec.job("digest", "0 8 * * 1-5"))

		want := []string{"2026-03-05T08:00:00-06:00", "2026-03-06T08:00:00-06:00",
			"2026-03-09T08:00:00-05:00", "2026-03-10T08:00:00-05:00", "2026-03-11T08:00:00-05:00"}
		checkCalls(t, rec, "digest", want, nil)

		db := openDesk(t, path)
		defer db.Close()
		if got := recorded(t, db, "digest", chicago); !slices.Equal(got, withStatus("done", want...)) {
			t.Errorf("recorded runs %v, want %v", got, withStatus("done", want...))
		}
		var wantMsgs []string
		for _, w := range want {
			wantMsgs = append(wantMsgs, postFor("digest", ts(t, w).In(chicago)).Text)
		}
		if got := queued(t, db); !slices.Equal(got, wantMsgs) {
			t.Errorf("outbox %q, want %q", got, wantMsgs)
		}
	})
}

// TestDSTJobsRunOncePerDay runs 01:30 and 02:30 daily jobs under cron's loop
// across both 2026 clock changes in New York and London: each runs once a
// day, at the first 01:30 when the hour repeats and at the change instant
// when its wall time is skipped.
func TestDSTJobsRunOncePerDay(t *testing.T) {
	tests := []struct {
		desc, zone, from, until string
		at0130, at0230          []string
	}{
		{"New York, spring forward (8 March)", "America/New_York", "2026-03-06T12:00:00-05:00", "2026-03-10T12:00:00-04:00",
			[]string{"2026-03-07T01:30:00-05:00", "2026-03-08T01:30:00-05:00", "2026-03-09T01:30:00-04:00", "2026-03-10T01:30:00-04:00"},
			[]string{"2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"}},
		{"New York, fall back (1 November)", "America/New_York", "2026-10-30T12:00:00-04:00", "2026-11-03T12:00:00-05:00",
			[]string{"2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00", "2026-11-03T01:30:00-05:00"},
			[]string{"2026-10-31T02:30:00-04:00", "2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00", "2026-11-03T02:30:00-05:00"}},
		{"London, spring forward (29 March)", "Europe/London", "2026-03-27T12:00:00Z", "2026-03-31T12:00:00+01:00",
			[]string{"2026-03-28T01:30:00Z", "2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00", "2026-03-31T01:30:00+01:00"},
			[]string{"2026-03-28T02:30:00Z", "2026-03-29T02:30:00+01:00", "2026-03-30T02:30:00+01:00", "2026-03-31T02:30:00+01:00"}},
		{"London, fall back (25 October)", "Europe/London", "2026-10-23T12:00:00+01:00", "2026-10-27T12:00:00Z",
			[]string{"2026-10-24T01:30:00+01:00", "2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"},
			[]string{"2026-10-24T02:30:00+01:00", "2026-10-25T02:30:00Z", "2026-10-26T02:30:00Z", "2026-10-27T02:30:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				loc := mustZone(t, tt.zone)
				log, _ := newLogger(t)
				rec := &recorder{}
				path := filepath.Join(t.TempDir(), "upgradebot.db")
				sleepUntil(ts(t, tt.from))
				up(t, path, loc, log, ts(t, tt.until), rec.job("at0130", "30 1 * * *"), rec.job("at0230", "30 2 * * *"))

				checkCalls(t, rec, "at0130", tt.at0130, nil)
				checkCalls(t, rec, "at0230", tt.at0230, nil)
				db := openDesk(t, path)
				defer db.Close()
				for job, want := range map[string][]string{"at0130": tt.at0130, "at0230": tt.at0230} {
					var wantRows []string
					for _, w := range want {
						wantRows = append(wantRows, ts(t, w).In(loc).Format(time.RFC3339)+" done")
					}
					if got := recorded(t, db, job, loc); !slices.Equal(got, wantRows) {
						t.Errorf("%s recorded %v, want %v", job, got, wantRows)
					}
				}
				if got := len(queued(t, db)); got != 8 {
					t.Errorf("%d messages queued, want 8", got)
				}
			})
		})
	}
}

// TestRestart takes the bot down and up again around a weekday 08:00 digest
// in Chicago (default 12h catch-up window), and around New York's spring
// gap for a 02:30 job.
func TestRestart(t *testing.T) {
	type life struct{ from, until string } // the bot is up from..until, down between lives
	tests := []struct {
		desc, zone, spec string
		lives            []life
		calls            []string          // the runs made, in order
		late             map[string]string // run -> when it was made, for catch-ups
		rows             []string          // every recorded run, "instant status"
		logs             []string          // the catch-up log line must have these
	}{
		{
			desc: "down across one digest time, up within the window: one catch-up run", zone: "America/Chicago", spec: "0 8 * * 1-5",
			lives: []life{{"2026-11-30T07:00:00-06:00", "2026-11-30T08:30:00-06:00"}, {"2026-12-01T09:30:00-06:00", "2026-12-01T10:00:00-06:00"}},
			calls: []string{"2026-11-30T08:00:00-06:00", "2026-12-01T08:00:00-06:00"},
			late:  map[string]string{"2026-12-01T08:00:00-06:00": "2026-12-01T09:30:00-06:00"},
			rows:  []string{"2026-11-30T08:00:00-06:00 done", "2026-12-01T08:00:00-06:00 done"},
			logs:  []string{"level=INFO", "missed=1", "skipped=0", "caught_up=\"Tue 2026-12-01 08:00 CST\"", "late=1h30m0s"},
		},
		{
			desc: "down three days: the latest runs, the older ones are recorded skipped", zone: "America/Chicago", spec: "0 8 * * 1-5",
			lives: []life{{"2026-11-30T07:00:00-06:00", "2026-11-30T08:30:00-06:00"}, {"2026-12-03T09:00:00-06:00", "2026-12-04T09:00:00-06:00"}},
			calls: []string{"2026-11-30T08:00:00-06:00", "2026-12-03T08:00:00-06:00", "2026-12-04T08:00:00-06:00"},
			late:  map[string]string{"2026-12-03T08:00:00-06:00": "2026-12-03T09:00:00-06:00"},
			rows: []string{"2026-11-30T08:00:00-06:00 done", "2026-12-01T08:00:00-06:00 skipped", "2026-12-02T08:00:00-06:00 skipped",
				"2026-12-03T08:00:00-06:00 done", "2026-12-04T08:00:00-06:00 done"},
			logs: []string{"level=WARN", "missed=3", "skipped=2", "skipped_recorded=2", "caught_up=\"Thu 2026-12-03 08:00 CST\""},
		},
		{
			desc: "down three days, back more than 12h after the last: everything missed is skipped", zone: "America/Chicago", spec: "0 8 * * 1-5",
			lives: []life{{"2026-11-30T07:00:00-06:00", "2026-11-30T08:30:00-06:00"}, {"2026-12-03T21:00:00-06:00", "2026-12-04T09:00:00-06:00"}},
			calls: []string{"2026-11-30T08:00:00-06:00", "2026-12-04T08:00:00-06:00"},
			rows: []string{"2026-11-30T08:00:00-06:00 done", "2026-12-01T08:00:00-06:00 skipped", "2026-12-02T08:00:00-06:00 skipped",
				"2026-12-03T08:00:00-06:00 skipped", "2026-12-04T08:00:00-06:00 done"},
			logs: []string{"level=WARN", "missed=3", "skipped=3", "skipped_recorded=3"},
		},
		{
			desc: "never ran: no history is backfilled", zone: "America/Chicago", spec: "0 8 * * 1-5",
			lives: []life{{"2026-12-01T09:30:00-06:00", "2026-12-02T09:00:00-06:00"}},
			calls: []string{"2026-12-02T08:00:00-06:00"},
			rows:  []string{"2026-12-02T08:00:00-06:00 done"},
		},
		{
			desc: "restarted often, never across a run: nothing to catch up", zone: "America/Chicago", spec: "0 8 * * 1-5",
			lives: []life{{"2026-11-30T07:00:00-06:00", "2026-11-30T08:30:00-06:00"}, {"2026-11-30T09:00:00-06:00", "2026-11-30T10:00:00-06:00"},
				{"2026-11-30T10:00:00-06:00", "2026-12-01T09:00:00-06:00"}},
			calls: []string{"2026-11-30T08:00:00-06:00", "2026-12-01T08:00:00-06:00"},
			rows:  []string{"2026-11-30T08:00:00-06:00 done", "2026-12-01T08:00:00-06:00 done"},
		},
		{
			desc: "down across New York's spring gap: the 02:30 run is caught up as 03:00 EDT", zone: "America/New_York", spec: "30 2 * * *",
			lives: []life{{"2026-03-07T00:00:00-05:00", "2026-03-07T03:00:00-05:00"}, {"2026-03-08T04:00:00-04:00", "2026-03-08T05:00:00-04:00"}},
			calls: []string{"2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00"},
			late:  map[string]string{"2026-03-08T03:00:00-04:00": "2026-03-08T04:00:00-04:00"},
			rows:  []string{"2026-03-07T02:30:00-05:00 done", "2026-03-08T03:00:00-04:00 done"},
			logs:  []string{"level=INFO", "missed=1", "caught_up=\"Sun 2026-03-08 03:00 EDT\"", "late=1h0m0s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				loc := mustZone(t, tt.zone)
				log, logs := newLogger(t)
				rec := &recorder{}
				path := filepath.Join(t.TempDir(), "upgradebot.db")
				for _, l := range tt.lives {
					sleepUntil(ts(t, l.from))
					up(t, path, loc, log, ts(t, l.until), rec.job("digest", tt.spec))
				}

				checkCalls(t, rec, "digest", tt.calls, tt.late)
				db := openDesk(t, path)
				defer db.Close()
				if got := recorded(t, db, "digest", loc); !slices.Equal(got, tt.rows) {
					t.Errorf("recorded %q, want %q", got, tt.rows)
				}
				if got := len(queued(t, db)); got != len(tt.calls) {
					t.Errorf("%d messages queued, want %d (one per run made)", got, len(tt.calls))
				}
				catchUps := logs.lines("catch-up: runs missed")
				if tt.logs == nil {
					if len(catchUps) != 0 {
						t.Errorf("catch-up logged %q, want nothing", catchUps)
					}
					return
				}
				if len(catchUps) != 1 || len(logs.lines(append([]string{"catch-up: runs missed", "job=digest"}, tt.logs...)...)) != 1 {
					t.Errorf("catch-up log lines %q, want one with %q", catchUps, tt.logs)
				}
			})
		})
	}
}

// TestSkippedNotes checks what a skipped run says about itself.
func TestSkippedNotes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chicago := mustZone(t, "America/Chicago")
		log, _ := newLogger(t)
		rec := &recorder{}
		path := filepath.Join(t.TempDir(), "upgradebot.db")
		sleepUntil(ts(t, "2026-11-30T07:00:00-06:00"))
		up(t, path, chicago, log, ts(t, "2026-11-30T08:30:00-06:00"), rec.job("digest", "0 8 * * 1-5"))
		sleepUntil(ts(t, "2026-12-03T09:00:00-06:00"))
		up(t, path, chicago, log, ts(t, "2026-12-03T09:30:00-06:00"), rec.job("digest", "0 8 * * 1-5"))

		db := openDesk(t, path)
		defer db.Close()
		runs, err := db.FindRuns(context.Background(), "digest", ts(t, "2026-12-01T00:00:00Z"), ts(t, "2026-12-03T00:00:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		want := "missed while the bot was down; the later run at Thu 2026-12-03 08:00 CST was caught up instead"
		if len(runs) != 2 || runs[0].Note != want || runs[1].Note != want {
			t.Errorf("skipped runs %+v, want 2 with the note %q", runs, want)
		}
	})
}

// counter counts, across database handles, which RecordRun calls recorded a
// run and which found it recorded already.
type counter struct {
	mu       sync.Mutex
	recorded map[string]int // "job instant" -> RecordRun calls that recorded it
	dropped  int
}

// countingDesk is one handle on the real store, counting its RecordRun
// results in a shared counter.
type countingDesk struct {
	upgradebot.JobService
	c *counter
}

func (d countingDesk) RecordRun(ctx context.Context, r upgradebot.JobRun, msgs []upgradebot.Message) (bool, error) {
	ok, err := d.JobService.RecordRun(ctx, r, msgs)
	d.c.mu.Lock()
	defer d.c.mu.Unlock()
	if ok {
		d.c.recorded[r.Job+" "+r.At.UTC().Format(time.RFC3339)]++
	} else if err == nil {
		d.c.dropped++
	}
	return ok, err
}

// TestTwoSchedulersOneDatabase runs two schedulers, each on its own handle
// on one SQLite file, through a simulated week (one of them restarting
// midweek): every run is recorded and queued exactly once.
func TestTwoSchedulersOneDatabase(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chicago := mustZone(t, "America/Chicago")
		log, _ := newLogger(t)
		path := filepath.Join(t.TempDir(), "upgradebot.db")
		count := &counter{recorded: map[string]int{}}
		recA, recB := &recorder{}, &recorder{}
		newScheduler := func(db *store.DB, rec *recorder) *scheduler.Scheduler {
			return &scheduler.Scheduler{Desk: countingDesk{db, count}, Clock: upgradebot.SystemClock{}, Location: chicago, Logger: log,
				Jobs: []scheduler.Job{rec.job("digest", "0 8 * * 1-5"), rec.job("hourly", "0 * * * *")}}
		}

		sleepUntil(ts(t, "2026-11-29T23:30:00-06:00")) // Sunday night
		dbA, dbB := openDesk(t, path), openDesk(t, path)
		defer dbA.Close()
		ctx, cancel := context.WithCancel(context.Background())
		doneA := make(chan error, 1)
		go func() { doneA <- newScheduler(dbA, recA).Run(ctx) }()

		// B is up until Wednesday 10:30, down until Thursday 09:15, then
		// up again; A is up all week.
		runUntil(t, ts(t, "2026-12-02T10:30:00-06:00"), newScheduler(dbB, recB))
		dbB.Close()
		sleepUntil(ts(t, "2026-12-03T09:15:00-06:00"))
		dbB = openDesk(t, path)
		runUntil(t, ts(t, "2026-12-06T23:30:00-06:00"), newScheduler(dbB, recB))
		dbB.Close()
		cancel()
		if err := <-doneA; err != nil {
			t.Fatal(err)
		}

		const wantDigest, wantHourly = 5, 7 * 24 // hourly: Monday 00:00 to Sunday 23:00
		count.mu.Lock()
		defer count.mu.Unlock()
		total := 0
		for key, n := range count.recorded {
			if n != 1 {
				t.Errorf("run %s recorded %d times", key, n)
			}
			total += n
		}
		if total != wantDigest+wantHourly {
			t.Errorf("%d runs recorded, want %d", total, wantDigest+wantHourly)
		}
		if count.dropped == 0 {
			t.Error("no RecordRun found its run recorded already: the two schedulers never raced")
		}
		if got := len(recorded(t, dbA, "digest", chicago)); got != wantDigest {
			t.Errorf("%d digest rows, want %d", got, wantDigest)
		}
		if got := len(recorded(t, dbA, "hourly", chicago)); got != wantHourly {
			t.Errorf("%d hourly rows, want %d", got, wantHourly)
		}
		msgs := queued(t, dbA)
		if len(msgs) != wantDigest+wantHourly {
			t.Errorf("%d messages queued, want %d", len(msgs), wantDigest+wantHourly)
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			if seen[m] {
				t.Errorf("message queued twice: %q", m)
			}
			seen[m] = true
		}
		t.Logf("runs recorded %d; RecordRun calls that found the run done already %d; job calls A %d, B %d",
			total, count.dropped, len(recA.calls("digest"))+len(recA.calls("hourly")), len(recB.calls("digest"))+len(recB.calls("hourly")))
	})
}

var errBroken = errors.New("the digest query failed")

// TestFailingJobs runs a job that panics and one that fails next to a good
// one, under cron's loop and in catch-up: the good one still runs every
// time, the others are logged and not recorded.
func TestFailingJobs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chicago := mustZone(t, "America/Chicago")
		log, logs := newLogger(t)
		rec := &recorder{}
		path := filepath.Join(t.TempDir(), "upgradebot.db")
		jobs := []scheduler.Job{
			{Name: "boom", Spec: "0 8 * * *", Run: func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
				panic("index out of range")
			}},
			{Name: "broken", Spec: "0 8 * * *", Run: func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
				return []upgradebot.Message{postFor("broken", at)}, errBroken
			}},
			rec.job("digest", "0 8 * * *"),
		}

		// Each has a run recorded on Monday, so Tuesday's are caught up
		// when the bot comes up at 09:00; then Wednesday's run under cron.
		sleepUntil(ts(t, "2026-11-30T12:00:00-06:00"))
		db := openDesk(t, path)
		for _, name := range []string{"boom", "broken", "digest"} {
			run := upgradebot.JobRun{Job: name, At: ts(t, "2026-11-30T08:00:00-06:00"), Status: upgradebot.RunDone}
			if _, err := db.RecordRun(context.Background(), run, nil); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		sleepUntil(ts(t, "2026-12-01T09:00:00-06:00"))
		up(t, path, chicago, log, ts(t, "2026-12-02T09:00:00-06:00"), jobs...)

		checkCalls(t, rec, "digest", []string{"2026-12-01T08:00:00-06:00", "2026-12-02T08:00:00-06:00"},
			map[string]string{"2026-12-01T08:00:00-06:00": "2026-12-01T09:00:00-06:00"})
		db = openDesk(t, path)
		defer db.Close()
		for _, name := range []string{"boom", "broken"} {
			if got := recorded(t, db, name, chicago); !slices.Equal(got, []string{"2026-11-30T08:00:00-06:00 done"}) {
				t.Errorf("%s recorded %q, want only Monday's seeded run", name, got)
			}
		}
		if got := len(queued(t, db)); got != 2 {
			t.Errorf("%d messages queued, want the digest's 2", got)
		}
		if n := len(logs.lines("job panicked", "job=boom", "index out of range", "stack=")); n != 2 {
			t.Errorf("%d panic lines for boom, want 2 (catch-up, then cron)", n)
		}
		if n := len(logs.lines("level=ERROR", "job=broken", errBroken.Error())); n != 2 {
			t.Errorf("%d error lines for broken, want 2 (catch-up, then cron)", n)
		}
	})
}

func TestRunJob(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	clock := upgradebot.NewFakeClock(ts(t, "2026-12-01T09:00:00-06:00"))
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "upgradebot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log, _ := newLogger(t)
	rec := &recorder{}
	s := &scheduler.Scheduler{Desk: db, Clock: clock, Location: chicago, Logger: log, Jobs: []scheduler.Job{
		rec.job("digest", "0 8 * * 1-5"),
		{Name: "boom", Spec: "0 8 * * *", Run: func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
			panic(fmt.Sprintf("no digest for %s", at.Format(time.DateOnly)))
		}},
		{Name: "broken", Spec: "0 8 * * *", Run: func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
			return nil, errBroken
		}},
	}}
	ctx := t.Context()
	at := ts(t, "2026-12-01T08:00:00-06:00")

	if ok, err := s.RunJob(ctx, "digest", at); !ok || err != nil {
		t.Fatalf("RunJob digest = %v, %v; want true, nil", ok, err)
	}
	if ok, err := s.RunJob(ctx, "digest", at); ok || err != nil {
		t.Errorf("RunJob digest again = %v, %v; want false, nil (already recorded)", ok, err)
	}
	if got := len(rec.calls("digest")); got != 2 {
		t.Errorf("digest built %d times, want 2", got)
	}
	if got := queued(t, db); !slices.Equal(got, []string{postFor("digest", at).Text}) {
		t.Errorf("outbox %q, want the one post", got)
	}

	if ok, err := s.RunJob(ctx, "boom", at); ok || err == nil || !strings.Contains(err.Error(), "panic: no digest for 2026-12-01") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("RunJob boom = %v, %v; want the panic as an error naming the job", ok, err)
	}
	if ok, err := s.RunJob(ctx, "broken", at); ok || !errors.Is(err, errBroken) {
		t.Errorf("RunJob broken = %v, %v; want %v", ok, err, errBroken)
	}
	_, err = s.RunJob(ctx, "digset", at)
	if upgradebot.ErrorCode(err) != upgradebot.ENOTFOUND || !strings.Contains(upgradebot.ErrorMessage(err), `"digset"`) || !strings.Contains(upgradebot.ErrorMessage(err), `"digest"`) {
		t.Errorf("RunJob digset = %v; want ENOTFOUND naming it and the jobs there are", err)
	}
}

// TestConfigRefused checks that a bad configuration is refused before
// anything runs, with a message naming what is wrong.
func TestConfigRefused(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "upgradebot.db"), upgradebot.NewFakeClock(ts(t, "2026-12-01T09:00:00-06:00")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := &recorder{}
	ok := rec.job("digest", "0 8 * * 1-5")
	tests := []struct {
		desc string
		s    scheduler.Scheduler
		want []string
	}{
		{"bad spec", scheduler.Scheduler{Desk: db, Location: chicago, Jobs: []scheduler.Job{ok, rec.job("nudges", "0 25 * * 1-5")}},
			[]string{`job "nudges"`, `"0 25 * * 1-5"`, "above maximum"}},
		{"six fields", scheduler.Scheduler{Desk: db, Location: chicago, Jobs: []scheduler.Job{rec.job("nudges", "0 0 9 * * 1-5")}},
			[]string{`job "nudges"`, `"0 0 9 * * 1-5"`, "5 fields"}},
		{"two jobs with one name", scheduler.Scheduler{Desk: db, Location: chicago, Jobs: []scheduler.Job{ok, rec.job("digest", "0 9 * * *")}},
			[]string{`two jobs are named "digest"`}},
		{"no name", scheduler.Scheduler{Desk: db, Location: chicago, Jobs: []scheduler.Job{rec.job("", "0 9 * * *")}},
			[]string{"no name", `"0 9 * * *"`}},
		{"no Run", scheduler.Scheduler{Desk: db, Location: chicago, Jobs: []scheduler.Job{{Name: "digest", Spec: "0 8 * * *"}}},
			[]string{`job "digest" has no Run`}},
		{"no zone", scheduler.Scheduler{Desk: db, Jobs: []scheduler.Job{ok}}, []string{"no Location"}},
		{"no desk", scheduler.Scheduler{Location: chicago, Jobs: []scheduler.Job{ok}}, []string{"no Desk"}},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if err == nil {
			t.Errorf("%s: Validate accepted it", tt.desc)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Validate = %v; want it to say %s", tt.desc, err, w)
			}
		}
		// Run refuses it the same way, at once, and RunJob too.
		if err := tt.s.Run(t.Context()); err == nil || err.Error() != tt.s.Validate().Error() {
			t.Errorf("%s: Run = %v, want %v", tt.desc, err, tt.s.Validate())
		}
		if _, err := tt.s.RunJob(t.Context(), "digest", time.Time{}); err == nil {
			t.Errorf("%s: RunJob accepted it", tt.desc)
		}
	}
	if got := rec.calls("digest"); len(got) != 0 {
		t.Errorf("a refused scheduler ran %v", got)
	}
	if runs := recorded(t, db, "digest", chicago); len(runs) != 0 {
		t.Errorf("a refused scheduler recorded %v", runs)
	}
}

// TestRunDueDuringCatchUp has a slow catch-up (90 minutes on the bubble's
// clock) that spans another job's 08:00: that run is made as soon as the
// loop starts, not lost between catch-up and cron.
func TestRunDueDuringCatchUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chicago := mustZone(t, "America/Chicago")
		log, _ := newLogger(t)
		rec := &recorder{}
		path := filepath.Join(t.TempDir(), "upgradebot.db")
		slow := scheduler.Job{Name: "slow", Spec: "0 6 * * *", Run: func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
			time.Sleep(90 * time.Minute)
			return nil, nil
		}}

		sleepUntil(ts(t, "2026-11-30T12:00:00-06:00"))
		db := openDesk(t, path)
		if _, err := db.RecordRun(context.Background(), upgradebot.JobRun{Job: "slow", At: ts(t, "2026-11-30T06:00:00-06:00"), Status: upgradebot.RunDone}, nil); err != nil {
			t.Fatal(err)
		}
		db.Close()
		// Up at 07:00: the digest has never run, so it starts from 07:00;
		// slow's catch-up of 06:00 lasts until 08:30.
		sleepUntil(ts(t, "2026-12-01T07:00:00-06:00"))
		up(t, path, chicago, log, ts(t, "2026-12-01T09:00:00-06:00"), rec.job("digest", "0 8 * * 1-5"), slow)

		checkCalls(t, rec, "digest", []string{"2026-12-01T08:00:00-06:00"},
			map[string]string{"2026-12-01T08:00:00-06:00": "2026-12-01T08:30:00-06:00"})
	})
}

// BenchmarkBetweenMinutely is the worst catch-up scan: an every-minute job
// over the whole 31-day look-back.
func BenchmarkBetweenMinutely(b *testing.B) {
	sched := cronspec.MustParse("* * * * *", mustZone(b, "America/New_York"))
	a := ts(b, "2026-10-15T00:00:00Z")
	for b.Loop() {
		sched.Between(a, a.Add(scheduler.MaxLookBack), 201)
	}
}
