package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

var chicago = mustLoad("America/Chicago")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// friday is Friday 4 December 2026, 09:00 in Chicago.
var friday = time.Date(2026, 12, 4, 9, 0, 0, 0, chicago)

// trend is weeks of open work and two vendors' releases behind, drawn at
// now.
func trend(now time.Time, open, erp, ehr []int) []upgradebot.TrendPoint {
	points := upgradebot.TrendWeeksTo(now, chicago, len(open))
	for i := range points {
		points[i].Open = open[i]
		points[i].Vendors = []upgradebot.VendorBehind{{Vendor: "Ledgerly ERP", Behind: erp[i]}, {Vendor: "Verisante", Behind: ehr[i]}}
		points[i].Behind = erp[i] + ehr[i]
	}
	return points
}

var (
	sampleOpen = []int{14, 15, 17, 16, 19, 22, 21, 24, 23, 27, 25, 26}
	sampleERP  = []int{0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1}
	sampleEHR  = []int{1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2}
)

func sample() []upgradebot.TrendPoint { return trend(friday, sampleOpen, sampleERP, sampleEHR) }

// many is a year of weeks, five vendors, one with a long name and one
// with an ampersand, and open work in the thousands.
func many() []upgradebot.TrendPoint {
	points := upgradebot.TrendWeeksTo(friday, chicago, 52)
	names := []string{"Verisante", "Ledgerly ERP", "LabSys Diagnostics Worldwide Inc", "PharmaCo", "Imaging & Co"}
	for i := range points {
		points[i].Open = 900 + i*13%170
		for k, n := range names {
			points[i].Vendors = append(points[i].Vendors, upgradebot.VendorBehind{Vendor: n, Behind: (i/5 + k) % 4})
		}
	}
	points[51].Later = 26
	return points
}

