package scheduler_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

// The team's jobs against a real SQLite file, each run called with
// Scheduler.RunJob at a chosen instant in Chicago (the store's clock is
// set to that instant first).

const (
	admin = "UADMIN"
	owner = "UOWNER"
	alice = "UALICE"
	bob   = "UBOB"
)

type teamDesk struct {
	t     *testing.T
	db    *store.DB
	clock *upgradebot.FakeClock
	loc   *time.Location
	s     *scheduler.Scheduler
	cfg   scheduler.Config
	mark  int64 // messages up to here have been looked at
}

// newTeam opens a desk for the team in Chicago (channel, admin, owner) at
// Monday 30 November 2026 07:00, with the team's jobs on default settings.
func newTeam(t *testing.T) *teamDesk {
	t.Helper()
	loc := mustZone(t, "America/Chicago")
	clock := upgradebot.NewFakeClock(time.Date(2026, 11, 30, 7, 0, 0, 0, loc))
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "upgradebot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Bootstrap(t.Context(), channel, "America/Chicago", []string{admin}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetOwner(t.Context(), admin, owner); err != nil {
		t.Fatal(err)
	}
	log, _ := newLogger(t)
	cfg := scheduler.Config{Location: loc}
	return &teamDesk{t: t, db: db, clock: clock, loc: loc, cfg: cfg,
		s: &scheduler.Scheduler{Desk: db, Clock: clock, Location: loc, Logger: log, Jobs: scheduler.Jobs(db, cfg)}}
}

// at is a wall time in Chicago: "Mon 30 Nov 09:00" style is avoided for
// plain "2026-11-30 09:00".
func (d *teamDesk) at(s string) time.Time {
	d.t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, d.loc)
	if err != nil {
		d.t.Fatal(err)
	}
	return v
}

// run runs job for the instant at, and returns the messages it queued as
// "kind to" lines, and the messages themselves.
func (d *teamDesk) run(job, at string) ([]string, []*upgradebot.Message) {
	d.t.Helper()
	d.clock.Set(d.at(at))
	if _, err := d.s.RunJob(d.t.Context(), job, d.at(at)); err != nil {
		d.t.Fatalf("RunJob %s at %s: %v", job, at, err)
	}
	return d.newMessages()
}

