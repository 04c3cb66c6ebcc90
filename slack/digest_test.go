package slack_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/internal/desktest"
	"github.com/upgradebot/upgradebot/internal/pgtest"
	slackapp "github.com/upgradebot/upgradebot/slack"
	"github.com/upgradebot/upgradebot/store"
)

// block is one rendered block, reduced to its kind and its text.
type block struct {
	kind string // header, section, context, divider
	text string
}

func blockList(t testing.TB, bs []slack.Block) []block {
	t.Helper()
	var out []block
	for _, b := range bs {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			out = append(out, block{"header", b.Text.Text})
		case *slack.SectionBlock:
			if b.Text.Type != slack.MarkdownType || !b.Text.Verbatim {
				t.Errorf("section text is %s verbatim=%v, want verbatim mrkdwn", b.Text.Type, b.Text.Verbatim)
			}
			out = append(out, block{"section", b.Text.Text})
		case *slack.DividerBlock:
			out = append(out, block{"divider", ""})
		case *slack.ContextBlock:
			if len(b.ContextElements.Elements) != 1 {
				t.Fatalf("context block with %d elements", len(b.ContextElements.Elements))
			}
			out = append(out, block{"context", b.ContextElements.Elements[0].(*slack.TextBlockObject).Text})
		default:
			t.Fatalf("unexpected block %T", b)
		}
	}
	return out
}

func TestSectionBlocks(t *testing.T) {
	m := &upgradebot.Message{Kind: upgradebot.MessagePost, To: teamCh, Text: "Upgrade digest · Thu 26 Nov 2026\n2 overdue.",
		Sections: []upgradebot.Section{
			{Title: "Overdue (4)", Lines: []string{"• #1 One", "• #2 Two"}, More: 2, Hint: "`/upgrade list overdue`"},
			{Title: "Decisions waiting (1)", Lines: []string{"• #1 Go?"}},
			{Lines: []string{"Open work: 4 tasks, the same as a week ago."}},
		}}
	got := blockList(t, slackapp.MessageBlocks(m))
	// Issue 15: a divider between sections.
	want := []block{
		{"header", "Upgrade digest · Thu 26 Nov 2026"},
		{"divider", ""},
		{"section", "*Overdue (4)*\n• #1 One\n• #2 Two"},
		{"context", "…and 2 more: `/upgrade list overdue`"},
		{"divider", ""},
		{"section", "*Decisions waiting (1)*\n• #1 Go?"},
		{"divider", ""},
		{"section", "Open work: 4 tasks, the same as a week ago."},
	}
	if !slices.Equal(got, want) {
		t.Errorf("blocks:\n%q\nwant\n%q", got, want)
	}
	if fb := slackapp.FallbackText(m.Text); fb != m.Text {
		t.Errorf("fallback %q, want the message's text", fb)
	}
}

// TestSectionBlocksCutsWholeLines fills a section past 3,000 characters:
// the lines that do not fit are left out whole and counted in "…and N
// more"; a long header is clipped to Slack's 150 characters.
func TestSectionBlocksCutsWholeLines(t *testing.T) {
	var lines []string
	for i := range 100 {
		lines = append(lines, fmt.Sprintf("• #%d %s 😀", i, strings.Repeat("y", 90+i%7)))
	}
	m := &upgradebot.Message{Kind: upgradebot.MessagePost, To: teamCh, Text: strings.Repeat("Header ", 40),
		Sections: []upgradebot.Section{{Title: "Overdue (140)", Lines: lines, More: 40, Hint: "`/upgrade list overdue`"}}}
	got := blockList(t, slackapp.MessageBlocks(m))
	if len(got) != 4 || got[0].kind != "header" || got[1].kind != "divider" {
		t.Fatalf("blocks %q", got)
	}
	got = got[1:] // issue 15: a divider between sections
	if got[1].kind != "section" || got[2].kind != "context" {
		t.Fatalf("blocks %q", got)
	}
	if n := len(utf16(blockList(t, slackapp.MessageBlocks(m))[0].text)); n > 150 {
		t.Errorf("header has %d characters", n)
	}
	shown := strings.Split(got[1].text, "\n")
	if n := len(utf16(got[1].text)); n > 3000 || n < 2800 {
		t.Errorf("section text has %d characters, want close to 3,000 and no more", n)
	}
	if shown[0] != "*Overdue (140)*" || !slices.Equal(shown[1:], lines[:len(shown)-1]) {
		t.Errorf("the section does not hold whole lines from the start:\n%s", got[1].text)
	}
	if want := fmt.Sprintf("…and %d more: `/upgrade list overdue`", 140-(len(shown)-1)); got[2].text != want {
		t.Errorf("context %q, want %q", got[2].text, want)
	}
	// The message itself is not changed by rendering.
	if m.Sections[0].More != 40 || len(m.Sections[0].Lines) != 100 {
		t.Errorf("rendering changed the message: %+v", m.Sections[0])
	}
}

