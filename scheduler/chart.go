package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// withWeeklyChart appends the weekly chart post to the digest run's
// messages (msgs, the digest itself or nothing on a quiet day) when the run
// at at is the team's first digest on a working day of its week: normally
// Monday's; when Monday is a holiday, the next working day's; when Monday's
// run was missed (the bot was down past the catch-up window), the next run's.
// It goes even when the digest stays quiet: twelve weeks of history are
// never "nothing to report", and once a week is no noise.
//
// Being in the run's messages, the chart is queued in the transaction that
// records the run, so a repeated or caught-up run never queues it twice; the
// earlier runs of the week are read from the recorded runs, so a second
// digest run on the same day (a custom schedule) does not send it again.
func withWeeklyChart(ctx context.Context, desk upgradebot.JobService, cal upgradebot.WorkingTime, channel string, at time.Time, msgs []upgradebot.Message) ([]upgradebot.Message, error) {
	first, err := firstDigestOfWeek(ctx, desk, cal, at)
	if err != nil {
		return nil, fmt.Errorf("scheduler: weekly chart: %w", err)
	}
	if first {
		msgs = append(msgs, upgradebot.WeeklyChartMessage(channel))
	}
	return msgs, nil
}

// firstDigestOfWeek reports whether the digest run at at is the week's
// first on a working day (weeks run Monday to Sunday in the team's zone):
// no digest run was done earlier this week on a working day, and either
// today is the week's first working day or an earlier working day's run
// was missed (recorded as skipped). A run recorded on a day that is not a
// working day (a holiday, with nothing sent) does not count; a desk
// installed mid-week waits for the next week.
func firstDigestOfWeek(ctx context.Context, desk upgradebot.JobService, cal upgradebot.WorkingTime, at time.Time) (bool, error) {
	today := cal.Today(at)
	if !cal.IsWorkingDay(today) {
		return false, nil
	}
	monday := today.AddDays(-(int(today.Weekday()) + 6) % 7)
	runs, err := desk.FindRuns(ctx, JobDigest, monday.Time(cal.Location), at)
	if err != nil {
		return false, err
	}
	missed := false
	for _, r := range runs {
		if !cal.IsWorkingDay(cal.Today(r.At)) {
			continue
		}
		if r.Status == upgradebot.RunDone {
			return false, nil
		}
		missed = true
	}
	if missed {
		return true, nil
	}
	for d := monday; d.Before(today); d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			return false, nil // today is not the week's first working day
		}
	}
	return true, nil
}
