// Package scheduler turns the clock into calls on the domain: it runs named
// jobs at wall-clock times in the team's zone (exactly once per wall time,
// across daylight-saving changes), records each run with the messages it
// queues in one transaction, so that a run happens at most once however many
// processes share the database, and at start catches up on runs missed while
// the bot was down.
//
// The loop is robfig/cron's; schedules are cronspec's Schedule. Time is
// read from the injected upgradebot.Clock, and by cron's loop from the wall
// clock (tests drive both with testing/synctest).
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/cronspec"
)

// CatchUp is how late a run missed while the bot was down may still run at
// start.
const CatchUp = 12 * time.Hour

// MaxLookBack bounds how far back catch-up looks for missed runs: older ones
// are neither run nor recorded.
const MaxLookBack = 31 * 24 * time.Hour

// maxSkippedRows bounds the skipped runs recorded for one job at one start
// (each is a transaction); the log still gives the full count.
const maxSkippedRows = 200

// maxJobName is the longest job name the store keeps.
const maxJobName = 64

// Job is one piece of periodic work.
type Job struct {
	Name string // unique; identifies its runs in the database
	Spec string // cron spec as cronspec.Parse reads it, in the scheduler's zone
	// Run does the work of the run scheduled at at and returns the
	// messages that go with the run: the scheduler queues them in the
	// transaction that records the run, so they are sent once however
	// often the run is tried. Work the desk records as it does it (a
	// nudge, a reminder sent, an escalation step, a clean-up occurrence)
	// is committed by the desk, with its own messages, before the run is
	// recorded, so it must be safe to do again: the desk's records make
	// a second try send nothing. An error, or a panic, means the run is
	// not recorded.
	Run func(ctx context.Context, at time.Time) ([]upgradebot.Message, error)
}

// Scheduler runs Jobs on their schedules.
type Scheduler struct {
	Desk upgradebot.JobService
	// Clock is read for "now" at start (catch-up). It must tell the time
	// cron's loop reads from package time: SystemClock (nil), which inside
	// a testing/synctest bubble is the bubble's fake clock.
	Clock    upgradebot.Clock
	Location *time.Location // the zone every spec is read in
	Jobs     []Job
	Logger   *slog.Logger // nil: slog.Default()
}

// job is a Job with its parsed schedule.
type job struct {
	Job
	sched cronspec.Schedule
}

// Validate checks the configuration: a desk and a zone, and for every job a
// unique name, a Run function and a spec that parses (the error names the
// job and the spec).
func (s *Scheduler) Validate() error {
	_, err := s.compile()
	return err
}

func (s *Scheduler) compile() ([]*job, error) {
	if s.Desk == nil {
		return nil, errors.New("scheduler: no Desk to record runs in")
	}
	if s.Location == nil {
		return nil, errors.New("scheduler: no Location (time zone) to read the schedules in")
	}
	jobs := make([]*job, 0, len(s.Jobs))
	seen := make(map[string]bool, len(s.Jobs))
	for i, j := range s.Jobs {
		switch {
		case j.Name == "":
			return nil, fmt.Errorf("scheduler: job %d (spec %q) has no name", i+1, j.Spec)
		case len(j.Name) > maxJobName:
			return nil, fmt.Errorf("scheduler: job name %q is longer than %d bytes", j.Name, maxJobName)
		case seen[j.Name]:
			return nil, fmt.Errorf("scheduler: two jobs are named %q", j.Name)
		case j.Run == nil:
			return nil, fmt.Errorf("scheduler: job %q has no Run function", j.Name)
		}
		seen[j.Name] = true
		sched, err := cronspec.Parse(j.Spec, s.Location)
		if err != nil {
			return nil, fmt.Errorf("scheduler: job %q: %w", j.Name, err)
		}
		jobs = append(jobs, &job{Job: j, sched: sched})
	}
	return jobs, nil
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Scheduler) now() time.Time {
	if s.Clock == nil {
		return upgradebot.SystemClock{}.Now()
	}
	return s.Clock.Now()
}

