package cronspec

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/upgradebot/upgradebot"
)

// Schedule is a standard 5-field cron spec read as wall-clock times in one
// time zone, with daylight-saving changes handled so that each wall-clock
// time runs exactly once:
//
//   - when clocks go back and a wall time happens twice (01:30 on the night
//     the hour repeats), it runs at the first occurrence only;
//   - when clocks go forward and a wall time does not happen (02:30 on the
//     night the hour is skipped), it runs at the first instant after the
//     gap (03:00 local, the instant of the change).
//
// robfig/cron's own schedules run the first kind twice and skip the second.
// Schedule satisfies cron.Schedule, so cron's loop can drive it.
//
// It works on the naive wall clock: the spec is evaluated on local
// Y-M-D h:m placed in UTC, where there is no daylight saving, and each naive
// time found is mapped back to an instant in the zone. Several wall times
// inside one gap (*/15 across 02:00-03:00) map to the same instant and run
// once.
type Schedule struct {
	spec string
	loc  *time.Location
	wall *cron.SpecSchedule // the spec on the naive (UTC) wall clock
}

var _ cron.Schedule = Schedule{}

// Parse parses a standard cron spec ("minute hour day-of-month month
// day-of-week", or a descriptor such as @daily) evaluated in loc. A leading
// "CRON_TZ=Zone " (or "TZ=Zone ") overrides loc. Refused, with an EINVALID
// error whose message names the spec and says what is wrong, fit to show to
// whoever typed it: a spec robfig/cron cannot parse, one that does not name
// wall-clock times (@every), a second zone prefix, and one that never fires
// (it matches no date, like 30 February or 31 April: see fires).
func Parse(spec string, loc *time.Location) (s Schedule, err error) {
	if loc == nil {
		return Schedule{}, upgradebot.Errorf(upgradebot.EINVALID, "Schedule %q has no time zone.", spec)
	}
	body := strings.TrimSpace(spec)
	if strings.HasPrefix(body, "TZ=") || strings.HasPrefix(body, "CRON_TZ=") {
		// robfig/cron slices past the end of a zone prefix with nothing
		// after it, so split it off here.
		zone, rest, ok := strings.Cut(body[strings.Index(body, "=")+1:], " ")
		if !ok || strings.TrimSpace(rest) == "" {
			return Schedule{}, invalid(spec, "a time zone prefix must be followed by a spec")
		}
		if zone == "" || zone == "Local" {
			return Schedule{}, invalid(spec, "the time zone prefix names no IANA time zone")
		}
		if loc, err = time.LoadLocation(zone); err != nil {
			return Schedule{}, invalid(spec, fmt.Sprintf("%q is not an IANA time zone like America/Chicago", zone))
		}
		body = strings.TrimSpace(rest)
		if strings.HasPrefix(body, "TZ=") || strings.HasPrefix(body, "CRON_TZ=") {
			// robfig/cron would read this one and we would not.
			return Schedule{}, invalid(spec, "it has two time zone prefixes")
		}
	}
	if strings.HasPrefix(body, "@every") {
		return Schedule{}, invalid(spec, "@every is an interval, not a wall-clock time; write a 5-field spec such as \"*/15 * * * *\"")
	}
	defer func() {
		// The parser is not ours; a spec must never crash the bot.
		if r := recover(); r != nil {
			s, err = Schedule{}, invalid(spec, fmt.Sprint(r))
		}
	}()
	parsed, err := cron.ParseStandard(body)
	if err != nil {
		return Schedule{}, invalid(spec, err.Error())
	}
	wall, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return Schedule{}, invalid(spec, "it is not a wall-clock schedule")
	}
	naive := *wall
	naive.Location = time.UTC
	if !fires(&naive) {
		return Schedule{}, invalid(spec, "it never matches a date")
	}
	return Schedule{spec: spec, loc: loc, wall: &naive}, nil
}

// firesFrom and firesYears bound the search for a spec's first run: every
// date there is comes round in any eight years (29 February at worst eight
// years apart, across a century year that is not a leap year, such as
// 2100), so a spec that matches no date in these eight matches none ever.
var firesFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const firesYears = 8

// fires reports whether the naive wall-clock schedule wall matches a time
// in the firesYears from firesFrom.
func fires(wall *cron.SpecSchedule) bool {
	end := firesFrom.AddDate(firesYears, 0, 0)
	// SpecSchedule.Next gives up five years after where it starts, so
	// start again every four.
	for from := firesFrom; from.Before(end); from = from.AddDate(4, 0, 0) {
		if n := wall.Next(from); !n.IsZero() {
			return n.Before(end)
		}
	}
	return false
}

