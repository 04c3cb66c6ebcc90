package upgradebot

import (
	"context"
	"time"
)

// TrendWeeks is how many weeks the weekly chart shows.
const TrendWeeks = 12

// TrendPoint is the desk at the end of one week.
type TrendPoint struct {
	At  time.Time // the instant the week ended: the counts are as of then
	Day Date      // the team's calendar day at At
	// Open is the tasks open at At: created by then and not closed by then.
	Open int
	// Behind is the releases GA by Day and not live by Day (the last
	// phase of the team's plan, the go-live, done),
	// counted per vendor after the latest release that was live by then,
	// as the forecast counts them: a release skipped for a later one is
	// not behind.
	Behind int
}

// TrendService reads the weekly history the chart draws.
type TrendService interface {
	// WeeklyTrend returns weeks points, oldest first, one every 7 days, the
	// last at now (today being the team's day at now). EINVALID unless
	// weeks is between 1 and 520, or today is zero.
	WeeklyTrend(ctx context.Context, now time.Time, today Date, weeks int) ([]TrendPoint, error)
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
	latest := map[string]Date{} // vendor: GA of its latest live release
	for _, r := range releases {
		if !r.Live.IsZero() && !r.Live.After(day) {
			v := lowerASCII(r.Release.Vendor)
			if ga, ok := latest[v]; !ok || r.Release.GA.After(ga) {
				latest[v] = r.Release.GA
			}
		}
	}
	n := 0
	for _, r := range releases {
		if r.Release.GA.After(day) || (!r.Live.IsZero() && !r.Live.After(day)) {
			continue
		}
		if ga, ok := latest[lowerASCII(r.Release.Vendor)]; ok && !r.Release.GA.After(ga) {
			continue
		}
		n++
	}
	return n
}
