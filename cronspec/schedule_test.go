package cronspec_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/cronspec"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// ts parses an RFC 3339 time; the offsets in the tables say which side of a
// clock change each instant is on.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestScheduleNext follows each schedule from a fixed time, as robfig's
// spec_test.go does: the next instants, across both daylight-saving changes
// of 2026 in New York (8 March, 1 November) and London (29 March, 25
// October), on weekday-only specs and on ordinary days.
func TestScheduleNext(t *testing.T) {
	tests := []struct {
		desc, zone, spec, from string
		want                   []string
	}{
		// New York: 02:00 EST -> 03:00 EDT on 8 March; 02:00 EDT -> 01:00 EST on 1 November.
		{"NY 01:30, spring forward: 01:30 exists, unchanged", "America/New_York", "30 1 * * *", "2026-03-06T12:00:00-05:00",
			[]string{"2026-03-07T01:30:00-05:00", "2026-03-08T01:30:00-05:00", "2026-03-09T01:30:00-04:00"}},
		{"NY 02:30, spring forward: skipped 02:30 runs at 03:00", "America/New_York", "30 2 * * *", "2026-03-06T12:00:00-05:00",
			[]string{"2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"NY 01:30, fall back: first 01:30 (EDT) only", "America/New_York", "30 1 * * *", "2026-10-30T12:00:00-04:00",
			[]string{"2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"NY 02:30, fall back: once, in EST", "America/New_York", "30 2 * * *", "2026-10-30T12:00:00-04:00",
			[]string{"2026-10-31T02:30:00-04:00", "2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00"}},
		{"NY 01:30 from inside the repeated hour: tomorrow", "America/New_York", "30 1 * * *", "2026-11-01T01:10:00-05:00",
			[]string{"2026-11-02T01:30:00-05:00"}},
		{"NY 01:30 from the first 01:30: not the second", "America/New_York", "30 1 * * *", "2026-11-01T01:30:00-04:00",
			[]string{"2026-11-02T01:30:00-05:00"}},
		{"NY 02:00 from the end of the repeated hour", "America/New_York", "0 2 * * *", "2026-11-01T01:59:00-05:00",
			[]string{"2026-11-01T02:00:00-05:00"}},
		{"NY every 15 min across the gap: 02:xx fold into 03:00", "America/New_York", "*/15 * * * *", "2026-03-08T01:40:00-05:00",
			[]string{"2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:15:00-04:00"}},
		{"NY every 15 min across fall back: each wall time once", "America/New_York", "*/15 * * * *", "2026-11-01T00:50:00-04:00",
			[]string{"2026-11-01T01:00:00-04:00", "2026-11-01T01:15:00-04:00", "2026-11-01T01:30:00-04:00",
				"2026-11-01T01:45:00-04:00", "2026-11-01T02:00:00-05:00"}},
		{"NY Sundays 02:30: the change day is a Sunday", "America/New_York", "30 2 * * 0", "2026-03-01T03:00:00-05:00",
			[]string{"2026-03-08T03:00:00-04:00", "2026-03-15T02:30:00-04:00"}},

		// London: 01:00 GMT -> 02:00 BST on 29 March; 02:00 BST -> 01:00 GMT on 25 October.
		{"London 01:30, spring forward: skipped 01:30 runs at 02:00", "Europe/London", "30 1 * * *", "2026-03-27T12:00:00Z",
			[]string{"2026-03-28T01:30:00Z", "2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00"}},
		{"London 02:30, spring forward: unchanged", "Europe/London", "30 2 * * *", "2026-03-27T12:00:00Z",
			[]string{"2026-03-28T02:30:00Z", "2026-03-29T02:30:00+01:00", "2026-03-30T02:30:00+01:00"}},
		{"London 01:30, fall back: first 01:30 (BST) only", "Europe/London", "30 1 * * *", "2026-10-23T12:00:00+01:00",
			[]string{"2026-10-24T01:30:00+01:00", "2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00Z"}},
		{"London 02:30, fall back: once, in GMT", "Europe/London", "30 2 * * *", "2026-10-23T12:00:00+01:00",
			[]string{"2026-10-24T02:30:00+01:00", "2026-10-25T02:30:00Z", "2026-10-26T02:30:00Z"}},

		// Weekday-only.
		{"Chicago weekdays 08:00 over the spring weekend", "America/Chicago", "0 8 * * 1-5", "2026-03-06T08:00:00-06:00",
			[]string{"2026-03-09T08:00:00-05:00", "2026-03-10T08:00:00-05:00"}},
		{"Chicago weekdays 08:00 over the fall weekend", "America/Chicago", "0 8 * * mon-fri", "2026-10-30T09:00:00-05:00",
			[]string{"2026-11-02T08:00:00-06:00", "2026-11-03T08:00:00-06:00"}},
		{"Chicago weekdays 08:00 from just before", "America/Chicago", "0 8 * * 1-5", "2026-11-30T07:59:59-06:00",
			[]string{"2026-11-30T08:00:00-06:00", "2026-12-01T08:00:00-06:00"}},

		// Ordinary days.
		{"UTC daily", "UTC", "0 8 * * *", "2026-06-10T08:00:00Z",
			[]string{"2026-06-11T08:00:00Z", "2026-06-12T08:00:00Z"}},
		{"Chicago summer evening", "America/Chicago", "45 17 * * *", "2026-07-01T00:00:00-05:00",
			[]string{"2026-07-01T17:45:00-05:00", "2026-07-02T17:45:00-05:00"}},
		{"Chicago monthly across spring", "America/Chicago", "0 9 1 * *", "2026-01-15T00:00:00-06:00",
			[]string{"2026-02-01T09:00:00-06:00", "2026-03-01T09:00:00-06:00", "2026-04-01T09:00:00-05:00"}},
		{"@daily descriptor", "Europe/London", "@daily", "2026-03-28T12:00:00Z",
			[]string{"2026-03-29T00:00:00Z", "2026-03-30T00:00:00+01:00"}},
		{"time zone prefix overrides the zone", "America/Chicago", "CRON_TZ=Europe/London 30 1 * * *", "2026-03-28T12:00:00Z",
			[]string{"2026-03-29T02:00:00+01:00"}},

		// Other zones' changes: at midnight, and by half an hour.
		{"Santiago 00:30: midnight is skipped on 6 September", "America/Santiago", "30 0 * * *", "2026-09-05T12:00:00-04:00",
			[]string{"2026-09-06T01:00:00-03:00", "2026-09-07T00:30:00-03:00"}},
		{"Santiago 23:30: the hour before midnight repeats on 4 April", "America/Santiago", "30 23 * * *", "2026-04-04T12:00:00-03:00",
			[]string{"2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00"}},
		{"Lord Howe 02:15: a half-hour gap", "Australia/Lord_Howe", "15 2 * * *", "2026-10-03T12:00:00+10:30",
			[]string{"2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"}},
		// Years served by the zone's TZ footer rule, where Time.ZoneBounds
		// is wrong at the end of a leap year (golang/go#81583).
		{"Chicago weekdays over the end of 2040", "America/Chicago", "0 8 * * 1-5", "2040-12-28T08:00:00-06:00",
			[]string{"2040-12-31T08:00:00-06:00", "2041-01-01T08:00:00-06:00"}},
		{"NY 02:30 on 11 March 2040", "America/New_York", "30 2 * * *", "2040-03-10T12:00:00-05:00",
			[]string{"2040-03-11T03:00:00-04:00", "2040-03-12T02:30:00-04:00"}},
		{"Lord Howe 01:45: a half hour that repeats", "Australia/Lord_Howe", "45 1 * * *", "2026-04-04T12:00:00+11:00",
			[]string{"2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"}},
	}
	for _, tt := range tests {
		sched, err := cronspec.Parse(tt.spec, mustZone(t, tt.zone))
		if err != nil {
			t.Errorf("%s: %v", tt.desc, err)
			continue
		}
		at := ts(t, tt.from)
		for i, w := range tt.want {
			next := sched.Next(at)
			if want := ts(t, w); !next.Equal(want) {
				t.Errorf("%s: run %d after %s = %s, want %s", tt.desc, i+1, at.Format(time.RFC3339), next.Format(time.RFC3339), want.Format(time.RFC3339))
				break
			}
			if next.Location().String() != sched.Location().String() {
				t.Errorf("%s: Next returned a time in %s, want %s", tt.desc, next.Location(), sched.Location())
			}
			at = next
		}
	}
}

// TestRobfigDST records what robfig/cron's own schedules do on the change
// days, which is why Schedule exists: New York's 01:30 twice on 1 November,
// 02:30 not at all on 8 March.
func TestRobfigDST(t *testing.T) {
	runs := func(spec string, from time.Time, n int) []string {
		s, err := cron.ParseStandard(spec)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for range n {
			from = s.Next(from)
			out = append(out, from.In(mustZone(t, "America/New_York")).Format(time.RFC3339))
		}
		return out
	}
	got := runs("CRON_TZ=America/New_York 30 1 * * *", ts(t, "2026-10-31T12:00:00Z"), 2)
	if want := []string{"2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00"}; !slices.Equal(got, want) {
		t.Errorf("robfig 01:30 on fall back: %v, want %v (twice)", got, want)
	}
	got = runs("CRON_TZ=America/New_York 30 2 * * *", ts(t, "2026-03-07T12:00:00Z"), 1)
	if want := "2026-03-09T02:30:00-04:00"; got[0] != want {
		t.Errorf("robfig 02:30 on spring forward: %v, want %v (8 March skipped)", got, want)
	}
}

// TestScheduleOncePerDay walks 2026, and 2040 (a leap year past the zones'
// explicit transitions), day by day for daily specs at the wall times clock
// changes touch, in zones that change at 01:00, 02:00, midnight and by half
// an hour: every local date gets exactly one run, at the spec's wall time
// or, on the day that time does not exist, at the instant the clocks changed.
func TestScheduleOncePerDay(t *testing.T) {
	zones := []string{"America/New_York", "Europe/London", "America/Chicago", "America/Santiago", "Australia/Lord_Howe", "Australia/Sydney", "UTC"}
	specs := []struct {
		spec   string
		hh, mm int
	}{{"30 1 * * *", 1, 30}, {"30 2 * * *", 2, 30}, {"0 2 * * *", 2, 0}, {"15 2 * * *", 2, 15}, {"30 0 * * *", 0, 30}, {"30 23 * * *", 23, 30}}
	for _, year := range []int{2026, 2040} {
		for _, zone := range zones {
			loc := mustZone(t, zone)
			for _, sp := range specs {
				sched := cronspec.MustParse(sp.spec, loc)
				days := map[string]int{}
				from := time.Date(year, 1, 1, 0, 0, 0, 0, loc).Add(-time.Second)
				for at := sched.Next(from); at.Year() == year; at = sched.Next(at) {
					local := at.In(loc)
					days[local.Format("2006-01-02")]++
					if local.Hour() != sp.hh || local.Minute() != sp.mm {
						// Only allowed at a clock change, for a wall time it skipped.
						_, before := at.Add(-time.Second).In(loc).Zone()
						_, after := local.Zone()
						if before >= after {
							t.Errorf("%s %q: run at %s is neither %02d:%02d nor a clock change", zone, sp.spec, local.Format(time.RFC3339), sp.hh, sp.mm)
						}
					}
					if prev := sched.Prev(at); !prev.Equal(at) {
						t.Errorf("%s %q: Prev(%s) = %s, want itself", zone, sp.spec, at, prev)
					}
				}
				if want := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour); len(days) != int(want) {
					t.Errorf("%s %q: runs on %d days of %d, want %d", zone, sp.spec, len(days), year, want)
				}
				for day, n := range days {
					if n != 1 {
						t.Errorf("%s %q: %d runs on %s, want 1", zone, sp.spec, n, day)
					}
				}
			}
		}
	}
}

func TestSchedulePrevBetween(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	chicago := mustZone(t, "America/Chicago")
	prev := []struct {
		desc, zone, spec, at, want string
	}{
		{"at a run: itself", "America/New_York", "30 2 * * *", "2026-03-08T03:00:00-04:00", "2026-03-08T03:00:00-04:00"},
		{"a second before the gap's run", "America/New_York", "30 2 * * *", "2026-03-08T01:59:59-05:00", "2026-03-07T02:30:00-05:00"},
		{"second pass of the repeated hour: the first 01:30", "America/New_York", "30 1 * * *", "2026-11-01T01:45:00-05:00", "2026-11-01T01:30:00-04:00"},
		{"weekday job on a Sunday: Friday's", "America/Chicago", "0 8 * * 1-5", "2026-03-08T12:00:00-05:00", "2026-03-06T08:00:00-06:00"},
		{"leap day, years back", "America/Chicago", "0 9 29 2 *", "2027-01-01T00:00:00-06:00", "2024-02-29T09:00:00-06:00"},
	}
	for _, tt := range prev {
		got := cronspec.MustParse(tt.spec, mustZone(t, tt.zone)).Prev(ts(t, tt.at))
		if want := ts(t, tt.want); !got.Equal(want) {
			t.Errorf("%s: Prev(%s) = %s, want %s", tt.desc, tt.at, got.Format(time.RFC3339), tt.want)
		}
	}

	weekdays := cronspec.MustParse("0 8 * * 1-5", chicago)
	a, b := ts(t, "2026-11-30T08:00:00-06:00"), ts(t, "2026-12-03T09:00:00-06:00")
	got, n := weekdays.Between(a, b, 0)
	want := []string{"2026-12-01T08:00:00-06:00", "2026-12-02T08:00:00-06:00", "2026-12-03T08:00:00-06:00"}
	if n != 3 || !sameInstants(t, got, want) {
		t.Errorf("Between(%s, %s] = %v (%d), want %v", a, b, got, n, want)
	}
	got, n = weekdays.Between(a, b, 2)
	if n != 3 || !sameInstants(t, got, want[1:]) {
		t.Errorf("Between(%s, %s] limit 2 = %v (%d), want the newest two of 3: %v", a, b, got, n, want[1:])
	}
	// (a, b] across New York's gap: the 02:30 run is the change instant.
	got, n = cronspec.MustParse("30 2 * * *", ny).Between(ts(t, "2026-03-07T02:30:00-05:00"), ts(t, "2026-03-08T03:00:00-04:00"), 0)
	if n != 1 || !sameInstants(t, got, []string{"2026-03-08T03:00:00-04:00"}) {
		t.Errorf("Between across the gap = %v (%d), want [2026-03-08T03:00:00-04:00]", got, n)
	}
}

func sameInstants(t *testing.T, got []time.Time, want []string) bool {
	t.Helper()
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !got[i].Equal(ts(t, want[i])) {
			return false
		}
	}
	return true
}