// Run validates the jobs, catches up on runs missed while the bot was down,
// then runs every job on its schedule until ctx is done, and returns once
// the runs in progress have finished. It returns an error only for a bad
// configuration: a failing job is logged and the others go on.
func (s *Scheduler) Run(ctx context.Context) error {
	jobs, err := s.compile()
	if err != nil {
		return err
	}
	log := s.logger()
	c := cron.New(
		cron.WithLocation(s.Location),
		cron.WithLogger(cronLogger{log}),
		cron.WithChain(cron.Recover(cronLogger{log})),
	)
	for _, j := range jobs {
		if ctx.Err() != nil {
			return nil
		}
		now := s.now()
		s.catchUp(ctx, j, now)
		// Start the entry where catch-up stopped looking, so that a run
		// due while catch-up was busy is not lost between the two.
		e := &entry{s: s, ctx: ctx, job: j, from: now}
		c.Schedule(e, e)
	}
	log.Info("scheduler started", "jobs", len(jobs), "zone", s.Location.String())
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	log.Info("scheduler stopped")
	return nil
}

// RunJob runs the job named name for the run scheduled at at, now: it builds
// the job's messages and records the run with them. It returns false, with
// no error, if that run was already recorded (by this process or another);
// ENOTFOUND if there is no such job; the job's error if it failed.
func (s *Scheduler) RunJob(ctx context.Context, name string, at time.Time) (bool, error) {
	jobs, err := s.compile()
	if err != nil {
		return false, err
	}
	for _, j := range jobs {
		if j.Name == name {
			return s.runOne(ctx, j, at)
		}
	}
	names := make([]string, len(jobs))
	for i, j := range jobs {
		names[i] = j.Name
	}
	return false, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no job named %q; the jobs are %q.", name, names)
}

// RunDue runs, in time order, every job's runs scheduled in (from, to], each
// once. It drives the jobs from a clock other than cron's: the console's
// fast clock, which shows a simulated week in seconds. A failing run is
// logged and the rest still run.
func (s *Scheduler) RunDue(ctx context.Context, from, to time.Time) error {
	jobs, err := s.compile()
	if err != nil {
		return err
	}
	type due struct {
		j  *job
		at time.Time
	}
	var runs []due
	for _, j := range jobs {
		ats, _ := j.sched.Between(from, to, 0)
		for _, at := range ats {
			runs = append(runs, due{j, at})
		}
	}
	slices.SortStableFunc(runs, func(a, b due) int { return a.at.Compare(b.at) })
	for _, r := range runs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := s.runOne(ctx, r.j, r.at); err != nil {
			s.logger().Error("job failed", "job", r.j.Name, "err", err)
		}
	}
	return nil
}

// runOne runs j for at and records the run with its messages.
func (s *Scheduler) runOne(ctx context.Context, j *job, at time.Time) (bool, error) {
	log := s.logger().With("job", j.Name, "at", at.In(j.sched.Location()))
	msgs, err := s.call(ctx, log, j, at)
	if err != nil {
		return false, fmt.Errorf("scheduler: job %s at %s: %w", j.Name, at.Format(time.RFC3339), err)
	}
	ok, err := s.Desk.RecordRun(ctx, upgradebot.JobRun{Job: j.Name, At: at, Status: upgradebot.RunDone}, msgs)
	if err != nil {
		return false, fmt.Errorf("scheduler: job %s at %s: %w", j.Name, at.Format(time.RFC3339), err)
	}
	if !ok {
		log.Debug("job run already recorded, dropped", "messages", len(msgs))
		return false, nil
	}
	log.Info("job ran", "messages", len(msgs))
	return true, nil
}

