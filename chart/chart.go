// Package chart draws the weekly chart of the upgrade desk as a PNG: open
// work as bars on the left axis and releases behind as a line on the right
// axis, one point per week, with gridlines, week ticks, a legend and labels
// in a small built-in bitmap font. It is pure: points in, image out, with
// only the standard library.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"

	"github.com/upgradebot/upgradebot"
)

// The chart's colours.
var (
	Background = color.RGBA{255, 255, 255, 255}
	GridColor  = color.RGBA{226, 230, 236, 255}
	AxisColor  = color.RGBA{96, 104, 116, 255}
	TextColor  = color.RGBA{40, 44, 52, 255}
	BarColor   = color.RGBA{76, 120, 168, 255} // open work
	LineColor  = color.RGBA{228, 118, 20, 255} // releases behind
)

// Default size.
const (
	DefaultWidth  = 800
	DefaultHeight = 400
)

// Options say how to draw the chart. The zero value is an 800×400 chart
// with the default title.
type Options struct {
	Width, Height int
	// Title is written at the top (in capitals); "" for the default,
	// "OPEN WORK AND RELEASES BEHIND, LAST N WEEKS".
	Title string
}

func (o Options) size() (int, int) {
	w, h := o.Width, o.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

// Margins around the plot area: room for the title and legend above, the
// week labels below and an axis's labels on each side.
const (
	marginLeft   = 56
	marginRight  = 56
	marginTop    = 72
	marginBottom = 36
)

// Plot is the rectangle the bars and the line are drawn in.
func (o Options) Plot() image.Rectangle {
	w, h := o.size()
	return image.Rect(marginLeft, marginTop, w-marginRight, h-marginBottom)
}

// BarCenter is the x of the middle of point i's bar of n.
func (o Options) BarCenter(i, n int) int {
	p := o.Plot()
	return p.Min.X + (2*i+1)*p.Dx()/(2*n)
}

// Render draws the chart and encodes it as PNG. Size errors are EINVALID.
func Render(points []upgradebot.TrendPoint, opts Options) ([]byte, error) {
	img, err := Draw(points, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// Draw draws the chart: bars of Open on the left axis, a line of Behind on
// the right axis, each point labelled with its Day (month/day). No points
// draw the empty frame. EINVALID for a size too small to hold the plot or
// larger than 4000×4000.
func Draw(points []upgradebot.TrendPoint, opts Options) (*image.RGBA, error) {
	w, h := opts.size()
	if w < marginLeft+marginRight+40 || h < marginTop+marginBottom+40 || w > 4000 || h > 4000 {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A chart is between %d×%d and 4000×4000 pixels, not %d×%d.",
			marginLeft+marginRight+40, marginTop+marginBottom+40, w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fillRect(img, img.Bounds(), Background)
	plot := opts.Plot()
	n := len(points)

	// Scales: the left axis in round steps of open work, the right one in
	// whole releases, sharing the gridlines.
	maxOpen, maxBehind := 0, 0
	for _, p := range points {
		maxOpen, maxBehind = max(maxOpen, p.Open), max(maxBehind, p.Behind)
	}
	step := niceStep(maxOpen, 5)
	divs := max(1, (maxOpen+step-1)/step)
	stepR := max(1, (maxBehind+divs-1)/divs)
	topL, topR := step*divs, stepR*divs
	yOf := func(v, top int) int { return plot.Max.Y - v*plot.Dy()/top }

	for i := 0; i <= divs; i++ {
		y := plot.Max.Y - i*plot.Dy()/divs
		fillRect(img, image.Rect(plot.Min.X, y, plot.Max.X, y+1), GridColor)
		fillRect(img, image.Rect(plot.Min.X-4, y, plot.Min.X, y+1), AxisColor)
		fillRect(img, image.Rect(plot.Max.X, y, plot.Max.X+4, y+1), AxisColor)
		l, r := strconv.Itoa(i*step), strconv.Itoa(i*stepR)
		drawText(img, plot.Min.X-7-textWidth(l, 1), y-glyphH/2, l, 1, BarColor)
		drawText(img, plot.Max.X+7, y-glyphH/2, r, 1, LineColor)
	}

	// Bars, then the axes over their feet, then the line over both.
	barW := max(1, plot.Dx()*6/(10*max(n, 1)))
	for i, p := range points {
		x := opts.BarCenter(i, n)
		fillRect(img, image.Rect(x-barW/2, yOf(p.Open, topL), x-barW/2+barW, plot.Max.Y), BarColor)
	}
	fillRect(img, image.Rect(plot.Min.X, plot.Min.Y, plot.Min.X+1, plot.Max.Y+1), AxisColor)
	fillRect(img, image.Rect(plot.Max.X, plot.Min.Y, plot.Max.X+1, plot.Max.Y+1), AxisColor)
	fillRect(img, image.Rect(plot.Min.X, plot.Max.Y, plot.Max.X+1, plot.Max.Y+1), AxisColor)
	for i, p := range points {
		x := opts.BarCenter(i, n)
		fillRect(img, image.Rect(x, plot.Max.Y, x+1, plot.Max.Y+5), AxisColor) // week tick
		label := fmt.Sprintf("%d/%d", int(p.Day.Month), p.Day.Day)
		drawText(img, x-textWidth(label, 1)/2, plot.Max.Y+10, label, 1, TextColor)
		if i > 0 {
			prev := points[i-1]
			thickLine(img, opts.BarCenter(i-1, n), yOf(prev.Behind, topR), x, yOf(p.Behind, topR), LineColor)
		}
	}
	for i, p := range points {
		marker(img, opts.BarCenter(i, n), yOf(p.Behind, topR))
	}

	// Title, and the legend drawn with the shapes it explains.
	title := opts.Title
	if title == "" {
		title = fmt.Sprintf("Open work and releases behind, last %d weeks", n)
	}
	drawText(img, plot.Min.X, 14, title, 2, TextColor)
	ly := 44
	fillRect(img, image.Rect(plot.Min.X, ly, plot.Min.X+14, ly+14), BarColor)
	x := plot.Min.X + 22
	drawText(img, x, ly, "Open work (left)", 2, TextColor)
	x += textWidth("Open work (left)", 2) + 30
	thickLine(img, x, ly+7, x+28, ly+7, LineColor)
	marker(img, x+14, ly+7)
	drawText(img, x+38, ly, "Releases behind (right)", 2, TextColor)
	return img, nil
}

// niceStep is a step of 1, 2 or 5 times a power of ten that divides
// 0..maxV into at most about target steps; 1 for maxV <= 0.
func niceStep(maxV, target int) int {
	if maxV <= 0 {
		return 1
	}
	raw := float64(maxV) / float64(target)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return max(1, int(math.Round(m*mag)))
		}
	}
	return max(1, int(math.Round(10*mag)))
}

// fillRect paints r (clipped to the image) with c.
func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// thickLine draws a 3-pixel-wide line from (x0, y0) to (x1, y1).
func thickLine(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	steps := max(abs(x1-x0), abs(y1-y0), 1)
	for s := 0; s <= steps; s++ {
		x := x0 + (x1-x0)*s/steps
		y := y0 + (y1-y0)*s/steps
		fillRect(img, image.Rect(x-1, y-1, x+2, y+2), c)
	}
}

// marker draws a point of the line: a ring in the line's colour.
func marker(img *image.RGBA, cx, cy int) {
	for y := -5; y <= 5; y++ {
		for x := -5; x <= 5; x++ {
			d := x*x + y*y
			switch {
			case d <= 5: // inside: about a radius of 2
				setIn(img, cx+x, cy+y, Background)
			case d <= 26:
				setIn(img, cx+x, cy+y, LineColor)
			}
		}
	}
}

func setIn(img *image.RGBA, x, y int, c color.RGBA) {
	if image.Pt(x, y).In(img.Bounds()) {
		img.SetRGBA(x, y, c)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
