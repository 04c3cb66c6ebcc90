// Package chart draws the weekly chart of the upgrade desk as a PNG, in two
// panels stacked, each with its own axis, so it reads at phone width: open
// work as bars on top, releases behind as one line per vendor below, one
// point per team week labelled by its Monday, with gridlines, a legend and
// every text in a built-in bitmap font at least 12 pixels tall. It is pure:
// points in, image out, with only the standard library.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// The chart's colours.
var (
	Background = color.RGBA{255, 255, 255, 255}
	GridColor  = color.RGBA{226, 230, 236, 255}
	AxisColor  = color.RGBA{96, 104, 116, 255}
	TextColor  = color.RGBA{40, 44, 52, 255}
	NoteColor  = color.RGBA{88, 96, 108, 255}  // the "as of" line and the months
	BarColor   = color.RGBA{76, 120, 168, 255} // open work
	// VendorColors are the vendors' lines, in the order of the points'
	// Vendors, again from the first after the last.
	VendorColors = []color.RGBA{
		{228, 118, 20, 255},  // orange
		{46, 150, 70, 255},   // green
		{150, 80, 180, 255},  // purple
		{200, 40, 50, 255},   // red
		{20, 150, 160, 255},  // teal
		{140, 90, 60, 255},   // brown
		{200, 90, 160, 255},  // pink
		{120, 120, 120, 255}, // grey
	}
	// LineColor is the first vendor's line.
	LineColor = VendorColors[0]
)

// VendorColor is the colour of the line of the i-th vendor of a point's
// Vendors.
func VendorColor(i int) color.RGBA { return VendorColors[i%len(VendorColors)] }

// Default size: narrow, so that a phone, which shows an image across its
// screen (about 350 points), shrinks it only by about half and the
// 14-pixel text stays legible; tall enough for two panels.
const (
	DefaultWidth  = 640
	DefaultHeight = 640
)

// TextScale is the scale every text is drawn at: the 5×7 font's pixels
// as 2×2 squares, 14 pixels tall.
const TextScale = 2

// textH is how tall a line of text is.
const textH = glyphH * TextScale

// titleScale is the title's: 21 pixels tall, or as other text when that
// is too wide.
const titleScale = 3

func titleScaleFor(title string, width int) int {
	if textWidth(title, titleScale) > width-2*pad {
		return TextScale
	}
	return titleScale
}

// Options say how to draw the chart. The zero value is a
// DefaultWidth×DefaultHeight chart with the default title.
type Options struct {
	Width, Height int
	// Title is written at the top (in capitals); "" for the default,
	// "Open work and releases behind". The line under it says how the
	// weeks are labelled and the day they are as of.
	Title string
}

