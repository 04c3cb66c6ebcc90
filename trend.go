package upgradebot

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// TrendWeeks is how many weeks the weekly chart shows.
const TrendWeeks = 12

// TrendPoint is the desk over one team week, Monday to Sunday in the
// team's zone: as it stood when the week ended, or now for the week under
// way.
type TrendPoint struct {
	Week Date // the week's Monday: how the week is labelled
	// At is the instant the counts are as of: the start of the next
	// Monday, or now for the week under way. A task created at that very
	// instant counts.
	At time.Time
	// Day is the last day counted: the week's Sunday, or today for the
	// week under way.
	Day Date
	// Open is the tasks open at At (created by then and not closed by
	// then) but checklist work beyond the window: a release's checklist
	// task (one with a phase) undated or due more than WorkloadWindowDays
	// after Day is not that week's load, as the workload command counts it.
	Open int
	// Later is that checklist work beyond the window, open at At and not
	// in Open.
	Later int
	// Behind is the releases GA by Day and not live by Day (the last
	// phase of the team's plan, the go-live, done), counted per vendor
	// after the latest release that was live by then, as the forecast
	// counts them: a release skipped for a later one is not behind. It is
	// the sum of Vendors.
	Behind int
	// Vendors is Behind per vendor: every vendor with a release GA by the
	// last week's Day, in the same order (by name) in every point of a
	// trend, with 0 where none of its releases is behind.
	Vendors []VendorBehind
}

// VendorBehind is how many of a vendor's releases are behind.
type VendorBehind struct {
	Vendor string
	Behind int
}

// TrendService reads the weekly history the chart draws.
type TrendService interface {
	// WeeklyTrend returns weeks points, oldest first, one per team week
	// (Monday to Sunday in loc), the last the week under way as of now
	// (see TrendWeeksTo). EINVALID unless weeks is between 1 and 520 and
	// loc is set.
	WeeklyTrend(ctx context.Context, now time.Time, loc *time.Location, weeks int) ([]TrendPoint, error)
}

// TrendWeeksTo returns the weeks team weeks (Monday to Sunday in loc)
// ending with the one under way at now, oldest first, each with its Week,
// At and Day set and nothing counted: a week that has ended is counted as
// of the start of the next Monday (At) and its Sunday (Day), the week
// under way as of now and today. So the weeks, and their labels, are the
// same whichever day of the week it is drawn. weeks below 1 is taken as 1.
func TrendWeeksTo(now time.Time, loc *time.Location, weeks int) []TrendPoint {
	today := Today(now, loc)
	monday := WeekOf(today)
	points := make([]TrendPoint, max(weeks, 1))
	last := len(points) - 1
	for i := range points {
		p := &points[i]
		p.Week = monday.AddDays(-7 * (last - i))
		p.At = p.Week.AddDays(7).Time(loc).UTC()
		p.Day = p.Week.AddDays(6)
	}
	points[last].At, points[last].Day = now.UTC(), today
	return points
}

// ReleaseLive is a release and the day its go-live (the last phase of the
// team's plan) was done, zero if it is not live.
type ReleaseLive struct {
	Release *Release
	Live    Date
}

// ReleasesBehind counts the releases behind on day: for each vendor (names
// compared ignoring the case of ASCII letters, as the store does), those
// GA by day, not live by day and GA after the latest-GA release that was
// live by day.
func ReleasesBehind(releases []ReleaseLive, day Date) int {
	n := 0
	for _, v := range BehindByVendor(releases, day) {
		n += v.Behind
	}
	return n
}

// BehindByVendor is ReleasesBehind per vendor: one entry for every vendor
// with a release in releases (named as its first release there spells it),
// ordered by name ignoring the case of ASCII letters, 0 where none is
// behind on day.
func BehindByVendor(releases []ReleaseLive, day Date) []VendorBehind {
	latest := map[string]Date{} // vendor: GA of its latest live release
	index := map[string]int{}   // vendor: its entry in out
	var out []VendorBehind
	for _, r := range releases {
		v := lowerASCII(r.Release.Vendor)
		if _, ok := index[v]; !ok {
			index[v] = len(out)
			out = append(out, VendorBehind{Vendor: r.Release.Vendor})
		}
		if !r.Live.IsZero() && !r.Live.After(day) {
			if ga, ok := latest[v]; !ok || r.Release.GA.After(ga) {
				latest[v] = r.Release.GA
			}
		}
	}
	for _, r := range releases {
		if r.Release.GA.After(day) || (!r.Live.IsZero() && !r.Live.After(day)) {
			continue
		}
		v := lowerASCII(r.Release.Vendor)
		if ga, ok := latest[v]; ok && !r.Release.GA.After(ga) {
			continue
		}
		out[index[v]].Behind++
	}
	slices.SortStableFunc(out, func(a, b VendorBehind) int {
		return cmp.Compare(lowerASCII(a.Vendor), lowerASCII(b.Vendor))
	})
	return out
}
