package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Config is what the team's jobs need to know. Zero fields take the
// defaults below.
type Config struct {
	Channel  string         // the team channel for digests and notices
	Location *time.Location // the team's zone

	DigestSpec string // cron spec of the channel digest (default weekdays 08:00)
	// DigestAllClear posts a one-line all-clear when there is nothing to
	// report; otherwise a quiet day posts nothing.
	DigestAllClear bool
	DigestCatchUp  time.Duration // default DefaultCatchUp
}

// Default schedules.
const (
	DefaultDigestSpec = "0 8 * * 1-5" // weekdays 08:00
)

// Job names, as `upgradebot run-job NAME` takes them.
const (
	JobDigest = "digest"
)

// Jobs returns the team's scheduled jobs, reading and writing through desk.
func Jobs(desk upgradebot.Desk, cfg Config) []Job {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return []Job{
		{Name: JobDigest, Spec: or(cfg.DigestSpec, DefaultDigestSpec), CatchUp: cfg.DigestCatchUp, Run: digestJob(desk, cfg)},
	}
}

// digestJob posts the channel digest for the run scheduled at at: what is
// overdue, due this week, the releases coming, decisions waiting, clean-ups
// behind and the trend. It is built as of at, so a run caught up late
// reports what was true when it should have run, as far as the data allows.
func digestJob(desk upgradebot.Desk, cfg Config) func(context.Context, time.Time) ([]upgradebot.Message, error) {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		channel := cfg.Channel
		if channel == "" {
			s, err := desk.Settings(ctx)
			if err != nil {
				return nil, fmt.Errorf("scheduler: digest: %w", err)
			}
			channel = s.Channel
		}
		if channel == "" {
			return nil, nil // nowhere to post; the run is still recorded
		}
		d, err := desk.DigestData(ctx, at, upgradebot.Today(at, cfg.Location), upgradebot.DigestLimit)
		if err != nil {
			return nil, fmt.Errorf("scheduler: digest: %w", err)
		}
		m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: channel, AllClear: cfg.DigestAllClear})
		if !ok {
			return nil, nil
		}
		return []upgradebot.Message{m}, nil
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
