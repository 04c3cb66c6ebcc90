package main

import (
	"context"
	"io"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/chart"
)

// writeChart writes the weekly chart as a PNG to -o (default chart.png;
// "-" for stdout): open work and releases behind at the end of each of the
// last upgradebot.TrendWeeks weeks, the last ending now.
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