func (d *teamDesk) newMessages() ([]string, []*upgradebot.Message) {
	d.t.Helper()
	msgs, err := d.db.PendingMessages(d.t.Context(), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	if err != nil {
		d.t.Fatal(err)
	}
	var out []*upgradebot.Message
	var lines []string
	for _, m := range msgs {
		// App Home refreshes are queued by the changes the tests set up
		// (the owner set, a task added), not by the jobs.
		if m.ID > d.mark && m.Kind != upgradebot.MessageHome {
			out = append(out, m)
			lines = append(lines, fmt.Sprintf("%s %s", m.Kind, m.To))
		}
	}
	if len(msgs) > 0 {
		d.mark = msgs[len(msgs)-1].ID
	}
	return lines, out
}

// want runs job at at and checks the kinds and recipients of what it queued.
func (d *teamDesk) want(job, at string, want ...string) []*upgradebot.Message {
	d.t.Helper()
	got, msgs := d.run(job, at)
	if !slices.Equal(got, want) {
		d.t.Errorf("%s at %s queued %q, want %q", job, at, got, want)
		for _, m := range msgs {
			d.t.Logf("%s %s: %s", m.Kind, m.To, m.Text)
		}
	}
	return msgs
}

func (d *teamDesk) holidays(days ...string) {
	d.t.Helper()
	var list []upgradebot.Date
	for _, s := range days {
		v, err := upgradebot.ParseDate(s)
		if err != nil {
			d.t.Fatal(err)
		}
		list = append(list, v)
	}
	if err := d.db.SetHolidays(d.t.Context(), admin, list); err != nil {
		d.t.Fatal(err)
	}
}

func (d *teamDesk) task(title, who, due string) *upgradebot.Task {
	d.t.Helper()
	day, _ := upgradebot.ParseDate(due)
	task := &upgradebot.Task{Title: title, Assignee: who, Due: day}
	if err := d.db.CreateTask(d.t.Context(), admin, task); err != nil {
		d.t.Fatal(err)
	}
	d.newMessages() // the "assigned you" DM
	return task
}

func TestJobsDefaults(t *testing.T) {
	d := newTeam(t)
	var got []string
	for _, j := range scheduler.Jobs(d.db, scheduler.Config{}) {
		got = append(got, j.Name+" "+j.Spec)
	}
	want := []string{"digest 0 8 * * 1-5", "release-reminders 0 9 * * 1-5", "nudges 0 9-16 * * 1-5",
		"escalation 30 9 * * 1-5", "cleanups 0 6 * * *"}
	if !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	if err := d.s.Validate(); err != nil {
		t.Error(err)
	}
}

// TestReleaseReminderJob: reminders at 30, 14, 7 and 1 days, folded into
// one post a run, each sent once, a holiday's sent the next working day.
func TestReleaseReminderJob(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	for _, r := range []*upgradebot.Release{
		{Vendor: "MedCore", Name: "2027.1", GA: upgradebot.DateOf(d.at("2026-12-30 00:00"))},
		{Vendor: "LabSys", Name: "9", GA: upgradebot.DateOf(d.at("2026-12-07 00:00"))},
	} {
		if err := d.db.CreateRelease(ctx, admin, r); err != nil {
			t.Fatal(err)
		}
	}
	d.holidays("2026-12-16")
	const job = scheduler.JobReminders

	msgs := d.want(job, "2026-11-30 09:00", "post "+channel)
	if len(msgs) == 1 {
		want := "*Vendor release reminders* · Mon 30 Nov 2026\n" +
			"• `labsys-9` LabSys 9: GA in 7 days, Mon 7 Dec 2026\n" +
			"• `medcore-2027.1` MedCore 2027.1: GA in 30 days, Wed 30 Dec 2026"
		if msgs[0].Text != want {
			t.Errorf("post:\n%s\nwant:\n%s", msgs[0].Text, want)
		}
	}
	if ok, err := d.s.RunJob(ctx, job, d.at("2026-11-30 09:00")); ok || err != nil {
		t.Errorf("the same run again = %v, %v; want false, nil", ok, err)
	}
	d.want(job, "2026-12-01 09:00")                         // nothing new
	d.want(job, "2026-12-01 09:00")                         // and the run is not made twice
	d.want(job, "2026-12-05 09:00")                         // Saturday: nothing (LabSys is 2 days off)
	d.want(job, "2026-12-06 09:00")                         // Sunday: the 1-day reminder waits for a working day
	msgs = d.want(job, "2026-12-07 09:00", "post "+channel) // GA day: sent, once
	if len(msgs) == 1 && !strings.Contains(msgs[0].Text, "LabSys 9: GA today") {
		t.Errorf("post:\n%s", msgs[0].Text)
	}
	d.want(job, "2026-12-16 09:00") // a holiday: nothing
	msgs = d.want(job, "2026-12-17 09:00", "post "+channel)
	if len(msgs) == 1 && !strings.Contains(msgs[0].Text, "MedCore 2027.1: GA in 13 days") {
		t.Errorf("the holiday's reminder, a day late:\n%s", msgs[0].Text)
	}
	// Down from the 18th to the 29th: the 7-day reminder is folded into the 1-day one.
	msgs = d.want(job, "2026-12-29 09:00", "post "+channel)
	if len(msgs) == 1 && strings.Count(msgs[0].Text, "\n") != 1 {
		t.Errorf("one line for both:\n%s", msgs[0].Text)
	}
	d.want(job, "2026-12-30 09:00")
}

// TestNudgeJob: overdue work nudged in working hours on working days,
// folded per person, every 2 working days, the channel told after 3.
func TestNudgeJob(t *testing.T) {
	d := newTeam(t)
	t1 := d.task("Regression-test the lab interfaces", alice, "2026-11-27")
	t2 := d.task("Review order sets", alice, "2026-11-25")
	d.task("Update downtime procedures", bob, "2026-11-26")
	d.task("Due next week", bob, "2026-12-07")
	d.holidays("2026-12-08")
	const job = scheduler.JobNudges

	d.want(job, "2026-11-30 07:00") // before working hours
	msgs := d.want(job, "2026-11-30 09:00", "dm "+alice, "dm "+bob)
	if len(msgs) == 2 && (!strings.Contains(msgs[0].Text, "2 of your tasks") || strings.Index(msgs[0].Text, fmt.Sprintf("#%d ", t2.ID)) > strings.Index(msgs[0].Text, fmt.Sprintf("#%d ", t1.ID))) {
		t.Errorf("Alice's DM, oldest first:\n%s", msgs[0].Text)
	}
	d.want(job, "2026-11-30 10:00") // once a day
	d.want(job, "2026-11-30 17:00") // after hours
	d.want(job, "2026-12-01 09:00") // one working day on
	d.want(job, "2026-12-02 09:00", "dm "+alice, "dm "+bob)
	if _, err := d.db.SetMute(t.Context(), bob, bob, upgradebot.Date{}); err != nil {
		t.Fatal(err)
	}
	d.want(job, "2026-12-04 09:00", "dm "+alice) // the third; Bob is muted
	d.want(job, "2026-12-05 10:00")              // Saturday
	d.want(job, "2026-12-07 09:00")              // Monday: one working day on
	d.want(job, "2026-12-08 09:00")              // a holiday
	msgs = d.want(job, "2026-12-09 09:00", "dm "+alice, "post "+channel)
	// Issue 15: the channel post names the owner without a ping.
	if len(msgs) == 2 && (!strings.Contains(msgs[1].Text, "Still overdue after 3 reminders") || strings.Count(msgs[1].Text, " "+alice+" ") != 2 ||
		strings.Contains(msgs[1].Text, "<@")) {
		t.Errorf("channel post:\n%s", msgs[1].Text)
	}
	if ok, err := d.db.ClearMute(t.Context(), bob, bob); !ok || err != nil {
		t.Fatal(ok, err)
	}
	d.want(job, "2026-12-09 11:00", "dm "+bob) // unmuted: his nudge is due
	// Alice's fifth; Bob's fourth about his first task, so the channel
	// hears of it, and his second about the task due on the 7th.
	msgs = d.want(job, "2026-12-11 09:00", "dm "+alice, "dm "+bob, "post "+channel)
	// Issue 15: the DM's tasks are items with buttons; the post pings nobody.
	if len(msgs) == 3 && (strings.Count(msgs[1].FullText(), "• ") != 2 || len(msgs[1].Items) != 2 || strings.Count(msgs[2].Text, "• ") != 1 ||
		!strings.Contains(msgs[2].Text, " "+bob+" ") || strings.Contains(msgs[2].Text, "<@")) {
		t.Errorf("Bob's DM:\n%s\nchannel:\n%s", msgs[1].FullText(), msgs[2].Text)
	}
}

// TestEscalationJob: a late decision is sent again to the owner, then to
// the admins (the requester told), each step once, holidays included.
func TestEscalationJob(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	d.clock.Set(d.at("2026-11-30 10:00"))
	undated := &upgradebot.Decision{Question: "Take MedCore 2027.1 in March?"}
	if _, err := d.db.CreateDecision(ctx, alice, undated); err != nil {
		t.Fatal(err)
	}
	dated := &upgradebot.Decision{Question: "One go-live for both?", Due: upgradebot.DateOf(d.at("2026-12-03 00:00"))}
	if _, err := d.db.CreateDecision(ctx, bob, dated); err != nil {
		t.Fatal(err)
	}
	d.newMessages()
	d.holidays("2026-12-04")
	const job = scheduler.JobEscalation

	d.want(job, "2026-12-01 09:30")
	msgs := d.want(job, "2026-12-02 09:30", "dm "+owner) // two working days
	if len(msgs) == 1 && (msgs[0].DecisionID != undated.ID || !strings.HasPrefix(msgs[0].Text, "*Reminder:*")) {
		t.Errorf("reminder: %+v", msgs[0])
	}
	d.want(job, "2026-12-02 13:00") // once
	d.want(job, "2026-12-03 09:30") // the dated one is due today
	msgs = d.want(job, "2026-12-04 09:30", "dm "+owner)
	if len(msgs) == 1 && msgs[0].DecisionID != dated.ID {
		t.Errorf("the dated one's reminder, on a holiday: %+v", msgs[0])
	}
	// Two working days after 2 December, the holiday not counted.
	d.want(job, "2026-12-07 09:30", "dm "+admin, "dm "+alice)
	d.want(job, "2026-12-08 09:30", "dm "+admin, "dm "+bob)
	d.want(job, "2026-12-09 09:30")
	d.want(job, "2027-01-04 09:30")
}

// TestCleanupJob: each occurrence is created on its day while the one
// before is still open, never twice; quietly on a holiday.
func TestCleanupJob(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	first, err := d.db.CreateMaintenance(ctx, admin, &upgradebot.Maintenance{Title: "Duplicate medical record clean-up",
		Every: upgradebot.Interval{N: 2, Unit: 'w'}, Assignee: alice, Anchor: upgradebot.DateOf(d.at("2026-11-27 00:00"))})
	if err != nil {
		t.Fatal(err)
	}
	d.newMessages()
	d.holidays("2026-12-25")
	const job = scheduler.JobCleanups

	d.want(job, "2026-12-10 06:00")
	msgs := d.want(job, "2026-12-11 06:00", "dm "+alice)
	if len(msgs) == 1 && !strings.Contains(msgs[0].FullText(), "due today") { // issue 15: an item with buttons
		t.Errorf("DM:\n%s", msgs[0].FullText())
	}
	d.want(job, "2026-12-11 06:00")
	d.want(job, "2026-12-12 06:00")
	d.want(job, "2026-12-25 06:00") // a holiday: created, quietly
	open, n, err := d.db.FindTasks(ctx, upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}, Kind: upgradebot.KindCleanup})
	if err != nil {
		t.Fatal(err)
	}
	var dues []string
	for _, o := range open {
		dues = append(dues, o.Due.String())
	}
	if n != 3 || open[0].ID != first.ID || !slices.Equal(dues, []string{"2026-11-27", "2026-12-11", "2026-12-25"}) {
		t.Errorf("open occurrences %q, want all three, the first still open", dues)
	}
	dd, err := d.db.DigestData(ctx, d.at("2026-12-28 08:00"), upgradebot.DateOf(d.at("2026-12-28 00:00")), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dd.Cleanups) != 1 || dd.Cleanups[0].Occurrences != 3 {
		t.Errorf("digest clean-ups %+v, want one clean-up 3 occurrences behind", dd.Cleanups)
	}
}

