package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// TestDigestPreviewOverloaded: `/upgrade digest` records the week's
// workload snapshot as the scheduled digest does, so the preview names
// whoever is over the team's threshold two weeks running, and only then;
// `/upgrade digest now` posts the same section.
func TestDigestPreviewOverloaded(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	if err := db.SetSettings(ctx, admin, map[string]string{upgradebot.SettingWorkloadTasks: "2"}); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"add Rebuild the order sets @alice est:20h", "add Retest the lab interfaces @alice est:30h",
		"add Update the downtime procedures @alice due:2026-11-20"} {
		if r := b.Handle(ctx, bot.Request{User: admin, Text: strings.ReplaceAll(line, "@alice", "<@"+alice+"|alice>")}); r.Failed {
			t.Fatalf("%s: %s", line, r.Text)
		}
	}
	outbox(t, db, clock)
	// Issue 15: named without a ping; the summary counts "overloaded".
	const section = "*Over the workload threshold two weeks running (1)*\n" +
		"• alice · 3 open tasks (1 overdue) · 50h planned\n`/upgrade workload` suggests who has room."

	r := b.Handle(ctx, bot.Request{User: bob, Text: "digest"})
	if r.Failed || strings.Contains(r.Text, "workload threshold") {
		t.Errorf("the first week's preview:\n%s\nwant nobody named", r.Text)
	}
	clock.Advance(7 * 24 * time.Hour)
	for range 2 { // previewing again changes nothing
		r = b.Handle(ctx, bot.Request{User: bob, Text: "digest"})
		if r.Failed || !strings.Contains(r.Text, section) {
			t.Errorf("the second week's preview:\n%s\nwant\n%s", r.Text, section)
		}
	}
	if sent := outbox(t, db, clock); len(sent) != 0 {
		t.Errorf("previews queued %q", sent)
	}
	if r := b.Handle(ctx, bot.Request{User: admin, Text: "digest now"}); r.Failed {
		t.Fatal(r.Text)
	}
	msgs, err := db.PendingMessages(ctx, clock.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0].FullText(), section) ||
		!strings.HasSuffix(msgs[0].Text, "1 person overloaded") {
		t.Errorf("digest now queued %d messages, want the post with\n%s", len(msgs), section)
	}
}
