package slack_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/scheduler"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

var mentionRE = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)

// postsOf runs the scheduler's job name at at on b's desk and returns the
// channel posts it queued.
func postsOf(t *testing.T, b *bot.Bot, name string, at time.Time) []*upgradebot.Message {
	t.Helper()
	ctx := context.Background()
	loc := mustZone("America/Chicago")
	s := &scheduler.Scheduler{Desk: b.Desk, Clock: b.Clock, Location: loc, Jobs: scheduler.Jobs(b.Desk, scheduler.Config{Location: loc})}
	if ran, err := s.RunJob(ctx, name, at); err != nil || !ran {
		t.Fatalf("%s at %s: ran %v, %v", name, at, ran, err)
	}
	msgs, err := b.Desk.PendingMessages(ctx, at.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	var posts []*upgradebot.Message
	for _, m := range msgs {
		if m.Kind == upgradebot.MessagePost {
			posts = append(posts, m)
		}
		if err := b.Desk.MarkSent(ctx, m.ID, "C0TEAM", "1.0"); err != nil {
			t.Fatal(err)
		}
	}
	return posts
}

// TestScheduledDigestForAPhone is issue 15's acceptance test for the
// digest: the scheduled digest's first block is the one-line summary, and
// its blocks mention (ping) nobody but whoever a late decision waits on:
// the one person asked to act. The "still overdue after 3 reminders" post
// pings nobody either.
func TestScheduledDigestForAPhone(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	for _, step := range []bot.Request{
		{User: admin, Text: "owner <@U0OWNER|olga>"},
		{User: admin, Text: "add Regression-test the lab result interfaces <@U0ALICE|alice> due:2026-11-20 prio:high"},
		{User: admin, Text: "add Update the downtime procedures <@U0BOB|bob> due:2026-11-24"},
		{User: admin, Text: "add Build the go-live checklist <@U0DELEG|dev> due:2026-12-01"},
		{User: admin, Text: "maint add Duplicate medical record clean-up every:2w <@U0ALICE|alice> first:2026-11-13"},
		{User: alice, Text: "decide Skip medcore-2026q3 and go straight to medcore-2026q4, consolidating both upgrades into one go-live? due:2026-11-25"},
		{User: bob, Text: "decide Freeze order-set changes during go-live week?"},
		{User: admin, Text: "release add MedCore 2027.1 ga:2027-01-20"},
	} {
		if r := b.Handle(ctx, step); r.Failed {
			t.Fatalf("%s: %s", step.Text, r.Text)
		}
	}
	outbox(t, db, clock)
	// The clean-up's second occurrence (27 Nov) comes with the morning job.
	early := time.Date(2026, 11, 30, 6, 0, 0, 0, mustZone("America/Chicago"))
	clock.Set(early)
	postsOf(t, b, "cleanups", early)
	at := early.Add(2 * time.Hour) // Monday's digest
	clock.Set(at)
	posts := postsOf(t, b, "digest", at)
	if len(posts) != 2 { // the digest and, on Monday, the weekly chart
		t.Fatalf("%d posts, want the digest and the chart", len(posts))
	}
	digest := posts[0]
	raw, err := json.Marshal(slackapp.MessageBlocks(digest))
	if err != nil {
		t.Fatal(err)
	}
	var bs []map[string]any
	if err := json.Unmarshal(raw, &bs); err != nil {
		t.Fatal(err)
	}
	summary := "Upgrade digest · Mon 30 Nov: 4 overdue · 1 due within 7 days · 1 vendor release coming · 2 decisions waiting"
	if first := bs[0]; first["type"] != "header" || first["text"].(map[string]any)["text"] != summary {
		t.Errorf("first block %v, want the summary %q", first, summary)
	}
	pinged := map[string]int{}
	for _, s := range payloadTexts(t, bs) {
		for _, m := range mentionRE.FindAllStringSubmatch(s, -1) {
			pinged[m[1]]++
		}
	}
	// The owner, on whom the late decision waits, is the one mention.
	if len(pinged) != 1 || pinged[owner] != 1 {
		t.Errorf("the digest pings %v, want only the owner once (the late decision):\n%s", pinged, digest.FullText())
	}
	text := digest.FullText()
	for _, w := range []string{
		"*Overdue (4)*", // as `list overdue` counts: two tasks and the clean-up's two occurrences
		"• #4 Duplicate medical record clean-up · alice · 17 days overdue (2 occurrences behind) · clean-up every 2 weeks",
		"• #1 Regression-test the lab result interfaces · alice · 10 days overdue · high",
		"· waiting on <@U0OWNER> for 3 days · needed by Wed 25 Nov (*late*)",
		"· asked by bob · waiting on olga for",
		"consolidating both…", // clipped at a whole word
	} {
		if !strings.Contains(text, w) {
			t.Errorf("digest lacks %q:\n%s", w, text)
		}
	}
	for _, b := range bs {
		if b["type"] == "section" {
			for line := range strings.SplitSeq(payloadTexts(t, b)[0], "\n") {
				if strings.HasPrefix(line, "• ") && strings.Count(text, line) == 0 {
					t.Errorf("a block line is not the message's: %q", line)
				}
			}
		}
	}
	if r := b.Handle(ctx, bot.Request{User: bob, Text: "list overdue"}); !strings.Contains(r.Text, "*Overdue tasks* (4)") {
		t.Errorf("list overdue disagrees with the digest:\n%s", r.Text)
	}

	// Nudges every two working days; after three, the team channel hears
	// of the task, by its owner's name.
	var still []*upgradebot.Message
	for _, day := range []string{"2026-11-30", "2026-12-02", "2026-12-04", "2026-12-08"} {
		d, _ := upgradebot.ParseDate(day)
		at := d.Time(mustZone("America/Chicago")).Add(9 * time.Hour)
		clock.Set(at)
		still = append(still, postsOf(t, b, "nudges", at)...)
	}
	if len(still) == 0 {
		t.Fatal("no 'still overdue' post")
	}
	for _, p := range still {
		if !strings.Contains(p.Text, "Still overdue after 3 reminders") || mentionRE.MatchString(p.Text) ||
			!strings.Contains(p.Text, "· alice ·") {
			t.Errorf("still overdue post:\n%s", p.Text)
		}
	}
}
