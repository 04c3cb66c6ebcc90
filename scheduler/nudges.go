package scheduler

import (
	"context"
	"time"

	"github.com/upgradebot/upgradebot"
)

// nudgesJob nudges the assignees of overdue tasks and clean-ups, only when
// at is within working hours on a working day in the team's zone: one DM
// per person, then every nudge.every working days, and a line in the team
// channel once a task has had nudge.after nudges (the stored settings, or
// the defaults). The desk records each nudge with its messages, so a task
// is nudged at most once a day however often the job runs.
func nudgesJob(ctx context.Context, desk upgradebot.Desk, t team, at time.Time) ([]upgradebot.Message, error) {
	if !t.cal.WithinWorkingHours(at) {
		return nil, nil
	}
	p := upgradebot.NudgePolicy{Every: t.config.NudgeEvery, ChannelAfter: t.config.NudgeAfter}
	if _, err := desk.SendNudges(ctx, t.cal.Today(at), t.cal, p, t.channel); err != nil {
		return nil, err
	}
	return nil, nil // queued by the desk with the nudge records
}