// invalid is the error for a bad spec: it names the spec, the reason and the
// form that is expected.
func invalid(spec, reason string) error {
	return upgradebot.Errorf(upgradebot.EINVALID,
		"Schedule %q is not a cron spec I can use: %s. Write 5 fields: minute hour day-of-month month day-of-week, e.g. \"0 8 * * 1-5\" for weekdays at 08:00.",
		spec, reason)
}

// MustParse is Parse for specs fixed in the program; it panics on a bad
// spec.
func MustParse(spec string, loc *time.Location) Schedule {
	s, err := Parse(spec, loc)
	if err != nil {
		panic(err)
	}
	return s
}

// String returns the spec as given.
func (s Schedule) String() string { return s.spec }

// Location returns the zone the spec is read in.
func (s Schedule) Location() *time.Location { return s.loc }

// Next returns the first scheduled instant strictly after t, in the
// schedule's zone, or the zero time if there is none in the nine years
// after t: never, for a schedule from Parse, which refuses a spec that does
// not run within any eight years.
func (s Schedule) Next(t time.Time) time.Time {
	if s.wall == nil {
		return time.Time{}
	}
	n := naive(t.In(s.loc))
	limit := n.AddDate(firesYears+1, 0, 0)
	for {
		next := s.wall.Next(n)
		if next.IsZero() {
			// SpecSchedule.Next gives up five years after n: go on
			// from four years on (29 February across 2100).
			if n = n.AddDate(4, 0, 0); n.After(limit) {
				return time.Time{}
			}
			continue
		}
		if n = next; n.After(limit) {
			return time.Time{}
		}
		// Naive times only grow, and an instant maps back at most the
		// zone's largest change behind t, so this ends within a few steps.
		if at := instant(n, s.loc); at.After(t) {
			return at
		}
	}
}

// Prev returns the latest scheduled instant at or before t, or the zero time
// if there is none in the five years before t.
func (s Schedule) Prev(t time.Time) time.Time {
	// Search back in doubling windows, so a frequent spec costs a few
	// steps and a yearly one a few dozen.
	for w := time.Minute; w <= 5*366*24*time.Hour; w *= 2 {
		var last time.Time
		for at := s.Next(t.Add(-w)); !at.IsZero() && !at.After(t); at = s.Next(at) {
			last = at
		}
		if !last.IsZero() {
			return last
		}
	}
	return time.Time{}
}

// Between returns the scheduled instants in (a, b], oldest first, at most
// limit of them (the newest limit when there are more; limit <= 0 means
// all), and how many there are in all.
func (s Schedule) Between(a, b time.Time, limit int) ([]time.Time, int) {
	var out []time.Time
	n := 0
	for at := s.Next(a); !at.IsZero() && !at.After(b); at = s.Next(at) {
		n++
		out = append(out, at)
		if limit > 0 && len(out) > limit {
			out = out[1:]
		}
	}
	return out, n
}

// naive places the wall clock of t (in its own location) in UTC.
func naive(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	return time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.UTC)
}

// instant maps the naive wall time n (in UTC) to an instant in loc: the
// earlier of two instants when the wall time happens twice, and the instant
// the clocks changed when it falls in a gap.
//
// It reads offsets with Time.Zone only: Time.ZoneBounds is wrong in leap
// years served by a zone's TZ footer rule (golang/go#81583, from 2038 in
// America/Chicago), where it returns an end that is not after the instant.
func instant(n time.Time, loc *time.Location) time.Time {
	w := n.Unix() // the wall time, in seconds, as if it were UTC
	offset := func(u int64) int64 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return int64(off)
	}
	// Offsets are within ±14h, so any instant showing n is within 14h of
	// w; the offsets in effect around it are those seen across ±26h (any
	// zone period is longer than the 13h between two probes).
	var offsets []int64
	for _, d := range []int64{-26, -13, 0, 13, 26} {
		if off := offset(w + d*3600); !slices.Contains(offsets, off) {
			offsets = append(offsets, off)
		}
	}
	var best int64
	found := false
	for _, off := range offsets {
		if u := w - off; offset(u) == off && (!found || u < best) {
			best, found = u, true
		}
	}
	if !found {
		// n was skipped: the clocks jumped from an offset lo to a larger
		// one hi at some instant in (w-hi, w-lo]. Find it to the second.
		lo, hi := slices.Min(offsets), slices.Max(offsets)
		before, after := w-hi, w-lo // offset(before) is lo's side, offset(after) hi's
		first := offset(before)
		for after-before > 1 {
			mid := before + (after-before)/2
			if offset(mid) == first {
				before = mid
			} else {
				after = mid
			}
		}
		best = after
	}
	return time.Unix(best, 0).In(loc) // specs name whole minutes
}
