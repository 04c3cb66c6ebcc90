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
// run failed or was missed (the bot was down past the catch-up window), the
// next digest posted that week (see firstDigestOfWeek).
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
// first done on a working day (weeks run Monday to Sunday in the team's
// zone): at is on a working day, and no digest run earlier this week
// (before at) was done on a working day. Runs that were skipped, or done
// on a day that is not a working day (a holiday, with nothing sent), do
// not count, and a run whose job failed is never recorded at all. So a
// holiday Monday moves the chart to Tuesday; a failed or missed Monday
// moves it to the next digest that is posted; and a desk installed
// mid-week sends the chart with its first digest.
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
	for _, r := range runs {
		if r.Status == upgradebot.RunDone && cal.IsWorkingDay(cal.Today(r.At)) {
			return false, nil
		}
	}
	return true, nil
}
