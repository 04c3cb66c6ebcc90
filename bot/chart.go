package bot

import (
	"context"
	"fmt"

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
// carries: open work and releases behind over the upgradebot.TrendWeeks
// weeks ending at the message's CreatedAt, on the team's calendar. Drawn
// from CreatedAt, not the time of delivery, a retry hours later shows the
// same weeks.
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
		Title: fmt.Sprintf("Open work and releases behind, %d weeks to %s", len(points), today.Human()),
		Alt:   chartAlt(points, today),
		PNG:   png,
		// chart.Options{} draws the default size.
		Width: chart.DefaultWidth, Height: chart.DefaultHeight,
	}, nil
}

// chartAlt describes the chart in words: the weeks, and where both series
// started and ended.
func chartAlt(points []upgradebot.TrendPoint, today upgradebot.Date) string {
	if len(points) == 0 {
		return "An empty weekly chart of open work and releases behind."
	}
	first, last := points[0], points[len(points)-1]
	return fmt.Sprintf("Weekly chart of the %d weeks to %s. Bars: open tasks at the end of each week, %d then, %d now. "+
		"Line: vendor releases out but not live, %d then, %d now.",
		len(points), today.Human(), first.Open, last.Open, first.Behind, last.Behind)
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