// call runs j.Run, turning a panic into an error (with the stack logged) so
// that one broken job never stops the others, in catch-up as under cron.
func (s *Scheduler) call(ctx context.Context, log *slog.Logger, j *job, at time.Time) (msgs []upgradebot.Message, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("job panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			msgs, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return j.Run(ctx, at)
}

// catchUp looks at j's runs missed between its last recorded run and now:
// the latest runs, once, if it is within the catch-up window; the others are
// recorded as skipped. A job that never ran starts from now.
func (s *Scheduler) catchUp(ctx context.Context, j *job, now time.Time) {
	log := s.logger().With("job", j.Name)
	last, err := s.Desk.LastRun(ctx, j.Name)
	if upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND {
		log.Debug("job has never run; no catch-up", "next", j.sched.Next(now))
		return
	} else if err != nil {
		log.Error("catch-up: cannot read the last run", "err", err)
		return
	}
	from := last.At
	if floor := now.Add(-MaxLookBack); from.Before(floor) {
		from = floor
	}
	missed, total := j.sched.Between(from, now, maxSkippedRows+1)
	if total == 0 {
		return
	}
	window := CatchUp
	latest := missed[len(missed)-1]
	late := now.Sub(latest)
	catchUp := late <= window
	skip := missed
	var note string
	if catchUp {
		skip = missed[:len(missed)-1]
		note = "missed while the bot was down; the later run at " + j.format(latest) + " was caught up instead"
	} else {
		if len(skip) > maxSkippedRows {
			skip = skip[1:]
		}
		note = fmt.Sprintf("missed while the bot was down; at start (%s) it was more than %s late", j.format(now), window)
	}
	recorded := 0
	for _, at := range skip {
		ok, err := s.Desk.RecordRun(ctx, upgradebot.JobRun{Job: j.Name, At: at, Status: upgradebot.RunSkipped, Note: note}, nil)
		if err != nil {
			log.Error("catch-up: cannot record a skipped run", "at", at, "err", err)
			break
		}
		if ok {
			recorded++
		}
	}
	ran := false
	if catchUp {
		ok, err := s.runOne(ctx, j, latest)
		if err != nil {
			log.Error("catch-up run failed", "err", err)
		}
		ran = ok
	}
	level := slog.LevelInfo
	if total > 1 || !catchUp {
		level = slog.LevelWarn
	}
	attrs := []any{"missed", total, "skipped", total - boolInt(catchUp), "skipped_recorded", recorded,
		"last_run", j.format(last.At), "window", window.String()}
	if catchUp {
		attrs = append(attrs, "caught_up", j.format(latest), "late", late.String(), "ran", ran)
	}
	if last.At.Before(from) {
		attrs = append(attrs, "looked_back_since", j.format(from))
	}
	log.Log(ctx, level, "catch-up: runs missed while the bot was down", attrs...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// format writes t in j's zone, as people there read it.
func (j *job) format(t time.Time) string {
	return t.In(j.sched.Location()).Format("Mon 2006-01-02 15:04 MST")
}

// entry is one job under cron's loop: the schedule cron asks for the next
// time, and the job it runs then.
//
// cron calls Next once at start and once after each run, and never tells a
// job which time it was run for; entry keeps the times it handed out, in
// order, and each run takes the oldest, so that a run knows its scheduled
// instant exactly, whatever the delay before its goroutine starts.
type entry struct {
	s   *Scheduler
	ctx context.Context
	job *job

	mu    sync.Mutex
	from  time.Time   // the first Next starts here, if earlier than cron's now
	queue []time.Time // instants handed to cron and not yet run
}

// Next implements cron.Schedule.
func (e *entry) Next(t time.Time) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.from.IsZero() && e.from.Before(t) {
		t = e.from
	}
	e.from = time.Time{}
	at := e.job.sched.Next(t)
	if !at.IsZero() {
		e.queue = append(e.queue, at)
	}
	return at
}

// Run implements cron.Job.
func (e *entry) Run() {
	e.mu.Lock()
	if len(e.queue) == 0 {
		e.mu.Unlock()
		e.s.logger().Error("scheduler: cron ran a job with no scheduled time", "job", e.job.Name)
		return
	}
	at := e.queue[0]
	e.queue = e.queue[1:]
	e.mu.Unlock()
	if e.ctx.Err() != nil {
		return // shutting down; catch-up will see it at the next start
	}
	_, err := e.s.runOne(e.ctx, e.job, at)
	switch {
	case err != nil && e.ctx.Err() != nil:
		e.s.logger().Info("job run cut short by shutdown, not recorded; catch-up will see it at the next start",
			"job", e.job.Name, "at", at.In(e.job.sched.Location()), "err", err)
	case err != nil:
		e.s.logger().Error("job failed", "job", e.job.Name, "at", at.In(e.job.sched.Location()), "err", err)
	}
}

// cronLogger sends robfig/cron's logging to slog: its routine chatter at
// debug, its errors (a recovered panic) at error.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, keysAndValues ...any) {
	c.l.Debug("cron: "+msg, keysAndValues...)
}

func (c cronLogger) Error(err error, msg string, keysAndValues ...any) {
	c.l.Error("cron: "+msg, append([]any{"err", err}, keysAndValues...)...)
}
