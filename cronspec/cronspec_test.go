package cronspec_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/cronspec"
)

// TestCheck is the table of what a schedule may be set to: each spec is
// accepted with its first run after a fixed time (in Chicago), or refused
// with EINVALID naming the spec and giving the reason. Parse in any zone
// and Check agree on every row.
func TestCheck(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	from := ts(t, "2026-11-27T12:00:00-06:00") // a Friday
	tests := []struct {
		desc, spec string
		first      string // the first run after from; "" when refused
		reason     string // in the refusal
	}{
		{desc: "weekdays 09:00", spec: "0 9 * * 1-5", first: "2026-11-30T09:00:00-06:00"},
		{desc: "weekday names", spec: "0 9 * * mon-fri", first: "2026-11-30T09:00:00-06:00"},
		{desc: "hourly in working hours", spec: "0 9-16 * * 1-5", first: "2026-11-27T13:00:00-06:00"},
		{desc: "every 15 minutes", spec: "*/15 * * * *", first: "2026-11-27T12:15:00-06:00"},
		{desc: "@daily", spec: "@daily", first: "2026-11-28T00:00:00-06:00"},
		{desc: "@weekly: Sunday midnight", spec: "@weekly", first: "2026-11-29T00:00:00-06:00"},
		{desc: "@monthly", spec: "@monthly", first: "2026-12-01T00:00:00-06:00"},
		{desc: "31st: only the months that have one", spec: "0 8 31 * *", first: "2026-12-31T08:00:00-06:00"},
		{desc: "leap day: every four years", spec: "0 0 29 2 *", first: "2028-02-29T00:00:00-06:00"},
		{desc: "30 February or a Monday in February (day fields are or-ed)", spec: "0 0 30 2 1", first: "2027-02-01T00:00:00-06:00"},
		{desc: "30 April or 31 May: one exists", spec: "0 0 30,31 4,5 *", first: "2027-04-30T00:00:00-05:00"},
		{desc: "extra spaces", spec: "  0  9 * * 1-5 ", first: "2026-11-30T09:00:00-06:00"},

		{desc: "30 February", spec: "0 0 30 2 *", reason: "it never matches a date"},
		{desc: "31 April", spec: "0 0 31 4 *", reason: "it never matches a date"},
		{desc: "31st of short months", spec: "0 0 31 2,4,6,9,11 *", reason: "it never matches a date"},
		{desc: "garbage", spec: "every morning", reason: "expected exactly 5 fields"},
		{desc: "garbage fields", spec: "a b c d e", reason: "failed to parse"},
		{desc: "empty", spec: "", reason: "empty spec"},
		{desc: "minute 60", spec: "60 9 * * *", reason: "above maximum"},
		{desc: "hour 24", spec: "0 24 * * *", reason: "above maximum"},
		{desc: "day 0", spec: "0 9 0 * *", reason: "below minimum"},
		{desc: "month 13", spec: "0 9 1 13 *", reason: "above maximum"},
		{desc: "weekday 8", spec: "0 9 * * 8", reason: "above maximum"},
		{desc: "backwards range", spec: "0 17-9 * * *", reason: "beyond end of range"},
		{desc: "six fields (seconds)", spec: "0 0 9 * * 1-5", reason: "expected exactly 5 fields"},
		{desc: "four fields", spec: "0 9 * *", reason: "expected exactly 5 fields"},
		{desc: "an interval", spec: "@every 1h", reason: "@every is an interval"},
		{desc: "unknown descriptor", spec: "@fortnightly", reason: "unrecognized descriptor"},
		{desc: "unknown zone", spec: "TZ=Mars/Base 0 9 * * *", reason: "Mars/Base"},
		{desc: "two zone prefixes", spec: "TZ=UTC CRON_TZ=Europe/London 0 9 * * *", reason: "two time zone prefixes"},
		{desc: "a zone prefix alone", spec: "CRON_TZ=UTC", reason: "followed by a spec"},
	}
	for _, tt := range tests {
		sched, err := cronspec.Parse(tt.spec, chicago)
		if cerr := cronspec.Check(tt.spec); (cerr == nil) != (err == nil) {
			t.Errorf("%s: Check(%q) = %v but Parse = %v", tt.desc, tt.spec, cerr, err)
		}
		if tt.first == "" {
			msg := upgradebot.ErrorMessage(err)
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(msg, fmt.Sprintf("%q", tt.spec)) || !strings.Contains(msg, tt.reason) {
				t.Errorf("%s: Parse(%q) = %v; want EINVALID naming the spec and %q", tt.desc, tt.spec, err, tt.reason)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.desc, tt.spec, err)
			continue
		}
		if got, want := sched.Next(from), ts(t, tt.first); !got.Equal(want) {
			t.Errorf("%s: %q first runs at %s, want %s", tt.desc, tt.spec, got.Format(time.RFC3339), tt.first)
		}
	}
}

// FuzzCheck checks that no spec crashes Check, that whatever it refuses is
// refused with EINVALID naming the spec, that it agrees with Parse in
// another zone (so a spec accepted when set is accepted at start), and
// that every spec it accepts runs within eight years of any time in the
// next century.
//
//	go test ./cronspec -run '^$' -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"0 9 * * 1-5", "0 0 30 2 *", "0 0 31 4 *", "0 0 29 2 *", "@daily", "@every 1h", "0 0 30 2 1",
		"TZ=UTC 0 9 * * *", "CRON_TZ=", "59 23 31 12 *", "*/7 */5 */3 */2 *", "? ? ? ? ?", "0 0 L * *", "1-60/0 * * * *"} {
		f.Add(s, int64(0))
	}
	sydney := mustZone(f, "Australia/Sydney")
	base := ts(f, "2026-01-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, spec string, offset int64) {
		err := cronspec.Check(spec)
		_, perr := cronspec.Parse(spec, sydney)
		if (err == nil) != (perr == nil) {
			t.Fatalf("Check(%q) = %v but Parse in Sydney = %v", spec, err, perr)
		}
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(err), fmt.Sprintf("%q", spec)) {
				t.Errorf("Check(%q) = %v, want EINVALID naming the spec", spec, err)
			}
			return
		}
		// From any minute in the next century, the next run comes within
		// eight years (29 February across 2100 is the longest wait).
		at := base.Add(time.Duration(uint64(offset)%(100*365*24*60)) * time.Minute)
		next := cronspec.MustParse(spec, sydney).Next(at)
		if next.IsZero() || next.After(at.AddDate(8, 0, 0)) {
			t.Errorf("%q accepted, but its next run after %s is %s", spec, at, next)
		}
	})
}