func TestSectionBlocksLimit(t *testing.T) {
	var sections []upgradebot.Section
	for i := range 30 {
		sections = append(sections, upgradebot.Section{Title: fmt.Sprintf("List %d", i), Lines: []string{"• a"}, More: 1})
	}
	m := &upgradebot.Message{Kind: upgradebot.MessagePost, To: teamCh, Text: "Header", Sections: sections}
	got := blockList(t, slackapp.MessageBlocks(m))
	if len(got) != 50 {
		t.Fatalf("%d blocks, want Slack's 50", len(got))
	}
	// Header, 16 sections of three blocks (a divider, issue 15, the list,
	// its "…and N more"), and a line on the rest.
	if last := got[49]; last.kind != "context" || last.text != "…and 14 more sections." {
		t.Errorf("last block %q", last)
	}
	// One section too many.
	m.Sections = sections[:17]
	if got := blockList(t, slackapp.MessageBlocks(m)); len(got) != 50 || got[49].text != "…and 1 more section." {
		t.Errorf("%d blocks, last %q", len(got), got[len(got)-1])
	}
	// Exactly as many blocks as the limit: nothing is said to be missing.
	m.Sections = append(slices.Clone(sections[:15]), upgradebot.Section{Title: "Short", Lines: []string{"• b"}},
		upgradebot.Section{Lines: []string{"trend"}})
	got = blockList(t, slackapp.MessageBlocks(m))
	if len(got) != 50 || got[49] != (block{"section", "trend"}) {
		t.Errorf("%d blocks, last %q", len(got), got[len(got)-1])
	}
}

// TestDigestPosted checks the message an admin's digest now queues: a
// channel post with the digest's sections, which Slack gets as a header and
// sections and the console prints in full.
func TestDigestPosted(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	for _, line := range []string{"add Late thing due:2026-11-01 <@U0ALICE|alice>", "add Other late thing due:2026-11-20"} {
		if r := b.Handle(ctx, bot.Request{User: bob, Text: line}); r.Failed {
			t.Fatal(r.Text)
		}
	}
	outbox(t, db, clock)
	if r := b.Handle(ctx, bot.Request{User: admin, Text: "digest now"}); r.Failed {
		t.Fatalf("digest now: %+v", r)
	}
	msgs, err := db.PendingMessages(ctx, clock.Now(), 0)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("%d messages queued (%v), want the post alone (no App Home refresh: posting changes nothing on the desk)", len(msgs), err)
	}
	m := msgs[0]
	if m.Kind != upgradebot.MessagePost || m.To != teamCh || len(m.Sections) != 2 {
		t.Fatalf("queued %+v", m)
	}
	got := blockList(t, slackapp.MessageBlocks(m))
	// Issue 15: the summary first, dividers, plain names.
	want := []block{
		{"header", "Upgrade digest · Thu 26 Nov: 2 overdue"},
		{"divider", ""},
		{"section", "*Overdue (2)*\n• #1 Late thing · alice · 25 days overdue\n• #2 Other late thing · unassigned · 6 days overdue"},
		{"divider", ""},
		{"section", "Open work: 2 tasks."},
	}
	if !slices.Equal(got, want) {
		t.Errorf("blocks:\n%q\nwant\n%q", got, want)
	}

	var out bytes.Buffer
	c := &bot.Console{Bot: b, User: admin, Out: &out}
	if _, err := c.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	wantOut := "[#C0TEAM] *Upgrade digest · Thu 26 Nov: 2 overdue*\n  *Overdue (2)*\n  • #1 Late thing · alice · 25 days overdue\n" +
		"  • #2 Other late thing · unassigned · 6 days overdue\n  Open work: 2 tasks.\n"
	if out.String() != wantOut {
		t.Errorf("console:\n%s\nwant\n%s", out.String(), wantOut)
	}
}