// TestDigestOnWorkingDays: the digest job posts nothing on a holiday or a
// weekend; the next working day's reports it all.
func TestDigestOnWorkingDays(t *testing.T) {
	d := newTeam(t)
	d.task("Regression-test the lab interfaces", alice, "2026-11-20")
	d.holidays("2026-12-24", "2026-12-25")
	d.want(scheduler.JobDigest, "2026-12-23 08:00", "post "+channel, "post "+channel) // the desk's first digest: with the chart
	d.want(scheduler.JobDigest, "2026-12-24 08:00")
	d.want(scheduler.JobDigest, "2026-12-25 08:00")
	d.want(scheduler.JobDigest, "2026-12-26 08:00")
	d.want(scheduler.JobDigest, "2026-12-28 08:00", "post "+channel, "post "+channel) // Monday: with the weekly chart
}

// TestNudgesUnderCron runs the team's jobs under cron's real loop for a
// simulated week (testing/synctest): an overdue task is nudged on Monday,
// Wednesday and Friday at 09:00, never more than once a day although the
// nudge job runs every working hour, and the clean-up and reminder jobs
// run alongside.
func TestNudgesUnderCron(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		loc := mustZone(t, "America/Chicago")
		log, _ := newLogger(t)
		path := filepath.Join(t.TempDir(), "upgradebot.db")
		sleepUntil(time.Date(2026, 11, 29, 12, 0, 0, 0, loc)) // Sunday
		db := openDesk(t, path)
		defer db.Close()
		ctx := context.Background()
		if err := db.Bootstrap(ctx, channel, "America/Chicago", []string{admin}); err != nil {
			t.Fatal(err)
		}
		task := &upgradebot.Task{Title: "Regression-test the lab interfaces", Assignee: alice, Due: upgradebot.DateOf(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))}
		if err := db.CreateTask(ctx, admin, task); err != nil {
			t.Fatal(err)
		}
		cfg := scheduler.Config{Location: loc}
		runUntil(t, time.Date(2026, 12, 5, 12, 0, 0, 0, loc),
			&scheduler.Scheduler{Desk: db, Clock: upgradebot.SystemClock{}, Location: loc, Logger: log, Jobs: scheduler.Jobs(db, cfg)})

		msgs, err := db.PendingMessages(ctx, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 0)
		if err != nil {
			t.Fatal(err)
		}
		var nudges []string
		for _, m := range msgs {
			if m.Kind == upgradebot.MessageDM && strings.HasPrefix(m.Text, "*Overdue:*") {
				nudges = append(nudges, m.CreatedAt.In(loc).Format("Mon 15:04"))
			}
		}
		if want := []string{"Mon 09:00", "Wed 09:00", "Fri 09:00"}; !slices.Equal(nudges, want) {
			t.Errorf("nudges at %q, want %q", nudges, want)
		}
		if got := len(recorded(t, db, scheduler.JobNudges, loc)); got != 5*8 {
			t.Errorf("%d nudge runs recorded, want 40 (8 working hours, 5 days)", got)
		}
	})
}

// readsDesk is the team's desk counting the reads of the settings and the
// holidays.
type readsDesk struct {
	*store.DB
	settings, holidays int
}

func (r *readsDesk) Settings(ctx context.Context) (upgradebot.Settings, error) {
	r.settings++
	return r.DB.Settings(ctx)
}

func (r *readsDesk) Holidays(ctx context.Context) ([]upgradebot.Date, error) {
	r.holidays++
	return r.DB.Holidays(ctx)
}

// TestJobsReadTeamOnce: each run of each job reads the settings and the
// holidays once, however many of them (channel, calendar, thresholds) it
// uses.
func TestJobsReadTeamOnce(t *testing.T) {
	d := newTeam(t)
	d.task("Regression-test the lab interfaces", alice, "2026-11-20")
	reads := &readsDesk{DB: d.db}
	d.s.Jobs = scheduler.Jobs(reads, d.cfg)
	for _, j := range d.s.Jobs {
		reads.settings, reads.holidays = 0, 0
		d.run(j.Name, "2026-11-30 09:00")
		if reads.settings != 1 || reads.holidays != 1 {
			t.Errorf("%s read the settings %d times and the holidays %d times, want once each", j.Name, reads.settings, reads.holidays)
		}
	}
}
