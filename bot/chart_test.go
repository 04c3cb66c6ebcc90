package bot_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/internal/desktest"
)

// TestWeeklyChart: the chart a message carries is drawn for the team weeks
// to its CreatedAt, labelled by their Mondays, as of its day; drawn on
// Thursday or on Saturday of one week it shows the same weeks. Its title
// and alt text say so, and the alt text describes both panels: open work
// (checklist work due later apart) and each vendor's releases behind.
func TestWeeklyChart(t *testing.T) {
	_, db, clock := desktest.NewBot(t)
	ctx := t.Context()
	day := func(s string) upgradebot.Date { d, _ := upgradebot.ParseDate(s); return d }
	clock.Set(desktest.Start.AddDate(0, 0, -60))
	for _, r := range []*upgradebot.Release{
		{Vendor: "Verisante", Name: "2026.3", GA: day("2026-10-01")},
		{Vendor: "Verisante", Name: "2026.4", GA: day("2026-11-10")},
		{Vendor: "Ledgerly ERP", Name: "26B", GA: day("2026-11-02")},
		{Vendor: "Ledgerly ERP", Name: "27A", GA: day("2027-05-01")},
	} {
		if err := db.CreateRelease(ctx, desktest.Admin, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, tk := range []*upgradebot.Task{
		{Title: "Read the release notes"},
		{Title: "Build the test plan", Due: day("2026-11-30")},
		{Title: "Train the ERP super-users", Release: "ledgerly-erp-27a", Phase: upgradebot.PhaseTrain}, // undated: later
		{Title: "Configure the 26B patch", Release: "ledgerly-erp-26b", Phase: upgradebot.PhaseBuild, Due: day("2026-12-01")},
	} {
		if err := db.CreateTask(ctx, desktest.Alice, tk); err != nil {
			t.Fatal(err)
		}
	}

	var alts []string
	for _, tc := range []struct {
		at   time.Time
		asOf string
	}{
		{desktest.Start, "Thu 26 Nov 2026"},                  // Thursday 09:00
		{desktest.Start.AddDate(0, 0, 2), "Sat 28 Nov 2026"}, // Saturday
	} {
		f, err := bot.WeeklyChart(ctx, db, &upgradebot.Message{Kind: upgradebot.MessagePost, To: desktest.TeamCh,
			Attach: upgradebot.AttachChart, CreatedAt: tc.at})
		if err != nil {
			t.Fatal(err)
		}
		if want := "Open work and releases behind, weeks by Monday, as of " + tc.asOf; f.Title != want {
			t.Errorf("title %q, want %q", f.Title, want)
		}
		wantAlt := "Weekly chart of the 12 weeks by Monday from Mon 7 Sep 2026 to Mon 23 Nov 2026, as of " + tc.asOf + ". " +
			"Top panel, bars: open tasks at the end of each week, 0 then, 3 now " +
			"(not counting 1 checklist task due more than 14 days ahead or undated). " +
			"Bottom panel, a line per vendor, releases out but not live: Ledgerly ERP 0 then, 1 now, Verisante 0 then, 2 now."
		if f.Alt != wantAlt {
			t.Errorf("alt text\n%q, want\n%q", f.Alt, wantAlt)
		}
		alts = append(alts, strings.Replace(f.Alt, tc.asOf, "", 1))
		img, err := png.Decode(bytes.NewReader(f.PNG))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != f.Width || b.Dy() != f.Height {
			t.Errorf("image %v, file says %d×%d", b, f.Width, f.Height)
		}
	}
	if alts[0] != alts[1] {
		t.Errorf("Thursday's and Saturday's charts differ but for the day:\n%s\n%s", alts[0], alts[1])
	}
}