func TestDigestWithoutChannel(t *testing.T) {
	ctx := context.Background()
	clock := upgradebot.NewFakeClock(start)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "upgradebot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := &bot.Bot{Desk: db, Clock: clock}
	// No admin yet: nobody may post, and the reply says how admins are named.
	r := b.Handle(ctx, bot.Request{User: alice, Text: "digest now"})
	if !r.Failed || !strings.Contains(r.Text, "none is set yet") || !strings.Contains(r.Text, "UPGRADEBOT_ADMINS") {
		t.Errorf("digest now without admins: %+v", r)
	}
	if err := db.Bootstrap(ctx, "", "America/Chicago", []string{admin}); err != nil {
		t.Fatal(err)
	}
	r = b.Handle(ctx, bot.Request{User: admin, Text: "digest now"})
	if !r.Failed || !strings.Contains(r.Text, "No team channel is set") || !strings.Contains(r.Text, "UPGRADEBOT_CHANNEL") {
		t.Errorf("digest now without a channel: %+v", r)
	}
	r = b.Handle(ctx, bot.Request{User: admin, Text: "digest"})
	if r.Failed || !strings.Contains(r.Text, "No team channel is set") || !strings.Contains(r.Text, "*All clear*") {
		t.Errorf("digest preview without a channel: %+v", r)
	}
	if msgs, _ := db.PendingMessages(ctx, clock.Now(), 0); len(msgs) != 0 {
		t.Errorf("%d messages queued, want none", len(msgs))
	}
}

