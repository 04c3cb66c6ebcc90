package bot

import (
	"errors"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testThursday is the fixed "today" of the parser tests: Thursday 26 Nov 2026.
var testThursday = upgradebot.Date{Year: 2026, Month: 11, Day: 26}

// day parses an ISO date for a test table; "" is the zero Date.
func mustISO(tb testing.TB, s string) upgradebot.Date {
	tb.Helper()
	d, err := upgradebot.ParseDate(s)
	if err != nil {
		tb.Fatalf("bad date %q in test table: %v", s, err)
	}
	return d
}

// wantInvalid fails unless err is an *upgradebot.Error with code EINVALID
// whose message contains every one of want.
func wantInvalid(tb testing.TB, err error, want ...string) {
	tb.Helper()
	var e *upgradebot.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error = %v (%T), want *upgradebot.Error", err, err)
	}
	if e.Code != upgradebot.EINVALID {
		tb.Errorf("code = %q, want %q (message %q)", e.Code, upgradebot.EINVALID, e.Message)
	}
	if strings.TrimSpace(e.Message) == "" {
		tb.Errorf("empty message")
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			tb.Errorf("message %q does not contain %q", e.Message, w)
		}
	}
}

// testFriday is the day after testThursday, for "fri on a Friday".
var testFriday = upgradebot.Date{Year: 2026, Month: 11, Day: 27}

