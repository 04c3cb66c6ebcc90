package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// nudgesJob nudges the assignees of overdue tasks and clean-ups, only when
// at is within working hours on a working day in the team's zone: one DM
// per person, then every NudgeEvery working days, and a line in the team
// channel once a task has had NudgeChannelAfter nudges. The desk records
// each nudge with its messages, so a task is nudged at most once a day
// however often the job runs.
func nudgesJob(desk upgradebot.Desk, cfg Config) RunFunc {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		cal, err := Calendar(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: nudges: %w", err)
		}
		if !cal.WithinWorkingHours(at) {
			return nil, nil
		}
		ch, err := channel(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: nudges: %w", err)
		}
		sc, err := stored(ctx, desk)
		if err != nil {
			return nil, fmt.Errorf("scheduler: nudges: %w", err)
		}
		p := upgradebot.NudgePolicy{Every: cmp.Or(cfg.NudgeEvery, sc.NudgeEvery), ChannelAfter: cmp.Or(cfg.NudgeChannelAfter, sc.NudgeAfter)}
		if _, err := desk.SendNudges(ctx, cal.Today(at), cal, p, ch); err != nil {
			return nil, fmt.Errorf("scheduler: nudges: %w", err)
		}
		return nil, nil // queued by the desk with the nudge records
	}
}