// TestRender: a PNG of the default size, and the size errors.
func TestRender(t *testing.T) {
	raw, err := Render(sample(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != DefaultWidth || b.Dy() != DefaultHeight {
		t.Errorf("chart is %v, want %d×%d", b, DefaultWidth, DefaultHeight)
	}
	for _, o := range []Options{{Width: 479, Height: 640}, {Width: 640, Height: 300}, {Width: 4001, Height: 640}, {Width: 640, Height: 4001}} {
		if _, err := Render(sample(), o); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
			t.Errorf("%d×%d: %v, want EINVALID", o.Width, o.Height, err)
		}
	}
	if _, err := Render(sample(), Options{Width: 1200, Height: 900}); err != nil {
		t.Errorf("1200×900: %v", err)
	}
}

// TestTextReadable: every text is at least 12 pixels tall, inside the
// image, and clear of every other (week labels, months, axis values,
// legend), whatever the weeks, vendors and values.
func TestTextReadable(t *testing.T) {
	for name, points := range map[string][]upgradebot.TrendPoint{
		"12 weeks":   sample(),
		"52 weeks":   many(),
		"one week":   many()[51:],
		"no vendors": upgradebot.TrendWeeksTo(friday, chicago, 12),
		"no points":  nil,
	} {
		for _, o := range []Options{{}, {Width: 800, Height: 600}, {Width: 480, Height: 480}} {
			c, err := draw(points, o)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for i, a := range c.texts {
				if a.r.Dy() < 12 {
					t.Errorf("%s, %v: %q is %d px tall", name, o, a.text, a.r.Dy())
				}
				if !a.r.In(c.img.Bounds()) {
					t.Errorf("%s, %v: %q at %v is not all inside %v", name, o, a.text, a.r, c.img.Bounds())
				}
				for _, b := range c.texts[i+1:] {
					// A glyph's last column is space: touching is not running into.
					if a.r.Inset(-1).Overlaps(b.r) {
						t.Errorf("%s, %v: %q at %v runs into %q at %v", name, o, a.text, a.r, b.text, b.r)
					}
				}
			}
		}
	}
}

// texts are the texts drawn in r, left to right.
func texts(c *canvas, r image.Rectangle) []string {
	var in []textBox
	for _, tb := range c.texts {
		if tb.r.In(r) {
			in = append(in, tb)
		}
	}
	slices.SortStableFunc(in, func(a, b textBox) int { return a.r.Min.X - b.r.Min.X })
	var out []string
	for _, tb := range in {
		out = append(out, tb.text)
	}
	return out
}

// TestWeekLabels: the weeks are labelled under both panels by their
// Mondays, day and month, with the "as of" day above; drawn on Monday
// or on Friday of the same week, the labels are the same.
func TestWeekLabels(t *testing.T) {
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, chicago)
	var labels [][]string
	for _, now := range []time.Time{monday, friday} {
		points := trend(now, sampleOpen, sampleERP, sampleEHR)
		c, err := draw(points, Options{})
		if err != nil {
			t.Fatal(err)
		}
		l := Options{}.Layout(points)
		// The days of the Mondays, then the months' names under them.
		under := func(plot image.Rectangle) []string {
			days := texts(c, image.Rect(0, plot.Max.Y+1, DefaultWidth, plot.Max.Y+tickLen+3+textH+1))
			months := texts(c, image.Rect(0, plot.Max.Y+tickLen+3+textH+1, DefaultWidth, plot.Max.Y+labelsH+1))
			return append(days, months...)
		}
		top, bottom := under(l.Open), under(l.Behind)
		want := []string{"14", "21", "28", "5", "12", "19", "26", "2", "9", "16", "23", "30", "Sep", "Oct", "Nov"}
		if !slices.Equal(top, want) || !slices.Equal(bottom, want) {
			t.Errorf("drawn %v: labels\n%q and\n%q, want\n%q", now, top, bottom, want)
		}
		labels = append(labels, top)
		// Each month under its first Monday.
		for _, m := range []struct {
			month string
			week  int
		}{{"Sep", 0}, {"Oct", 3}, {"Nov", 7}} {
			for _, tb := range c.texts {
				if tb.text == m.month && tb.r.Min.Y > l.Open.Max.Y && tb.r.Max.Y < l.Behind.Min.Y && abs((tb.r.Min.X+tb.r.Max.X)/2-l.X(m.week)) > 1 {
					t.Errorf("%s is centred at %d px, not under its first Monday at %d", m.month, (tb.r.Min.X+tb.r.Max.X)/2, l.X(m.week))
				}
			}
		}
		asOf := "Weeks by Monday, as of " + upgradebot.Today(now, chicago).Human()
		if !slices.Contains(texts(c, c.img.Bounds()), asOf) {
			t.Errorf("drawn %v: no %q in %q", now, asOf, texts(c, c.img.Bounds()))
		}
	}
	// A year of weeks: every fourth Monday counting back from the last,
	// each month named once at most, none running into the next.
	c, err := draw(many(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := Options{}.Layout(many())
	got := texts(c, image.Rect(0, l.Behind.Max.Y+1, DefaultWidth, l.Behind.Max.Y+tickLen+3+textH+1))
	var want []string
	for i, p := range many() {
		if (51-i)%4 == 0 {
			want = append(want, strconv.Itoa(p.Week.Day))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("52 weeks: days %q, want %q", got, want)
	}
	months := texts(c, image.Rect(0, l.Behind.Max.Y+tickLen+3+textH+1, DefaultWidth, l.Behind.Max.Y+labelsH+1))
	if len(months) < 10 || len(months) > 13 {
		t.Errorf("52 weeks: months %q", months)
	}
}

func at(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

// TestPanels: open work is bars on the top panel's own axis; each
// vendor's releases behind a line of its colour on the bottom panel's,
// sitting on the gridline of its value ("2 behind" on the "2"), and
// neither panel holds the other's series.
func TestPanels(t *testing.T) {
	points := sample()
	c, err := draw(points, Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := c.img
	l := Options{}.Layout(points)
	if l.Open.Max.Y >= l.Behind.Min.Y {
		t.Fatalf("panels %v and %v overlap", l.Open, l.Behind)
	}
	// gridline is the y of the axis label value in plot.
	gridline := func(plot image.Rectangle, value string) int {
		for _, tb := range c.texts {
			if tb.text == value && tb.r.Max.X < plot.Min.X && tb.r.Min.Y >= plot.Min.Y-textH && tb.r.Max.Y <= plot.Max.Y+textH {
				return (tb.r.Min.Y + tb.r.Max.Y) / 2
			}
		}
		t.Fatalf("no axis label %q by %v", value, plot)
		return 0
	}
	// The top axis is 0, 10, 20, 30; each bar's top on its value.
	for _, v := range []string{"0", "10", "20", "30"} {
		gridline(l.Open, v)
	}
	y0, y30 := gridline(l.Open, "0"), gridline(l.Open, "30")
	for i, open := range sampleOpen {
		top := l.Open.Max.Y
		for y := l.Open.Min.Y; y < l.Open.Max.Y; y++ {
			if at(img, l.X(i)-3, y) == BarColor {
				top = y
				break
			}
		}
		if want := y0 - open*(y0-y30)/30; abs(top-want) > 1 {
			t.Errorf("bar %d (%d open) tops at %d px, want %d", i, open, top, want)
		}
	}
	// The bottom axis is 0, 1, 2: whole releases, on their own gridlines.
	b0, b1, b2 := gridline(l.Behind, "0"), gridline(l.Behind, "1"), gridline(l.Behind, "2")
	if b1-b2 < 40 || b0-b1 < 40 {
		t.Errorf("gridlines 0, 1, 2 at %d, %d, %d px: want at least 40 px a release", b0, b1, b2)
	}
	// Between two weeks of the same count, where the other vendor's line
	// does not cross, each line runs level on its gridline, moved off it
	// by a couple of pixels so that equal counts show both lines.
	series := [][]int{sampleERP, sampleEHR}
	checked := 0
	for v, counts := range series {
		other := series[1-v]
		col := VendorColor(v)
		for i := 0; i+1 < len(counts); i++ {
			if counts[i] != counts[i+1] || other[i] != other[i+1] {
				continue
			}
			x, y := (l.X(i)+l.X(i+1))/2, []int{b0, b1, b2}[counts[i]]+vendorShift(v, 2)
			if got := at(img, x, y); got != col {
				t.Errorf("vendor %d, weeks %d-%d (%d behind): %v at (%d, %d), want its colour %v", v, i, i+1, counts[i], got, x, y, col)
			}
			checked++
		}
	}
	if checked < 8 {
		t.Errorf("checked the lines at only %d places", checked)
	}
	// Neither series in the other's panel.
	for y := l.Open.Min.Y; y < l.Behind.Max.Y; y++ {
		for x := l.Open.Min.X; x < l.Open.Max.X; x++ {
			c := at(img, x, y)
			inTop := y < l.Open.Max.Y
			if (c == VendorColor(0) || c == VendorColor(1)) && inTop || c == BarColor && y > l.Open.Max.Y {
				t.Fatalf("%v at (%d, %d): a series in the other's panel", c, x, y)
			}
		}
	}
	// The legend names each vendor with its count in the last week, by
	// a sample of its line.
	legend := texts(c, image.Rect(0, l.Open.Max.Y+labelsH, DefaultWidth, l.Behind.Min.Y))
	if want := []string{"Releases behind, per vendor", "Ledgerly ERP: 1", "Verisante: 2"}; !slices.Equal(legend, want) &&
		!slices.Equal(legend, []string{want[1], want[0], want[2]}) {
		t.Errorf("the second panel's heading and legend %q, want %q", legend, want)
	}
	for v, name := range []string{"Ledgerly ERP: 1", "Verisante: 2"} {
		for _, tb := range c.texts {
			if tb.text == name && at(img, tb.r.Min.X-6-swatchW/2, (tb.r.Min.Y+tb.r.Max.Y)/2) != VendorColor(v) {
				t.Errorf("no sample of %v's line before %q", VendorColor(v), name)
			}
		}
	}
	if head := texts(c, image.Rect(0, l.Open.Min.Y-headGap-textH, DefaultWidth, l.Open.Min.Y)); !slices.Contains(head, "Open tasks at week end (now 26)") {
		t.Errorf("the first panel's heading %q", head)
	}
}

// TestLaterNote: checklist work the last bar leaves out is said under the
// first panel's heading, shorter where the chart is narrow; nothing is
// said when there is none.
func TestLaterNote(t *testing.T) {
	for _, tc := range []struct {
		points []upgradebot.TrendPoint
		width  int
		want   string
	}{
		{many(), 640, "Not counted: 26 checklist tasks due later"},
		{many(), 480, "+26 checklist tasks due later"},
		{sample(), 640, ""},
	} {
		c, err := draw(tc.points, Options{Width: tc.width})
		if err != nil {
			t.Fatal(err)
		}
		l := Options{Width: tc.width}.Layout(tc.points)
		got := texts(c, image.Rect(0, l.openHeadY+textH+1, tc.width, l.Open.Min.Y))
		if tc.want == "" && len(got) != 0 || tc.want != "" && !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%d wide: under the heading %q, want %q", tc.width, got, tc.want)
		}
	}
	one := sample()
	one[11].Later = 1
	if got := laterNote(one, 640); got != "Not counted: 1 checklist task due later" {
		t.Errorf("one later: %q", got)
	}
}

// TestLegendText: long names cut after a word, the count after a colon.
func TestLegendText(t *testing.T) {
	for _, tc := range []struct {
		vendor string
		want   string
	}{
		{"Verisante", "Verisante: 2"},
		{"LabSys Diagnostics Worldwide Inc", "LabSys Diagnostics: 2"},
		{"Averyveryveryverylongvendorname", "Averyveryveryverylon: 2"},
	} {
		if got := legendText(upgradebot.VendorBehind{Vendor: tc.vendor, Behind: 2}); got != tc.want {
			t.Errorf("legendText(%q) = %q, want %q", tc.vendor, got, tc.want)
		}
	}
	// Accented capitals are drawn as their plain letters, not blanks.
	a, e := image.NewRGBA(image.Rect(0, 0, 20, 20)), image.NewRGBA(image.Rect(0, 0, 20, 20))
	drawText(a, 0, 0, "é", 2, TextColor)
	drawText(e, 0, 0, "E", 2, TextColor)
	if !bytes.Equal(a.Pix, e.Pix) || strings.Count(string(e.Pix), "\x00") == len(e.Pix) {
		t.Errorf("é is not drawn as E")
	}
}