// TestParseRefuses checks that a bad spec is refused up front with a
// message that names it.
func TestParseRefuses(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	tests := []struct{ spec, reason string }{
		{"61 8 * * *", "above maximum"},
		{"0 8 * *", "expected exactly 5 fields"},
		{"0 0 8 * * *", "expected exactly 5 fields"},
		{"", "empty spec"},
		{"0 8 * * mon-fry", "fry"},
		{"@every 1h", "interval"},
		{"@hourlyish", "unrecognized descriptor"},
		{"0 0 31 2 *", "never matches"},
		{"TZ=Mars/Base 0 8 * * *", "Mars/Base"},
		{"CRON_TZ=UTC", "followed by a spec"},
		{"TZ= 0 8 * * *", "names no IANA time zone"},
	}
	for _, tt := range tests {
		_, err := cronspec.Parse(tt.spec, chicago)
		if err == nil {
			t.Errorf("Parse(%q) accepted it", tt.spec)
			continue
		}
		msg := upgradebot.ErrorMessage(err)
		if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(msg, `"`+tt.spec+`"`) || !strings.Contains(msg, tt.reason) {
			t.Errorf("Parse(%q) = %v; want EINVALID naming the spec and %q", tt.spec, err, tt.reason)
		}
	}
	if _, err := cronspec.Parse("0 8 * * *", nil); err == nil {
		t.Error("Parse with no zone accepted it")
	}
}

