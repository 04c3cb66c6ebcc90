package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Config is what the team's jobs need to know. Zero policy fields (hours,
// lead times, nudge and escalation thresholds, all-clear, channel) take
// the values admins store with `/upgrade config`, read at each run, then
// the defaults below; the specs and the zone are fixed when Jobs is called.
type Config struct {
	Channel  string         // the team channel for digests and notices
	Location *time.Location // the team's zone

	DigestSpec string // cron spec of the channel digest (default weekdays 08:00)
	// DigestAllClear posts a one-line all-clear when there is nothing to
	// report; otherwise a quiet day posts nothing.
	DigestAllClear bool
	DigestCatchUp  time.Duration // default DefaultCatchUp

	// The team's working time (zero: upgradebot.DefaultWorkStart to
	// DefaultWorkEnd, Monday to Friday); its holidays are read from the
	// desk at each run.
	WorkStart, WorkEnd time.Duration
	WorkDays           []time.Weekday

	ReminderSpec    string        // vendor release reminders (default DefaultReminderSpec)
	ReminderLeads   []int         // days before GA and end of support (default upgradebot.DefaultReminderLeads)
	ReminderCatchUp time.Duration // default DefaultCatchUp

	NudgeSpec         string        // overdue nudges (default DefaultNudgeSpec)
	NudgeEvery        int           // working days between nudges (default upgradebot.DefaultNudgeEvery)
	NudgeChannelAfter int           // nudges before the channel is told (default upgradebot.DefaultNudgeChannelAfter)
	NudgeCatchUp      time.Duration // default DefaultCatchUp

	EscalationSpec    string        // decision escalation (default DefaultEscalationSpec)
	EscalateAfter     int           // working days (default upgradebot.DefaultEscalateAfter)
	EscalateThen      int           // working days (default upgradebot.DefaultEscalateThen)
	EscalationCatchUp time.Duration // default DefaultCatchUp

	CleanupSpec    string        // recurring clean-up occurrences (default DefaultCleanupSpec)
	CleanupCatchUp time.Duration // default DefaultCatchUp
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
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return []Job{
		{Name: JobDigest, Spec: or(cfg.DigestSpec, DefaultDigestSpec), CatchUp: cfg.DigestCatchUp, Run: OnWorkingDays(desk, cfg, digestJob(desk, cfg))},
		{Name: JobReminders, Spec: or(cfg.ReminderSpec, DefaultReminderSpec), CatchUp: cfg.ReminderCatchUp, Run: remindersJob(desk, cfg)},
		{Name: JobNudges, Spec: or(cfg.NudgeSpec, DefaultNudgeSpec), CatchUp: cfg.NudgeCatchUp, Run: nudgesJob(desk, cfg)},
		{Name: JobEscalation, Spec: or(cfg.EscalationSpec, DefaultEscalationSpec), CatchUp: cfg.EscalationCatchUp, Run: escalationJob(desk, cfg)},
		{Name: JobCleanups, Spec: or(cfg.CleanupSpec, DefaultCleanupSpec), CatchUp: cfg.CleanupCatchUp, Run: cleanupsJob(desk, cfg)},
	}
}

// digestJob posts the channel digest (see upgradebot.Digest) for the run
// scheduled at at. It is built as of at, so a run caught up late
// reports what was true when it should have run, as far as the data allows.
// The week's first digest also posts the weekly chart (withWeeklyChart).
func digestJob(desk upgradebot.Desk, cfg Config) func(context.Context, time.Time) ([]upgradebot.Message, error) {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		ch, err := channel(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: digest: %w", err)
		}
		if ch == "" {
			return nil, nil // nowhere to post; the run is still recorded
		}
		sc, err := stored(ctx, desk)
		if err != nil {
			return nil, fmt.Errorf("scheduler: digest: %w", err)
		}
		cal, err := Calendar(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: digest: %w", err)
		}
		m, ok, err := upgradebot.Digest(ctx, desk, at, sc.Workload,
			upgradebot.DigestOptions{Channel: ch, AllClear: cfg.DigestAllClear || sc.AllClear, Calendar: cal})
		if err != nil {
			return nil, fmt.Errorf("scheduler: digest: %w", err)
		}
		var msgs []upgradebot.Message
		if ok {
			msgs = append(msgs, m)
		}
		return withWeeklyChart(ctx, desk, cal, ch, at, msgs)
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
