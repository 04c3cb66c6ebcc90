package scheduler_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

// TestDigestWeeklyChart: the week's first digest run done on a working day
// queues the digest and the weekly chart, in the run's transaction; later
// runs that week, and the same run again, queue no chart. A holiday Monday
// moves the chart to Tuesday, a missed or failed Monday run to the next
// run, and a quiet digest still sends it.
func TestDigestWeeklyChart(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	overdue := d.task("Regression-test the lab interfaces", alice, "2026-11-20")
	d.holidays("2026-12-07")
	const job = scheduler.JobDigest

	msgs := d.want(job, "2026-11-30 08:00", "post "+channel, "post "+channel) // Monday
	if len(msgs) == 2 {
		if msgs[0].Attach != "" || msgs[1].Attach != upgradebot.AttachChart {
			t.Errorf("attachments %q, %q; want the digest plain, then the chart", msgs[0].Attach, msgs[1].Attach)
		}
		if want := "Weekly chart: open work and releases behind, last 12 weeks"; msgs[1].Text != want {
			t.Errorf("chart post %q, want %q", msgs[1].Text, want)
		}
		if !msgs[1].CreatedAt.Equal(d.at("2026-11-30 08:00")) {
			t.Errorf("chart post created at %v, want the run's time: the weeks it shows end then", msgs[1].CreatedAt)
		}
	}
	if ok, err := d.s.RunJob(ctx, job, d.at("2026-11-30 08:00")); ok || err != nil {
		t.Errorf("Monday's run again = %v, %v; want false, nil", ok, err)
	}
	d.want(job, "2026-11-30 08:00")                  // nothing new
	d.want(job, "2026-11-30 14:00", "post "+channel) // a second run that day: the digest only
	d.want(job, "2026-12-01 08:00", "post "+channel) // Tuesday: the digest only
	d.want(job, "2026-12-05 08:00")                  // Saturday: nothing

	d.want(job, "2026-12-07 08:00")                                   // a holiday Monday: nothing
	d.want(job, "2026-12-08 08:00", "post "+channel, "post "+channel) // the chart comes on Tuesday
	d.want(job, "2026-12-09 08:00", "post "+channel)

	// Monday's run missed and recorded as skipped: Tuesday's has the chart.
	if _, err := d.db.RecordRun(ctx, upgradebot.JobRun{Job: job, At: d.at("2026-12-14 08:00"), Status: upgradebot.RunSkipped}, nil); err != nil {
		t.Fatal(err)
	}
	d.want(job, "2026-12-15 08:00", "post "+channel, "post "+channel)
	d.want(job, "2026-12-16 08:00", "post "+channel)

	// A quiet digest (nothing to report, no all-clear) still sends the chart.
	d.clock.Set(d.at("2026-12-18 10:00"))
	if _, err := d.db.CancelTask(ctx, admin, overdue.ID, "not needed"); err != nil {
		t.Fatal(err)
	}
	d.newMessages()
	msgs = d.want(job, "2026-12-21 08:00", "post "+channel)
	if len(msgs) == 1 && msgs[0].Attach != upgradebot.AttachChart {
		t.Errorf("quiet Monday posted %q, want only the chart", msgs[0].Text)
	}
	d.want(job, "2026-12-22 08:00")

	// Monday's job fails (the database busy), so no run is recorded for it:
	// Tuesday's run, the next one posted, has the chart.
	busy := &busyDesk{DB: d.db}
	d.s.Jobs = scheduler.Jobs(busy, d.cfg)
	busy.fail = true
	d.clock.Set(d.at("2026-12-28 08:00"))
	if ok, err := d.s.RunJob(ctx, job, d.at("2026-12-28 08:00")); ok || !errors.Is(err, errBusy) {
		t.Errorf("Monday's failing run = %v, %v; want false, %v", ok, err, errBusy)
	}
	if got, _ := d.newMessages(); len(got) != 0 {
		t.Errorf("Monday's failing run queued %q", got)
	}
	busy.fail = false
	msgs = d.want(job, "2026-12-29 08:00", "post "+channel)
	if len(msgs) == 1 && msgs[0].Attach != upgradebot.AttachChart {
		t.Errorf("Tuesday after a failed Monday posted %q, want the chart", msgs[0].Text)
	}
	d.want(job, "2026-12-30 08:00")
}

// TestDigestWeeklyChartMidWeek: a desk installed mid-week sends the chart
// with its first digest, and not again that week.
func TestDigestWeeklyChartMidWeek(t *testing.T) {
	d := newTeam(t)
	d.task("Regression-test the lab interfaces", alice, "2026-11-20")
	const job = scheduler.JobDigest
	d.want(job, "2026-12-02 08:00", "post "+channel, "post "+channel) // Wednesday
	d.want(job, "2026-12-03 08:00", "post "+channel)
	d.want(job, "2026-12-07 08:00", "post "+channel, "post "+channel) // the next Monday
}

var errBusy = errors.New("database is locked (SQLITE_BUSY)")

// busyDesk is the team's desk whose digest data fails while fail is set,
// as a busy database would.
type busyDesk struct {
	*store.DB
	fail bool
}

func (b *busyDesk) DigestData(ctx context.Context, now time.Time, today upgradebot.Date, limit int) (upgradebot.DigestData, error) {
	if b.fail {
		return upgradebot.DigestData{}, errBusy
	}
	return b.DB.DigestData(ctx, now, today, limit)
}