// FuzzParse checks that no spec crashes the parser and that every
// accepted one moves forward: Next is after t, and Prev finds it again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0 8 * * 1-5", "30 2 * * *", "*/15 * * * *", "@daily", "CRON_TZ=Europe/London 30 1 * * *",
		"TZ=UTC", "0 0 29 2 *", "5-10/2 1,2 */3 jan-mar sun", "@every 1h", "? ? ? ? ?"} {
		f.Add(s, int64(1793512800)) // 2026-11-01T01:00:00-05:00
	}
	ny := mustZone(f, "America/New_York")
	f.Fuzz(func(t *testing.T, spec string, unix int64) {
		sched, err := cronspec.Parse(spec, ny)
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(err), fmt.Sprintf("%q", spec)) {
				t.Errorf("Parse(%q) = %v, want EINVALID naming the spec", spec, err)
			}
			return
		}
		at := time.Unix(unix%(1<<33), 0) // within about 270 years of 1970
		next := sched.Next(at)
		if next.IsZero() {
			return
		}
		if !next.After(at) {
			t.Errorf("%q: Next(%s) = %s, not after it", spec, at, next)
		}
		if prev := sched.Prev(next); !prev.Equal(next) {
			t.Errorf("%q: Prev(Next(%s) = %s) = %s", spec, at, next, prev)
		}
	})
}

func BenchmarkScheduleNext(b *testing.B) {
	sched := cronspec.MustParse("0 8 * * 1-5", mustZone(b, "America/Chicago"))
	at := ts(b, "2026-01-01T00:00:00Z")
	for b.Loop() {
		at = sched.Next(at)
	}
}
