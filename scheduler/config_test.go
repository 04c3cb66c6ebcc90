package scheduler_test

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/scheduler"
)

// TestStoredConfigNextRun: values an admin stores with `/upgrade config`
// (here through the store's one setter) are read by the very next run of
// the already-built jobs, without a restart.
func TestStoredConfigNextRun(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	set := func(key, value string) {
		t.Helper()
		if err := d.db.SetSettings(ctx, admin, map[string]string{key: value}); err != nil {
			t.Fatal(err)
		}
	}

	// Lead times: GA in 46 days gets no reminder on the defaults (30,14,7,1)...
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: upgradebot.DateOf(d.at("2027-01-15 00:00"))}
	if err := d.db.CreateRelease(ctx, admin, r); err != nil {
		t.Fatal(err)
	}
	d.want(scheduler.JobReminders, "2026-11-30 09:00")
	// ...and one at the next run once 60 is a lead time.
	set(upgradebot.SettingLeads, "60,10")
	msgs := d.want(scheduler.JobReminders, "2026-12-01 09:00", "post "+channel)
	if len(msgs) == 1 && !strings.Contains(msgs[0].Text, "GA in 45 days") {
		t.Errorf("post:\n%s", msgs[0].Text)
	}

	// Working hours: 09:00 is within the default 08:00-17:00; moved to
	// 10:00-16:00 it is not, and nothing is sent until 10:00.
	d.task("Review order sets", alice, "2026-11-27")
	set(upgradebot.SettingHours, "10:00-16:00")
	d.want(scheduler.JobNudges, "2026-12-01 09:00")
	d.want(scheduler.JobNudges, "2026-12-01 10:00", "dm "+alice)

	// Nudge threshold: every working day instead of every 2, and the
	// channel told after the first nudge instead of the third.
	d.want(scheduler.JobNudges, "2026-12-02 10:00") // default: every 2 working days
	set(upgradebot.SettingNudgeEvery, "1")
	set(upgradebot.SettingNudgeAfter, "1")
	d.want(scheduler.JobNudges, "2026-12-02 11:00", "dm "+alice, "post "+channel)

	// Channel: the next run posts in the new one.
	set(upgradebot.SettingChannel, "C0NEWCHAN")
	r2 := &upgradebot.Release{Vendor: "LabSys", Name: "9", GA: upgradebot.DateOf(d.at("2026-12-06 00:00"))}
	if err := d.db.CreateRelease(ctx, admin, r2); err != nil {
		t.Fatal(err)
	}
	d.want(scheduler.JobReminders, "2026-12-03 09:00", "post C0NEWCHAN")
}

// TestStoredEscalationThreshold: the escalation job reads its thresholds
// at each run.
func TestStoredEscalationThreshold(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	d.clock.Set(d.at("2026-11-30 10:00"))
	if _, err := d.db.CreateDecision(ctx, alice, &upgradebot.Decision{Question: "Take MedCore 2027.1 in March?"}); err != nil {
		t.Fatal(err)
	}
	d.newMessages()
	d.want(scheduler.JobEscalation, "2026-12-01 09:30") // default: 2 working days
	if err := d.db.SetSettings(ctx, admin, map[string]string{upgradebot.SettingEscalateRemind: "1"}); err != nil {
		t.Fatal(err)
	}
	d.want(scheduler.JobEscalation, "2026-12-01 10:30", "dm "+owner)
}

// TestScheduledJobsAgree: the root package's list of jobs (which bot uses
// for `/upgrade config`) names the scheduler's jobs with their defaults.
func TestScheduledJobsAgree(t *testing.T) {
	d := newTeam(t)
	jobs := scheduler.Jobs(d.db, scheduler.Config{})
	if len(jobs) != len(upgradebot.ScheduledJobs) {
		t.Fatalf("%d jobs, %d in upgradebot.ScheduledJobs", len(jobs), len(upgradebot.ScheduledJobs))
	}
	for i, j := range jobs {
		if w := upgradebot.ScheduledJobs[i]; j.Name != w.Name || j.Spec != w.DefaultSpec {
			t.Errorf("job %d is %s %q, upgradebot.ScheduledJobs has %s %q", i, j.Name, j.Spec, w.Name, w.DefaultSpec)
		}
	}
}