func (o Options) title() string {
	if o.Title == "" {
		return "Open work and releases behind"
	}
	return o.Title
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

// Spacing around and between the chart's parts.
const (
	pad       = 14 // around the chart
	lineGap   = 6  // between two lines of text
	headGap   = 16 // under a panel's heading, before its plot
	panelGap  = 22 // between the first panel's week labels and the second's heading
	tickLen   = 5
	labelsH   = tickLen + 3 + textH + 4 + textH // ticks, days and months under a plot
	swatchW   = 26                              // a legend's sample of a line
	legendGap = 20                              // between two legend entries
	minPlotH  = 48
	minWidth  = 480
)

// Layout is where the chart's two panels are drawn for some points: the
// same weeks, at the same x, in both.
type Layout struct {
	Open   image.Rectangle // the open-work bars' plot
	Behind image.Rectangle // the releases-behind lines' plot
	Weeks  int             // how many weeks across

	// Where the texts above the plots go.
	titleY, subtitleY, openHeadY, laterY, behindHeadY int
	later                                             string // the note of checklist work not counted, if any
	legend                                            []legendEntry
}

type legendEntry struct {
	x, y  int
	color color.RGBA
	text  string
}

// X is the x of the middle of week i's bar and of the lines' points.
func (l Layout) X(i int) int {
	p := l.Open
	return p.Min.X + (2*i+1)*p.Dx()/(2*max(l.Weeks, 1))
}

// Layout places the chart's parts for points: the y axes' labels take the
// width of the widest, the legend as many rows as the vendors need.
func (o Options) Layout(points []upgradebot.TrendPoint) Layout {
	w, h := o.size()
	open, behind := scales(points)
	labelW := max(textWidth(strconv.Itoa(open.top()), TextScale), textWidth(strconv.Itoa(behind.top()), TextScale))
	l := Layout{Weeks: len(points)}
	left, right := pad+labelW+8, w-pad-4

	y := pad
	l.titleY = y
	y += glyphH*titleScaleFor(o.title(), w) + lineGap
	l.subtitleY = y
	y += textH + 18
	l.openHeadY = y
	y += textH
	if l.later = laterNote(points, w); l.later != "" {
		l.laterY = y + lineGap
		y += lineGap + textH
	}
	y += headGap
	openTop := y

	// From the bottom up: the second panel's week labels, its plot, its
	// legend and heading, the gap, the first panel's labels.
	var entries []legendEntry
	x, row := pad, 0
	for i, v := range lastVendors(points) {
		text := legendText(v)
		width := swatchW + 6 + textWidth(text, TextScale)
		if x > pad && x+width > w-pad {
			x, row = pad, row+1
		}
		entries = append(entries, legendEntry{x: x, y: row, color: VendorColor(i), text: text})
		x += width + legendGap
	}
	rows := row + 1
	fixed := labelsH + panelGap + textH + lineGap + rows*(textH+lineGap) + headGap - lineGap + labelsH + pad
	plots := h - openTop - fixed
	openH := plots / 2
	l.Open = image.Rect(left, openTop, right, openTop+openH)
	y = l.Open.Max.Y + labelsH + panelGap
	l.behindHeadY = y
	y += textH + lineGap
	for i := range entries {
		entries[i].y = y + entries[i].y*(textH+lineGap)
	}
	l.legend = entries
	y += rows*(textH+lineGap) + headGap - lineGap
	l.Behind = image.Rect(left, y, right, h-pad-labelsH)
	return l
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

// Draw draws the chart: the title, and the line under it with how the
// weeks are labelled and the last point's Day ("as of"); on top, bars of
// Open on their own axis; below, a line of each vendor's releases behind
// on theirs, with a legend giving each vendor's count in the last week.
// Each week is labelled under both by its Monday: the day of the month,
// and the month's name under the first week labelled in it. No points
// draw the empty frames. EINVALID for a size too small to hold the panels
// or larger than 4000×4000.
func Draw(points []upgradebot.TrendPoint, opts Options) (*image.RGBA, error) {
	c, err := draw(points, opts)
	if err != nil {
		return nil, err
	}
	return c.img, nil
}

// canvas is an image being drawn, with the boxes of the texts on it.
type canvas struct {
	img   *image.RGBA
	texts []textBox
}

type textBox struct {
	r     image.Rectangle
	scale int
	text  string
}

func (c *canvas) text(x, y int, s string, col color.RGBA) { c.textAt(x, y, s, TextScale, col) }

func (c *canvas) textAt(x, y int, s string, scale int, col color.RGBA) {
	drawText(c.img, x, y, s, scale, col)
	c.texts = append(c.texts, textBox{image.Rect(x, y, x+textWidth(s, scale), y+glyphH*scale), scale, s})
}

func draw(points []upgradebot.TrendPoint, opts Options) (*canvas, error) {
	w, h := opts.size()
	l := opts.Layout(points)
	if w < minWidth || w > 4000 || h > 4000 || l.Open.Dy() < minPlotH || l.Behind.Dy() < minPlotH {
		return nil, upgradebot.Errorf(upgradebot.EINVALID,
			"A chart is %d to 4000 pixels wide, at most 4000 high and high enough for its two panels, not %d×%d.", minWidth, w, h)
	}
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	fillRect(c.img, c.img.Bounds(), Background)
	n := len(points)
	open, behind := scales(points)

	c.textAt(pad, l.titleY, opts.title(), titleScaleFor(opts.title(), w), TextColor)
	sub := "No weeks yet"
	if n > 0 {
		sub = "Weeks by Monday, as of " + points[n-1].Day.Human()
	}
	c.text(pad, l.subtitleY, sub, NoteColor)

	// Open work: a bar a week.
	head := "Open tasks at week end"
	if n > 0 {
		head += fmt.Sprintf(" (now %d)", points[n-1].Open)
	}
	fillRect(c.img, image.Rect(pad, l.openHeadY+1, pad+textH-2, l.openHeadY+textH-1), BarColor)
	c.text(pad+textH+6, l.openHeadY, head, TextColor)
	if l.later != "" {
		c.text(pad+textH+6, l.laterY, l.later, NoteColor)
	}
	c.grid(l.Open, open)
	barW := min(max(1, l.Open.Dx()*6/(10*max(n, 1))), 60)
	for i, p := range points {
		x := l.X(i)
		fillRect(c.img, image.Rect(x-barW/2, open.y(l.Open, p.Open), x-barW/2+barW, l.Open.Max.Y), BarColor)
	}
	c.frame(l.Open)
	c.weeks(l, l.Open, points)

	// Releases behind: a line a vendor, each moved a little up or down so
	// that where two vendors are equal both lines show.
	c.text(pad, l.behindHeadY, "Releases behind, per vendor", TextColor)
	for _, e := range l.legend {
		thickLine(c.img, e.x, e.y+textH/2, e.x+swatchW, e.y+textH/2, e.color)
		dot(c.img, e.x+swatchW/2, e.y+textH/2, e.color)
		c.text(e.x+swatchW+6, e.y, e.text, TextColor)
	}
	c.grid(l.Behind, behind)
	vendors := len(lastVendors(points))
	if vendors == 0 {
		msg := "No release out yet"
		c.text(l.Behind.Min.X+(l.Behind.Dx()-textWidth(msg, TextScale))/2, l.Behind.Min.Y+(l.Behind.Dy()-textH)/2, msg, NoteColor)
	}
	c.frame(l.Behind)
	for v := range vendors {
		col := VendorColor(v)
		shift := vendorShift(v, vendors)
		at := func(i int) (int, int) {
			return l.X(i), behind.y(l.Behind, vendorBehind(points[i], v)) + shift
		}
		for i := 1; i < n; i++ {
			x0, y0 := at(i - 1)
			x1, y1 := at(i)
			thickLine(c.img, x0, y0, x1, y1, col)
		}
		for i := range points {
			x, y := at(i)
			dot(c.img, x, y, col)
		}
	}
	c.weeks(l, l.Behind, points)
	return c, nil
}

// vendorShift is how far the i-th of n vendors' line is moved down (up
// when negative) from its values, so that where vendors are equal every
// line shows: 2 pixels apart from the next, the middle on the values.
func vendorShift(i, n int) int { return (2*i - (n - 1)) * 2 }

// laterNote says how much checklist work the last week's bar leaves out,
// in words that fit the width: "" when none.
func laterNote(points []upgradebot.TrendPoint, width int) string {
	if len(points) == 0 || points[len(points)-1].Later == 0 {
		return ""
	}
	n := points[len(points)-1].Later
	task := "tasks"
	if n == 1 {
		task = "task"
	}
	note := fmt.Sprintf("Not counted: %d checklist %s due later", n, task)
	if pad+textH+6+textWidth(note, TextScale) > width-pad {
		note = fmt.Sprintf("+%d checklist %s due later", n, task)
	}
	return note
}

// lastVendors is the vendors of the last point, the same in every point
// of a trend.
func lastVendors(points []upgradebot.TrendPoint) []upgradebot.VendorBehind {
	if len(points) == 0 {
		return nil
	}
	return points[len(points)-1].Vendors
}

// vendorBehind is the i-th vendor's count at p, 0 if p has no such vendor.
func vendorBehind(p upgradebot.TrendPoint, i int) int {
	if i < len(p.Vendors) {
		return p.Vendors[i].Behind
	}
	return 0
}

// legendText names a vendor and its count now, a long name cut after a
// word within 20 characters.
func legendText(v upgradebot.VendorBehind) string {
	name := strings.TrimSpace(v.Vendor)
	if r := []rune(name); len(r) > 20 {
		name = string(r[:20])
		if i := strings.LastIndexByte(name, ' '); i >= 10 {
			name = name[:i]
		}
	}
	return fmt.Sprintf("%s: %d", strings.TrimSpace(name), v.Behind)
}

// scale is an axis from 0 in steps of step, divs steps high, inset
// pixels inside its plot at both ends.
type scale struct{ step, divs, inset int }

func (s scale) top() int { return s.step * s.divs }

// y is where v goes in plot.
func (s scale) y(plot image.Rectangle, v int) int {
	return plot.Max.Y - s.inset - v*(plot.Dy()-2*s.inset)/s.top()
}

// scales are the open-work axis, in round steps, and the releases-behind
// axis, in whole releases.
func scales(points []upgradebot.TrendPoint) (open, behind scale) {
	maxOpen, maxBehind := 0, 0
	for _, p := range points {
		maxOpen = max(maxOpen, p.Open)
		for _, v := range p.Vendors {
			maxBehind = max(maxBehind, v.Behind)
		}
	}
	open.step = niceStep(maxOpen, 4)
	open.divs = max(1, (maxOpen+open.step-1)/open.step)
	behind.step = niceStep(maxBehind, 4)
	behind.divs = max(1, (maxBehind+behind.step-1)/behind.step)
	// Room for the vendors' lines, moved apart (see vendorShift).
	vendors := len(lastVendors(points))
	behind.inset = max(vendorShift(vendors-1, vendors), 0) + 4
	return open, behind
}

// grid draws plot's gridlines, with their values on the left.
func (c *canvas) grid(plot image.Rectangle, s scale) {
	for i := 0; i <= s.divs; i++ {
		y := s.y(plot, i*s.step)
		fillRect(c.img, image.Rect(plot.Min.X, y, plot.Max.X, y+1), GridColor)
		fillRect(c.img, image.Rect(plot.Min.X-4, y, plot.Min.X, y+1), AxisColor)
		label := strconv.Itoa(i * s.step)
		c.text(plot.Min.X-8-textWidth(label, TextScale), y-textH/2, label, TextColor)
	}
}

// frame draws plot's axes: left and bottom.
func (c *canvas) frame(plot image.Rectangle) {
	fillRect(c.img, image.Rect(plot.Min.X, plot.Min.Y, plot.Min.X+1, plot.Max.Y+1), AxisColor)
	fillRect(c.img, image.Rect(plot.Min.X, plot.Max.Y, plot.Max.X+1, plot.Max.Y+1), AxisColor)
}

// weeks labels the weeks under plot: a tick each, the day of the month of
// each labelled Monday (every week when they fit, else every second,
// third..., counting back from the last), and under the first week and
// each week starting a month, the month's name, when it does not run into
// the one before.
func (c *canvas) weeks(l Layout, plot image.Rectangle, points []upgradebot.TrendPoint) {
	n := len(points)
	if n == 0 {
		return
	}
	slot := max(plot.Dx()/n, 1)
	every := (textWidth("30", TextScale) + 10 + slot - 1) / slot
	y := plot.Max.Y + tickLen + 3
	monthEnd := math.MinInt
	for i, p := range points {
		x := l.X(i)
		fillRect(c.img, image.Rect(x, plot.Max.Y, x+1, plot.Max.Y+tickLen), AxisColor)
		if (n-1-i)%every == 0 {
			day := strconv.Itoa(p.Week.Day)
			c.text(x-textWidth(day, TextScale)/2, y, day, TextColor)
		}
		if i > 0 && p.Week.Month == points[i-1].Week.Month {
			continue
		}
		month := p.Week.Month.String()[:3]
		mx := x - textWidth(month, TextScale)/2
		if mx > monthEnd+6 {
			c.text(mx, y+textH+4, month, NoteColor)
			monthEnd = mx + textWidth(month, TextScale)
		}
	}
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

// dot draws a point of a line: a disc of radius 3 in its colour.
func dot(img *image.RGBA, cx, cy int, c color.RGBA) {
	for y := -3; y <= 3; y++ {
		for x := -3; x <= 3; x++ {
			if x*x+y*y <= 10 {
				setIn(img, cx+x, cy+y, c)
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