// dateWordTests are also seeds of FuzzParseDateWord.
var dateWordTests = []struct {
	desc  string
	word  string
	today upgradebot.Date // zero: testThursday
	want  string          // ISO date; "" when an error is expected
	err   []string        // substrings of the error message
}{
	{desc: "iso", word: "2026-12-05", want: "2026-12-05"},
	{desc: "iso in the past", word: "2026-01-02", want: "2026-01-02"},
	{desc: "iso leap day", word: "2028-02-29", want: "2028-02-29"},
	{desc: "iso first year", word: "2000-01-01", want: "2000-01-01"},
	{desc: "iso last year", word: "2199-12-31", want: "2199-12-31"},
	{desc: "iso with spaces", word: "  2026-12-05 ", want: "2026-12-05"},
	{desc: "today", word: "today", want: "2026-11-26"},
	{desc: "tod", word: "tod", want: "2026-11-26"},
	{desc: "tomorrow", word: "tomorrow", want: "2026-11-27"},
	{desc: "tmrw", word: "tmrw", want: "2026-11-27"},
	{desc: "tmr", word: "tmr", want: "2026-11-27"},
	{desc: "tomorrow at month end", word: "tomorrow", today: upgradebot.Date{Year: 2026, Month: 12, Day: 31}, want: "2027-01-01"},

	// Weekdays: the next one strictly after today (a Thursday).
	{desc: "fri", word: "fri", want: "2026-11-27"},
	{desc: "friday", word: "friday", want: "2026-11-27"},
	{desc: "sat", word: "sat", want: "2026-11-28"},
	{desc: "saturday", word: "saturday", want: "2026-11-28"},
	{desc: "sun", word: "sun", want: "2026-11-29"},
	{desc: "sunday", word: "sunday", want: "2026-11-29"},
	{desc: "mon", word: "mon", want: "2026-11-30"},
	{desc: "monday", word: "monday", want: "2026-11-30"},
	{desc: "tue", word: "tue", want: "2026-12-01"},
	{desc: "tues", word: "tues", want: "2026-12-01"},
	{desc: "tuesday", word: "tuesday", want: "2026-12-01"},
	{desc: "wed", word: "wed", want: "2026-12-02"},
	{desc: "weds", word: "weds", want: "2026-12-02"},
	{desc: "wednesday", word: "wednesday", want: "2026-12-02"},
	{desc: "thu on a Thursday is a week out", word: "thu", want: "2026-12-03"},
	{desc: "thur", word: "thur", want: "2026-12-03"},
	{desc: "thurs", word: "thurs", want: "2026-12-03"},
	{desc: "thursday", word: "thursday", want: "2026-12-03"},
	{desc: "fri on a Friday is a week out", word: "fri", today: testFriday, want: "2026-12-04"},
	{desc: "sat from a Friday", word: "sat", today: testFriday, want: "2026-11-28"},
	{desc: "thu from a Friday", word: "thu", today: testFriday, want: "2026-12-03"},

	// Relative.
	{desc: "+3d", word: "+3d", want: "2026-11-29"},
	{desc: "3d", word: "3d", want: "2026-11-29"},
	{desc: "+0d is today", word: "+0d", want: "2026-11-26"},
	{desc: "10d crosses a month", word: "10d", want: "2026-12-06"},
	{desc: "2w", word: "2w", want: "2026-12-10"},
	{desc: "+2w", word: "+2w", want: "2026-12-10"},
	{desc: "+1m", word: "+1m", want: "2026-12-26"},
	{desc: "1m", word: "1m", want: "2026-12-26"},
	{desc: "jan 31 + 1m is feb 28", word: "+1m", today: upgradebot.Date{Year: 2027, Month: 1, Day: 31}, want: "2027-02-28"},
	{desc: "jan 31 + 1m in a leap year is feb 29", word: "1m", today: upgradebot.Date{Year: 2028, Month: 1, Day: 31}, want: "2028-02-29"},
	{desc: "leading zeros", word: "007d", want: "2026-12-03"},
	{desc: "largest days", word: "+3650d", want: "2036-11-23"},
	{desc: "largest weeks", word: "521w", want: "2036-11-20"},
	{desc: "largest months", word: "120m", want: "2036-11-26"},

	// Case does not matter.
	{desc: "upper FRI", word: "FRI", want: "2026-11-27"},
	{desc: "mixed Tomorrow", word: "Tomorrow", want: "2026-11-27"},
	{desc: "upper TODAY", word: "TODAY", want: "2026-11-26"},
	{desc: "upper +3D", word: "+3D", want: "2026-11-29"},
	{desc: "upper 2W", word: "2W", want: "2026-12-10"},
	{desc: "upper 1M", word: "1M", want: "2026-12-26"},
	{desc: "upper Wednesday", word: "WEDNESDAY", want: "2026-12-02"},

	// Refusals.
	{desc: "empty", word: "", err: []string{"missing", "2026-12-05", "+3d"}},
	{desc: "blank", word: "   ", err: []string{"missing", "2026-12-05", "+3d"}},
	{desc: "word", word: "someday", err: []string{`"someday"`, "2026-12-05", "+3d"}},
	{desc: "next friday", word: "nextfri", err: []string{`"nextfri"`, "2026-12-05", "+3d"}},
	{desc: "weekday with digits", word: "fri2", err: []string{`"fri2"`, "2026-12-05"}},
	{desc: "unknown unit", word: "3y", err: []string{`"3y"`, "2026-12-05", "+3d"}},
	{desc: "unit only", word: "d", err: []string{`"d"`, "+3d"}},
	{desc: "plus unit", word: "+d", err: []string{`"+d"`, "+3d"}},
	{desc: "number only", word: "3", err: []string{`"3"`, "+3d"}},
	{desc: "plus only", word: "+", err: []string{`"+"`, "+3d"}},
	{desc: "double plus", word: "++3d", err: []string{`"++3d"`, "+3d"}},
	{desc: "negative", word: "-3d", err: []string{`"-3d"`, "+3d"}},
	{desc: "plus negative", word: "+-3d", err: []string{`"+-3d"`, "+3d"}},
	{desc: "negative weeks", word: "-1w", err: []string{`"-1w"`}},
	{desc: "fraction", word: "1.5w", err: []string{`"1.5w"`}},
	{desc: "underscore digits", word: "1_0d", err: []string{`"1_0d"`}},
	{desc: "hex", word: "0x10d", err: []string{`"0x10d"`}},
	{desc: "space inside", word: "3 d", err: []string{`"3 d"`}},
	{desc: "slashes", word: "2026/12/05", err: []string{`"2026/12/05"`, "2026-12-05", "+3d"}},
	{desc: "us order", word: "12-05-2026", err: []string{`"12-05-2026"`}},
	{desc: "short iso", word: "2026-12-5", err: []string{`"2026-12-5"`}},
	{desc: "letters shaped like iso", word: "abcd-ef-gh", err: []string{`"abcd-ef-gh"`}},
	{desc: "feb 30", word: "2026-02-30", err: []string{`"2026-02-30"`, "2026-12-05", "+3d"}},
	{desc: "feb 29 not leap", word: "2027-02-29", err: []string{`"2027-02-29"`}},
	{desc: "month 13", word: "2026-13-01", err: []string{`"2026-13-01"`}},
	{desc: "day 0", word: "2026-12-00", err: []string{`"2026-12-00"`}},
	{desc: "year too early", word: "1999-12-31", err: []string{"1999-12-31", "2000-2199"}},
	{desc: "year zero", word: "0000-01-01", err: []string{"0000-01-01", "2000-2199"}},
	{desc: "year too late", word: "2200-01-01", err: []string{"2200-01-01", "2000-2199"}},
	{desc: "year 9999", word: "9999-12-31", err: []string{"9999-12-31"}},
	{desc: "days beyond ten years", word: "+3651d", err: []string{`"+3651d"`, "ten years"}},
	{desc: "weeks beyond ten years", word: "522w", err: []string{`"522w"`, "ten years"}},
	{desc: "months beyond ten years", word: "121m", err: []string{`"121m"`, "ten years"}},
	{desc: "huge days overflow", word: "+99999999999999999999d", err: []string{"99999999999999999999", "+3d"}},
	{desc: "max int weeks", word: "9223372036854775807w", err: []string{"9223372036854775807w"}},
	{desc: "max int days", word: "9223372036854775807d", err: []string{"9223372036854775807d"}},
	{desc: "max int months", word: "9223372036854775807m", err: []string{"9223372036854775807m"}},
	{desc: "weeks that wrap to small", word: "2635249153387078803w", err: []string{"2635249153387078803w"}},
	{desc: "min int", word: "-9223372036854775808d", err: []string{"-9223372036854775808d"}},
	{desc: "a range is not a date", word: "mon..fri", err: []string{`"mon..fri"`}},
	{desc: "invalid utf-8", word: "\xff\xfe", err: []string{"2026-12-05", "+3d"}},
	{desc: "nul", word: "fri\x00", err: []string{"+3d"}},
	{desc: "long word is clipped", word: strings.Repeat("x", 500), err: []string{strings.Repeat("x", 40) + "…"}},
}

