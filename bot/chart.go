package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/chart"
)

// ChartFile is the weekly chart drawn for a message, ready to upload.
type ChartFile struct {
	Name          string // upgradebot-chart-2026-11-30.png
	Title         string // shown above the image in Slack
	Alt           string // what the chart shows, for screen readers
	PNG           []byte
	Width, Height int
}

// WeeklyChart draws the chart a message with upgradebot.AttachChart
// carries: open work and releases behind per vendor over the
// upgradebot.TrendWeeks team weeks ending with the one under way at the
// message's CreatedAt, on the team's calendar, labelled by their Mondays
// and as of CreatedAt's day. Drawn from CreatedAt, not the time of
// delivery, a retry hours later shows the same weeks.
func WeeklyChart(ctx context.Context, desk upgradebot.Desk, m *upgradebot.Message) (*ChartFile, error) {
	s, err := desk.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly chart: %w", err)
	}
	today := upgradebot.Today(m.CreatedAt, s.Location())
	points, err := desk.WeeklyTrend(ctx, m.CreatedAt, s.Location(), upgradebot.TrendWeeks)
	if err != nil {
		return nil, fmt.Errorf("weekly chart: %w", err)
	}
	png, err := chart.Render(points, chart.Options{})
	if err != nil {
		return nil, fmt.Errorf("weekly chart: %w", err)
	}
	return &ChartFile{
		Name:  "upgradebot-chart-" + today.String() + ".png",
		Title: "Open work and releases behind, weeks by Monday, as of " + today.Human(),
		Alt:   chartAlt(points),
		PNG:   png,
		// chart.Options{} draws the default size.
		Width: chart.DefaultWidth, Height: chart.DefaultHeight,
	}, nil
}

// chartAlt describes both panels of the chart in words: the weeks and the
// day they are as of, and where open work and each vendor's releases
// behind started and ended.
func chartAlt(points []upgradebot.TrendPoint) string {
	if len(points) == 0 {
		return "An empty weekly chart of open work and releases behind."
	}
	first, last := points[0], points[len(points)-1]
	var b strings.Builder
	fmt.Fprintf(&b, "Weekly chart of the %d weeks by Monday from %s to %s, as of %s. ",
		len(points), first.Week.Human(), last.Week.Human(), last.Day.Human())
	fmt.Fprintf(&b, "Top panel, bars: open tasks at the end of each week, %d then, %d now", first.Open, last.Open)
	if last.Later > 0 {
		fmt.Fprintf(&b, " (not counting %s due more than %d days ahead or undated)",
			upgradebot.Plural(last.Later, "checklist task"), upgradebot.WorkloadWindowDays)
	}
	b.WriteString(". Bottom panel, a line per vendor, releases out but not live")
	if len(last.Vendors) == 0 {
		b.WriteString(", none yet.")
		return b.String()
	}
	for i, v := range last.Vendors {
		then := 0
		if i < len(first.Vendors) {
			then = first.Vendors[i].Behind
		}
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s %d then, %d now", sep, v.Vendor, then, v.Behind)
	}
	b.WriteString(".")
	return b.String()
}

// attachNote is how the console shows a message's attachment: the chart
// drawn as Slack would get it (not written anywhere), or why it was not.
func attachNote(ctx context.Context, desk upgradebot.Desk, m *upgradebot.Message) string {
	if m.Attach != upgradebot.AttachChart {
		return fmt.Sprintf("attachment %q", m.Attach)
	}
	f, err := WeeklyChart(ctx, desk, m)
	if err != nil {
		return "chart not drawn: " + err.Error()
	}
	return fmt.Sprintf("chart: %s, %d×%d PNG", f.Name, f.Width, f.Height)
}
