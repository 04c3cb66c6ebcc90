package main

import (
	"context"
	"io"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/chart"
)

// writeChart writes the weekly chart as a PNG to -o (default chart.png;
// "-" for stdout): open work and releases behind per vendor over the last
// upgradebot.TrendWeeks team weeks in the team's zone, the last the week
// under way as of now.
func (m *Main) writeChart(ctx context.Context) error {
	now := m.Clock.Now()
	points, err := m.DB.WeeklyTrend(ctx, now, m.Location, upgradebot.TrendWeeks)
	if err != nil {
		return err
	}
	png, err := chart.Render(points, chart.Options{})
	if err != nil {
		return err
	}
	return m.writeOut(func(w io.Writer) error { _, err := w.Write(png); return err })
}
