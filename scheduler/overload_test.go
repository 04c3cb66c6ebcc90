package scheduler_test

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/scheduler"
)

// TestDigestNamesOverloadTwoWeeksRunning: with the team's threshold set to
// two open tasks, Alice's three are over it from the first digest, but the
// digest names her only from the second team week; a re-run of a digest
// posts nothing more and does not lengthen the streak; once she hands work
// over, the next digest no longer names her.
func TestDigestNamesOverloadTwoWeeksRunning(t *testing.T) {
	d := newTeam(t)
	ctx := t.Context()
	if err := d.db.SetSettings(ctx, admin, map[string]string{upgradebot.SettingWorkloadTasks: "2"}); err != nil {
		t.Fatal(err)
	}
	var tasks []*upgradebot.Task
	for _, title := range []string{"Rebuild the order sets", "Retest the lab interfaces", "Update the downtime procedures"} {
		tasks = append(tasks, d.task(title, alice, "2026-12-31"))
	}
	d.task("Train the super users", bob, "2026-11-20") // overdue: every digest has something to say

	// Issue 15: named without a ping (the desk knows no name: the id).
	const section = "*Over the workload threshold two weeks running (1)*\n• UALICE · 3 open tasks\n"
	// digest runs the digest at at and returns its post's text ("" for none).
	digest := func(at string) string {
		t.Helper()
		_, msgs := d.run(scheduler.JobDigest, at)
		var posts []string
		for _, m := range msgs {
			if m.Kind == upgradebot.MessagePost && strings.HasPrefix(m.Header(), "Upgrade digest") {
				posts = append(posts, m.FullText())
			}
		}
		if len(posts) > 1 {
			t.Errorf("digest at %s posted %d times", at, len(posts))
		}
		return strings.Join(posts, "\n")
	}

	// Week 1: over, but only for one week.
	for _, at := range []string{"2026-11-30 08:00", "2026-12-01 08:00", "2026-12-04 08:00"} {
		if post := digest(at); post == "" || strings.Contains(post, "workload threshold") {
			t.Errorf("digest at %s:\n%s\nwant a post that names nobody over the threshold", at, post)
		}
	}

	// Week 2: over two weeks running.
	post := digest("2026-12-07 08:00")
	if !strings.Contains(post, section+"`/upgrade workload` suggests who has room.") {
		t.Errorf("digest of the second week:\n%s\nwant it to contain\n%s", post, section)
	}
	// A re-run of the same digest posts nothing and changes no streak.
	if again := digest("2026-12-07 08:00"); again != "" {
		t.Errorf("a re-run posted:\n%s", again)
	}
	data, err := d.db.DigestData(ctx, d.at("2026-12-07 08:00"), upgradebot.DateOf(d.at("2026-12-07 00:00")), upgradebot.DigestLimit)
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Overloaded) != 1 || data.OverloadedTotal != 1 || data.Overloaded[0].Weeks != 2 || data.Overloaded[0].Open != 3 {
		t.Errorf("after a re-run, DigestData.Overloaded = %+v of %d, want Alice once, 2 weeks, 3 open", data.Overloaded, data.OverloadedTotal)
	}
	if post := digest("2026-12-08 08:00"); !strings.Contains(post, section) {
		t.Errorf("the next day's digest:\n%s\nwant it to name Alice once more", post)
	}

	// Alice hands a task to Bob: two each, nobody over.
	d.clock.Set(d.at("2026-12-08 10:00"))
	if _, err := d.db.AssignTask(ctx, admin, tasks[0].ID, bob); err != nil {
		t.Fatal(err)
	}
	d.newMessages()
	if post := digest("2026-12-09 08:00"); post == "" || strings.Contains(post, "workload threshold") {
		t.Errorf("after the handover:\n%s\nwant nobody named", post)
	}
}
