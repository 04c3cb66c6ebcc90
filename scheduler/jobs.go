package scheduler

import (
	"cmp"
	"context"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Config is what the team's jobs take from where the bot runs: the zone
// and the schedules, fixed when Jobs is called. Everything else they need
// (the channel, working hours and holidays, lead times, nudge and
// escalation thresholds, the all-clear) is what admins store with
// `/upgrade config`, read once at the start of each run, then the
// defaults.
type Config struct {
	Location *time.Location // the team's zone; nil: UTC

	// Each job's cron spec, in Location (empty: the job's default below).
	DigestSpec     string // the channel digest
	ReminderSpec   string // vendor release reminders
	NudgeSpec      string // overdue nudges
	EscalationSpec string // decision escalation
	CleanupSpec    string // recurring clean-up occurrences
}

// Default schedules.
const (
	DefaultDigestSpec = "0 8 * * 1-5" // weekdays 08:00
	// DefaultReminderSpec: weekdays 09:00; holidays send nothing and the
	// next working day's run sends what was due.
	DefaultReminderSpec = "0 9 * * 1-5"
	// DefaultNudgeSpec: hourly 09:00-16:00 on weekdays; a task is nudged
	// at most once a working day, and only within working hours.
	DefaultNudgeSpec = "0 9-16 * * 1-5"
	// DefaultEscalationSpec: weekdays 09:30, holidays included.
	DefaultEscalationSpec = "30 9 * * 1-5"
	// DefaultCleanupSpec: every day at 06:00, so an occurrence exists on
	// its day, weekends and holidays included.
	DefaultCleanupSpec = "0 6 * * *"
)

// Job names, as `upgradebot run-job NAME` takes them.
const (
	JobDigest     = "digest"
	JobReminders  = "release-reminders"
	JobNudges     = "nudges"
	JobEscalation = "escalation"
	JobCleanups   = "cleanups"
)

// Jobs returns the team's scheduled jobs, reading and writing through desk.
func Jobs(desk upgradebot.Desk, cfg Config) []Job {
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	job := func(name, spec, def string, w work) Job {
		return Job{Name: name, Spec: cmp.Or(spec, def), Run: withTeam(desk, loc, name, w)}
	}
	return []Job{
		job(JobDigest, cfg.DigestSpec, DefaultDigestSpec, digestJob),
		job(JobReminders, cfg.ReminderSpec, DefaultReminderSpec, remindersJob),
		job(JobNudges, cfg.NudgeSpec, DefaultNudgeSpec, nudgesJob),
		job(JobEscalation, cfg.EscalationSpec, DefaultEscalationSpec, escalationJob),
		job(JobCleanups, cfg.CleanupSpec, DefaultCleanupSpec, cleanupsJob),
	}
}

// digestJob posts the channel digest (see upgradebot.Digest) for the run
// scheduled at at, on working days only: on a weekend or a holiday it sends
// nothing, and the next working day's run reports what there is then. It is
// built as of at, so a run caught up late reports what was true when it
// should have run, as far as the data allows. The all-clear is the stored
// setting's. The week's first digest also posts the weekly chart
// (withWeeklyChart).
func digestJob(ctx context.Context, desk upgradebot.Desk, t team, at time.Time) ([]upgradebot.Message, error) {
	if !t.cal.IsWorkingDay(t.cal.Today(at)) || t.channel == "" {
		return nil, nil // nothing to send, or nowhere to post; the run is still recorded
	}
	m, ok, err := upgradebot.Digest(ctx, desk, at, t.config.Workload,
		upgradebot.DigestOptions{Channel: t.channel, AllClear: t.config.AllClear, Calendar: t.cal})
	if err != nil {
		return nil, err
	}
	var msgs []upgradebot.Message
	if ok {
		msgs = append(msgs, m)
	}
	return withWeeklyChart(ctx, desk, t.cal, t.channel, at, msgs)
}