// fillDigest loads a desk the size of years of work: tasks open tasks in
// bulk through Desk.CreateTasks, created in ten batches over the last 300
// days (long titles, due dates spread over a year either side of today, so
// about half are overdue: the worst case for the lists), 1,000 vendor
// releases a day apart around today, and, today, twelve pending decisions
// and twelve clean-ups behind.
func fillDigest(tb testing.TB, db *store.DB, clock *upgradebot.FakeClock, tasks int) {
	tb.Helper()
	ctx := context.Background()
	today := upgradebot.DateOf(start)
	people := []string{alice, bob, deleg, owner}
	chunk := (tasks + 9) / 10
	for i := 0; i < tasks; i += chunk {
		clock.Set(start.AddDate(0, 0, -300+30*i/chunk))
		var batch []*upgradebot.Task
		for j := i; j < min(i+chunk, tasks); j++ {
			batch = append(batch, &upgradebot.Task{
				Title:    fmt.Sprintf("Task %d: rebuild and regression-test the results interface for the lab, radiology & pharmacy (%d)", j, j%97),
				Assignee: people[j%len(people)],
				Due:      today.AddDays(j%730 - 365),
				Priority: upgradebot.Priorities[j%3],
			})
		}
		if err := db.CreateTasks(ctx, admin, batch); err != nil {
			tb.Fatal(err)
		}
	}
	clock.Set(start)
	for i := range 1000 {
		r := &upgradebot.Release{Vendor: "MedCore", Name: fmt.Sprintf("2026.%d", i), GA: today.AddDays(i - 500)}
		if i%2 == 0 {
			r.Support = r.GA.AddMonths(18)
		}
		if err := db.CreateRelease(ctx, admin, r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.SetOwner(ctx, admin, owner); err != nil {
		tb.Fatal(err)
	}
	every, _ := upgradebot.ParseInterval("2w")
	for i := range 12 {
		d := &upgradebot.Decision{Question: fmt.Sprintf("Decision %d: take the interface engine upgrade in the same downtime as the lab go-live?", i),
			Due: today.AddDays(i - 6)}
		if _, err := db.CreateDecision(ctx, bob, d); err != nil {
			tb.Fatal(err)
		}
		m := &upgradebot.Maintenance{Title: fmt.Sprintf("Clean-up %d: duplicate medical records", i), Every: every, Assignee: alice,
			Anchor: today.AddDays(-1 - i)}
		if _, err := db.CreateMaintenance(ctx, admin, m); err != nil {
			tb.Fatal(err)
		}
	}
}

var (
	titleCountRE = regexp.MustCompile(`^\*(.+) \((\d+)\)\*$`)
	moreRE       = regexp.MustCompile(`^…and (\d+) more`)
)

// checkDigestBlocks checks a digest rendered for Slack against the message
// it came from: at most 50 blocks, a header of at most 150 characters,
// every section text at most 3,000 characters and made of whole lines of
// the message in order, and for each list, lines shown plus "…and N more"
// equal to its total. It returns how many "…and N more" lines there are.
func checkDigestBlocks(t testing.TB, m *upgradebot.Message, bs []slack.Block) int {
	t.Helper()
	blocks := blockList(t, bs)
	if len(blocks) > 50 || len(blocks) < 2 || blocks[0].kind != "header" || len(utf16(blocks[0].text)) > 150 {
		t.Fatalf("%d blocks, first %q", len(blocks), blocks[0])
	}
	if fb := slackapp.FallbackText(m.Text); len(utf16(fb)) > 3000 {
		t.Errorf("fallback text has %d characters", len(utf16(fb)))
	}
	mores := 0
	for i := 1; i < len(blocks); i++ {
		b := blocks[i]
		if b.kind == "divider" { // issue 15: between sections
			continue
		}
		if b.kind != "section" {
			t.Fatalf("block %d is a %s, want a section: %q", i, b.kind, b.text)
		}
		if n := len(utf16(b.text)); n > 3000 {
			t.Errorf("section %d has %d characters", i, n)
		}
		lines := strings.Split(b.text, "\n")
		title := titleCountRE.FindStringSubmatch(lines[0])
		if title == nil { // the trend line
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "Open work: ") {
				t.Errorf("untitled section %q", b.text)
			}
			continue
		}
		var sec *upgradebot.Section
		for j := range m.Sections {
			if m.Sections[j].Title == title[1]+" ("+title[2]+")" {
				sec = &m.Sections[j]
			}
		}
		if sec == nil {
			t.Fatalf("no section %q in the message", lines[0])
		}
		if shown := lines[1:]; !slices.Equal(shown, sec.Lines[:len(shown)]) {
			t.Errorf("section %q is not whole lines of the message, in order", lines[0])
		}
		total, _ := strconv.Atoi(title[2])
		more := 0
		if i+1 < len(blocks) && blocks[i+1].kind == "context" {
			i++
			sub := moreRE.FindStringSubmatch(blocks[i].text)
			if sub == nil {
				t.Fatalf("context %q, want …and N more", blocks[i].text)
			}
			more, _ = strconv.Atoi(sub[1])
			mores++
		}
		if len(lines)-1+more != total {
			t.Errorf("section %q shows %d lines and %d more, want %d in all", lines[0], len(lines)-1, more, total)
		}
	}
	return mores
}

// TestDigestLimits builds the digest of a desk holding 100,000 tasks and
// 1,000 releases and checks it keeps to Slack's limits, both as posted (ten
// items a list) and with a hundred items a list, which cannot fit in a
// section and must be cut at whole lines. Under the race detector the desk
// holds 5,000 tasks: the limits do not depend on the count once every list
// overflows, and `go test ./bot -run TestDigestLimits` checks the full size.
func TestDigestLimits(t *testing.T) {
	t.Parallel()
	tasks := 100_000
	if raceDetector {
		tasks = 5_000
	}
	b, db, clock := newBot(t)
	fillDigest(t, db, clock, tasks)
	ctx := context.Background()
	now := clock.Now()
	today := upgradebot.Today(now, mustZone("America/Chicago"))
	for _, limit := range []int{upgradebot.DigestLimit, 100} {
		d, err := b.Desk.DigestData(ctx, now, today, limit)
		if err != nil {
			t.Fatal(err)
		}
		if d.OverdueTotal < tasks/3 || d.DueSoonTotal == 0 || d.ReleasesTotal != 91 || d.DecisionsTotal != 12 ||
			d.CleanupsTotal != 12 || d.OpenNow != tasks+12 || d.OpenWeekAgo != tasks {
			t.Errorf("limit %d: totals %d overdue, %d due soon, %d releases, %d decisions, %d clean-ups, %d open, %d a week ago",
				limit, d.OverdueTotal, d.DueSoonTotal, d.ReleasesTotal, d.DecisionsTotal, d.CleanupsTotal, d.OpenNow, d.OpenWeekAgo)
		}
		m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: teamCh})
		// Issue 15: the clean-ups behind are in the overdue list.
		if !ok || len(m.Sections) != 5 {
			t.Fatalf("limit %d: BuildDigest gave %d sections (%v)", limit, len(m.Sections), ok)
		}
		bs := slackapp.MessageBlocks(&m)
		mores := checkDigestBlocks(t, &m, bs)
		t.Logf("limit %d: %d blocks, %d lists with …and N more", limit, len(bs), mores)
		if mores < 3 {
			t.Errorf("limit %d: %d lists say …and N more, want at least overdue, due soon and releases", limit, mores)
		}
	}
}

