package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/upgradebot/upgradebot/chart"
)

// TestChart builds twelve weeks of history on a real database through the
// commands, writes `upgradebot chart`, decodes the PNG and checks its size,
// that it is drawn on, and that the bars follow open work.
func TestChart(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "chart.db"), "UPGRADEBOT_TZ": "America/Chicago"}
	run := func(args ...string) {
		t.Helper()
		if code, out, stderr := runMain(t, env, "", args...); code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	// The weeks end on Mondays from 14 September to 30 November 2026 at
	// 09:00; work is added an hour before a week ends.
	weekEnd := []string{"2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19",
		"2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"}
	for _, w := range []int{2, 5, 8, 11} {
		run("exec", "-clock", weekEnd[w]+"T08:00", `add "Task A of week `+weekEnd[w]+`"`)
		run("exec", "-clock", weekEnd[w]+"T08:00", `add "Task B of week `+weekEnd[w]+`"`)
	}
	run("exec", "-clock", weekEnd[9]+"T08:00", "done 1")
	run("exec", "-clock", weekEnd[0]+"T08:00", "release add MedCore 2026.4 ga:2026-10-20")
	wantOpen := []int{0, 0, 2, 2, 2, 4, 4, 4, 6, 5, 5, 7}

	file := filepath.Join(dir, "out", "chart.png")
	if err := os.Mkdir(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	run("chart", "-clock", weekEnd[11]+"T09:00", "-o", file)
	if out := os.Getenv("UPGRADEBOT_CHART_OUT"); out != "" { // to look at it
		raw, _ := os.ReadFile(file)
		_ = os.WriteFile(out, raw, 0o644)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	if b := img.Bounds(); b.Dx() != chart.DefaultWidth || b.Dy() != chart.DefaultHeight {
		t.Fatalf("chart is %v, want %d×%d", b, chart.DefaultWidth, chart.DefaultHeight)
	}

	var opts chart.Options
	plot := opts.Plot()
	colours, inked := map[color.RGBA]bool{}, 0
	for y := plot.Min.Y; y < plot.Max.Y; y++ {
		for x := plot.Min.X; x < plot.Max.X; x++ {
			c := rgba(img, x, y)
			colours[c] = true
			if c != chart.Background {
				inked++
			}
		}
	}
	if len(colours) < 4 || inked < plot.Dx()*plot.Dy()/10 {
		t.Errorf("plot area has %d colours and %d of %d pixels drawn: blank?", len(colours), inked, plot.Dx()*plot.Dy())
	}
	for _, c := range []color.RGBA{chart.BarColor, chart.LineColor, chart.GridColor} {
		if !colours[c] {
			t.Errorf("plot area has no pixel of %v", c)
		}
	}

	// Each bar's height, measured off-centre (clear of the line's marker):
	// it rises, stays and falls with open work, in proportion.
	heights := make([]int, len(wantOpen))
	for i := range wantOpen {
		x := opts.BarCenter(i, len(wantOpen)) - 10
		for y := plot.Min.Y; y < plot.Max.Y; y++ {
			if rgba(img, x, y) == chart.BarColor {
				heights[i] = plot.Max.Y - y
				break
			}
		}
	}
	for i := 1; i < len(wantOpen); i++ {
		d := heights[i] - heights[i-1]
		switch {
		case wantOpen[i] > wantOpen[i-1] && d <= 10,
			wantOpen[i] < wantOpen[i-1] && d >= -10,
			wantOpen[i] == wantOpen[i-1] && abs(d) > 3:
			t.Errorf("bar %d is %d px after %d px, but open work went %d to %d", i, heights[i], heights[i-1], wantOpen[i-1], wantOpen[i])
		}
	}
	if heights[0] != 0 || heights[11] < plot.Dy()/2 {
		t.Errorf("bar heights %v: want none at first and the last over half the plot", heights)
	}
	// The line: no release behind at first, one from 20 October.
	lineAt := func(i int) int {
		x := opts.BarCenter(i, len(wantOpen))
		for y := plot.Min.Y - 6; y <= plot.Max.Y+6; y++ {
			if rgba(img, x, y) == chart.LineColor {
				return y
			}
		}
		return -1
	}
	if first, last := lineAt(0), lineAt(11); first < 0 || last < 0 || last >= first-plot.Dy()/8 {
		t.Errorf("line at %d px first and %d px last: want it to rise from 0 to 1 behind", first, last)
	}
	if code, _, stderr := runMain(t, env, "", "chart", "extra"); code != 2 {
		t.Errorf("chart with an argument: exit %d %s", code, stderr)
	}
}

func rgba(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