func TestParseDateWord(t *testing.T) {
	for _, tc := range dateWordTests {
		t.Run(tc.desc, func(t *testing.T) {
			today := tc.today
			if today.IsZero() {
				today = testThursday
			}
			got, err := ParseDateWord(tc.word, today)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("ParseDateWord(%q) = %s, want an error", tc.word, got)
				}
				wantInvalid(t, err, tc.err...)
				if !got.IsZero() {
					t.Errorf("date on error = %s, want zero", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDateWord(%q): %v", tc.word, err)
			}
			if want := mustISO(t, tc.want); got != want {
				t.Errorf("ParseDateWord(%q) = %s (%s), want %s (%s)", tc.word, got, got.Human(), want, want.Human())
			}
		})
	}
}

// The long message of a refusal does not grow with the word.
func TestParseDateWordLongWord(t *testing.T) {
	_, err := ParseDateWord(strings.Repeat("9", 100000)+"d", testThursday)
	wantInvalid(t, err)
	if n := len(upgradebot.ErrorMessage(err)); n > 300 {
		t.Errorf("message is %d bytes long", n)
	}
}

// dateRangeTests are also seeds of FuzzParseDateWord.
var dateRangeTests = []struct {
	desc     string
	word     string
	from, to string
	err      []string
}{
	{desc: "iso", word: "2026-12-22..2027-01-02", from: "2026-12-22", to: "2027-01-02"},
	{desc: "one day", word: "2026-12-22..2026-12-22", from: "2026-12-22", to: "2026-12-22"},
	{desc: "today to tomorrow", word: "today..tomorrow", from: "2026-11-26", to: "2026-11-27"},
	{desc: "relative", word: "+1d..+2w", from: "2026-11-27", to: "2026-12-10"},
	{desc: "upper case", word: "TODAY..FRI", from: "2026-11-26", to: "2026-11-27"},
	{desc: "mixed", word: "tomorrow..2026-12-05", from: "2026-11-27", to: "2026-12-05"},
	// A weekday at the end is the first one on or after the start.
	{desc: "mon..fri on a Thursday is next week", word: "mon..fri", from: "2026-11-30", to: "2026-12-04"},
	{desc: "fri..mon", word: "fri..mon", from: "2026-11-27", to: "2026-11-30"},
	{desc: "fri..fri is one day", word: "fri..fri", from: "2026-11-27", to: "2026-11-27"},
	{desc: "thu..wed", word: "thu..wed", from: "2026-12-03", to: "2026-12-09"},
	{desc: "iso..weekday", word: "2026-12-22..fri", from: "2026-12-22", to: "2026-12-25"},
	{desc: "today..thu on a Thursday is a week", word: "today..thursday", from: "2026-11-26", to: "2026-12-03"},
	{desc: "weekday on the start day", word: "2026-12-25..fri", from: "2026-12-25", to: "2026-12-25"},
	{desc: "tomorrow..thu", word: "tomorrow..thu", from: "2026-11-27", to: "2026-12-03"},

	{desc: "not a range", word: "fri", err: []string{`"fri"`, "<from>..<to>"}},
	{desc: "empty", word: "", err: []string{"<from>..<to>"}},
	{desc: "dots only", word: "..", err: []string{"missing", "2026-12-05"}},
	{desc: "no start", word: "..fri", err: []string{"missing"}},
	{desc: "no end", word: "fri..", err: []string{"missing"}},
	{desc: "backwards", word: "2027-01-02..2026-12-22", err: []string{"2027-01-02..2026-12-22", "ends before it starts"}},
	{desc: "relative backwards", word: "+2w..+1d", err: []string{"ends before it starts"}},
	{desc: "bad start", word: "someday..fri", err: []string{`"someday"`, "2026-12-05", "+3d"}},
	{desc: "bad end", word: "fri..someday", err: []string{`"someday"`, "2026-12-05", "+3d"}},
	{desc: "three dots", word: "2026-12-22...2027-01-02", err: []string{`".2027-01-02"`}},
	{desc: "bad iso", word: "2026-02-30..2026-03-02", err: []string{`"2026-02-30"`}},
	{desc: "out of range year", word: "2026-12-22..2300-01-01", err: []string{"2300-01-01"}},
	{desc: "overflow", word: "today..+99999999999999999999d", err: []string{"99999999999999999999"}},
	{desc: "dash separator", word: "2026-12-22-2027-01-02", err: []string{"<from>..<to>"}},
}

func TestParseDateRange(t *testing.T) {
	for _, tc := range dateRangeTests {
		t.Run(tc.desc, func(t *testing.T) {
			from, to, err := ParseDateRange(tc.word, testThursday)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("ParseDateRange(%q) = %s..%s, want an error", tc.word, from, to)
				}
				wantInvalid(t, err, tc.err...)
				return
			}
			if err != nil {
				t.Fatalf("ParseDateRange(%q): %v", tc.word, err)
			}
			if want := mustISO(t, tc.from); from != want {
				t.Errorf("from = %s, want %s", from, want)
			}
			if want := mustISO(t, tc.to); to != want {
				t.Errorf("to = %s, want %s", to, want)
			}
		})
	}
}