// BenchmarkDigest reads, builds and renders the channel digest of a desk
// holding 100,000 open tasks and 1,000 vendor releases: what a scheduled
// digest or /upgrade digest costs, on a SQLite file and (with
// UPGRADEBOT_TEST_POSTGRES set) on PostgreSQL.
func BenchmarkDigest(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		bt, db, clock := newBot(b)
		fillDigest(b, db, clock, 100_000)
		benchDigest(b, bt, clock)
	})
	b.Run("postgres", func(b *testing.B) {
		clock := upgradebot.NewFakeClock(desktest.Start)
		dsn := pgtest.Schema(b)
		db := desktest.OpenDesk(b, dsn, clock)
		fillDigest(b, db, clock, 100_000)
		// What autovacuum does within a minute of a bulk load: planner
		// statistics and the visibility map for index-only scans.
		pgtest.Exec(b, dsn, `VACUUM ANALYZE`)
		benchDigest(b, &bot.Bot{Desk: db, Clock: clock}, clock)
	})
}

func benchDigest(b *testing.B, bt *bot.Bot, clock *upgradebot.FakeClock) {
	ctx := context.Background()
	loc := mustZone("America/Chicago")
	var blocks int
	for b.Loop() {
		now := clock.Now()
		d, err := bt.Desk.DigestData(ctx, now, upgradebot.Today(now, loc), upgradebot.DigestLimit)
		if err != nil {
			b.Fatal(err)
		}
		m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: teamCh})
		if !ok {
			b.Fatal("nothing to say")
		}
		blocks = len(slackapp.MessageBlocks(&m))
	}
	b.ReportMetric(float64(blocks), "blocks")
}
