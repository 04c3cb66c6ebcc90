package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/chart"
	"github.com/upgradebot/upgradebot/store"
)

// TestChart builds twelve weeks of history on a real database through the
// commands, writes `upgradebot chart`, decodes the PNG and checks its size,
// that it is drawn on, that the bars follow open work and that the vendor's
// line rises when its release is out, each on its own panel.
func TestChart(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "chart.db"), "UPGRADEBOT_TZ": "America/Chicago"}
	run := func(args ...string) {
		t.Helper()
		if code, out, stderr := runMain(t, env, "", args...); code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	// The weeks are those of the Mondays from 14 September to 30 November
	// 2026, drawn on 30 November at 09:00; work is added on a week's
	// Monday at 08:00.
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

	// The trend the chart was drawn from: the weeks labelled by their
	// Mondays, open work as added, and where the panels are for it.
	db, err := store.Open(t.Context(), env["UPGRADEBOT_DB"], nil)
	if err != nil {
		t.Fatal(err)
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	points, err := db.WeeklyTrend(t.Context(), time.Date(2026, 11, 30, 9, 0, 0, 0, chicago), chicago, upgradebot.TrendWeeks)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range points {
		if p.Week.String() != weekEnd[i] || p.Open != wantOpen[i] {
			t.Errorf("points[%d]: week of %v, %d open; want %s, %d", i, p.Week, p.Open, weekEnd[i], wantOpen[i])
		}
	}
	layout := chart.Options{}.Layout(points)

	for _, panel := range []struct {
		plot   image.Rectangle
		series color.RGBA
	}{{layout.Open, chart.BarColor}, {layout.Behind, chart.LineColor}} {
		plot := panel.plot
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
		if len(colours) < 3 || inked < plot.Dx()*plot.Dy()/50 {
			t.Errorf("plot %v has %d colours and %d of %d pixels drawn: blank?", plot, len(colours), inked, plot.Dx()*plot.Dy())
		}
		for _, c := range []color.RGBA{panel.series, chart.GridColor} {
			if !colours[c] {
				t.Errorf("plot %v has no pixel of %v", plot, c)
			}
		}
	}
	plot := layout.Open

	// Each bar's height, measured off-centre: it rises, stays and falls
	// with open work, in proportion.
	heights := make([]int, len(wantOpen))
	for i := range wantOpen {
		x := layout.X(i) - 10
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
	// MedCore's line, on the second panel: no release behind at first, one
	// from 20 October.
	plot = layout.Behind
	lineAt := func(i int) int {
		x := layout.X(i)
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

// TestChartDocs is the README's chart: twelve weeks of a team on an EHR
// vendor (Verisante, quarterly) and an ERP vendor (Ledgerly ERP, twice a
// year), with a release checklist, go-lives and everyday work, drawn on a
// Friday. Each release brings eight undated checklist tasks, 32 in all,
// which the open work does not count until their phase starts. With
// UPGRADEBOT_CHART_OUT set it writes the chart there:
//
//	UPGRADEBOT_CHART_OUT=$PWD/docs/chart.png go test ./cmd/upgradebot -run TestChartDocs -count 1
func TestChartDocs(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "docs.db"), "UPGRADEBOT_TZ": "America/Chicago"}
	run := func(at string, text string) {
		t.Helper()
		if code, out, stderr := runMain(t, env, "", "exec", "-clock", at, text); code != 0 {
			t.Fatalf("%q at %s: exit %d\n%s%s", text, at, code, out, stderr)
		}
	}
	start := "2026-09-07T08:00"
	run(start, "owner <@U0CONSOLE>")
	for _, item := range []string{"review Read the release notes", "review List the changes to adopt",
		"build Configure the build", "build Rebuild the order sets", "test Regression-test the interfaces",
		"test Run the integrated test", "train Train the super-users", "go-live Staff the command centre"} {
		run(start, "checklist add "+item)
	}
	for _, r := range []string{"Verisante 2026.2 ga:2026-06-04", "Verisante 2026.3 ga:2026-09-03", `"Ledgerly ERP" 2026B ga:2026-07-21`} {
		run(start, "release add "+r)
	}
	next := 25 // the task ids after the three releases' 24 checklist tasks
	var open []int
	mondays := []string{"2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12",
		"2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"}
	added := []int{9, 3, 4, 3, 4, 3, 4, 3, 3, 4, 3, 4, 3}
	closed := []int{0, 2, 2, 3, 2, 3, 3, 2, 4, 3, 3, 2, 3}
	for w, monday := range mondays {
		for range added[w] {
			run(monday+"T10:00", fmt.Sprintf(`add "Work item %d" due:+10d`, next))
			open = append(open, next)
			next++
		}
		for range closed[w] {
			run(monday+"T15:00", fmt.Sprintf("done %d", open[0]))
			open = open[1:]
		}
	}
	for _, ph := range []struct{ at, text string }{
		{"2026-09-14T09:00", "release phase verisante-2026.2 go-live start 2026-09-14"},
		{"2026-09-24T17:00", "release phase verisante-2026.2 go-live done 2026-09-24"},
		{"2026-10-05T09:00", "release phase verisante-2026.3 review start 2026-10-05"},
		{"2026-10-26T09:00", "release phase ledgerly-erp-2026b go-live start 2026-10-26"},
		{"2026-11-06T17:00", "release phase ledgerly-erp-2026b go-live done 2026-11-06"},
		{"2026-11-02T09:00", "release phase verisante-2026.3 review done 2026-11-02"},
		{"2026-11-02T09:05", "release phase verisante-2026.3 build start 2026-11-02"},
	} {
		run(ph.at, ph.text)
	}
	run("2026-12-03T08:00", "release add Verisante 2026.4 ga:2026-12-03")

	file := filepath.Join(dir, "chart.png")
	if code, out, stderr := runMain(t, env, "", "chart", "-clock", "2026-12-04T09:00", "-o", file); code != 0 {
		t.Fatalf("chart: exit %d\n%s%s", code, out, stderr)
	}
	if out := os.Getenv("UPGRADEBOT_CHART_OUT"); out != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(t.Context(), env["UPGRADEBOT_DB"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	chicago, _ := time.LoadLocation("America/Chicago")
	points, err := db.WeeklyTrend(t.Context(), time.Date(2026, 12, 4, 9, 0, 0, 0, chicago), chicago, upgradebot.TrendWeeks)
	if err != nil {
		t.Fatal(err)
	}
	// Weeks by Monday from 14 September, the last as of Friday 4
	// December. The checklist tasks count as their phases start (the
	// go-live of 2026.2 on 14 September, the review of 2026.3 on 5
	// October, its build on 2 November); those of 2026.4, out on 3
	// December, wait apart: the last bar does not jump by 8.
	var weeks []string
	var openWork, later, erp, ehr []int
	for _, p := range points {
		weeks = append(weeks, p.Week.String())
		openWork, later = append(openWork, p.Open), append(later, p.Later)
		if len(p.Vendors) != 2 || p.Vendors[0].Vendor != "Ledgerly ERP" || p.Vendors[1].Vendor != "Verisante" {
			t.Fatalf("week of %v: vendors %v", p.Week, p.Vendors)
		}
		erp, ehr = append(erp, p.Vendors[0].Behind), append(ehr, p.Vendors[1].Behind)
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"weeks", weeks, mondays[1:]},
		{"open", openWork, []int{11, 13, 13, 17, 17, 19, 20, 19, 20, 22, 24, 24}},
		{"later", later, []int{23, 23, 23, 21, 21, 20, 20, 20, 20, 18, 18, 26}},
		{"Ledgerly ERP behind", erp, []int{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}},
		{"Verisante behind", ehr, []int{2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
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
