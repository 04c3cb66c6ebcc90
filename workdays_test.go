package upgradebot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

func chicago(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// team is the calendar the tests use: Chicago, default hours and days,
// with Christmas Eve and Christmas Day 2026 (Thursday and Friday) off.
func team(t *testing.T) upgradebot.WorkingTime {
	return upgradebot.WorkingTime{Location: chicago(t), Holidays: []upgradebot.Date{date("2026-12-24"), date("2026-12-25")}}
}

func TestIsWorkingDay(t *testing.T) {
	cal := team(t)
	for _, tt := range []struct {
		day  string
		want bool
	}{
		{"2026-11-30", true},  // Monday
		{"2026-12-04", true},  // Friday
		{"2026-12-05", false}, // Saturday
		{"2026-12-06", false}, // Sunday
		{"2026-12-24", false}, // holiday, a Thursday
		{"2026-12-25", false}, // holiday, a Friday
		{"2026-12-28", true},
	} {
		if got := cal.IsWorkingDay(date(tt.day)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
	sixDays := upgradebot.WorkingTime{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}}
	if !sixDays.IsWorkingDay(date("2026-12-05")) || sixDays.IsWorkingDay(date("2026-12-06")) {
		t.Error("a Monday-Saturday calendar should work on Saturday and not on Sunday")
	}
}

func TestWithinWorkingHours(t *testing.T) {
	loc := chicago(t)
	cal := team(t)
	late := cal
	late.Start, late.End = 10*time.Hour, 18*time.Hour+30*time.Minute
	for _, tt := range []struct {
		desc string
		cal  upgradebot.WorkingTime
		at   time.Time
		want bool
	}{
		{"Monday 08:00, the first minute", cal, time.Date(2026, 11, 30, 8, 0, 0, 0, loc), true},
		{"Monday 07:59", cal, time.Date(2026, 11, 30, 7, 59, 59, 0, loc), false},
		{"Monday 16:59", cal, time.Date(2026, 11, 30, 16, 59, 0, 0, loc), true},
		{"Monday 17:00, closed", cal, time.Date(2026, 11, 30, 17, 0, 0, 0, loc), false},
		{"Saturday 10:00", cal, time.Date(2026, 12, 5, 10, 0, 0, 0, loc), false},
		{"holiday 10:00", cal, time.Date(2026, 12, 24, 10, 0, 0, 0, loc), false},
		{"Monday 15:00 UTC is 09:00 in Chicago", cal, time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), true},
		{"Tuesday 01:00 UTC is Monday 19:00 in Chicago", cal, time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), false},
		{"Saturday 03:00 UTC is Friday 21:00 in Chicago", cal, time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC), false},
		{"the day after spring forward, 08:30 CDT", cal, time.Date(2026, 3, 9, 8, 30, 0, 0, loc), true},
		{"10:00-18:30: 18:15", late, time.Date(2026, 11, 30, 18, 15, 0, 0, loc), true},
		{"10:00-18:30: 09:00", late, time.Date(2026, 11, 30, 9, 0, 0, 0, loc), false},
	} {
		if got := tt.cal.WithinWorkingHours(tt.at); got != tt.want {
			t.Errorf("%s: WithinWorkingHours = %v, want %v", tt.desc, got, tt.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	cal := team(t)
	for _, tt := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-30", 0, "2026-11-30"},
		{"2026-12-05", 0, "2026-12-05"}, // 0 is the day itself, working or not
		{"2026-11-30", 1, "2026-12-01"},
		{"2026-12-04", 1, "2026-12-07"}, // Friday to Monday
		{"2026-12-05", 1, "2026-12-07"}, // Saturday to Monday
		{"2026-12-04", 5, "2026-12-11"},
		{"2026-12-22", 2, "2026-12-28"}, // Tuesday, then Wednesday; Thursday and Friday are holidays
		{"2026-12-23", 1, "2026-12-28"},
		{"2026-12-28", -1, "2026-12-23"},
		{"2026-12-07", -1, "2026-12-04"},
		{"2026-12-31", 1, "2027-01-01"}, // New Year's Day is not on the list: a working day
	} {
		if got := cal.AddWorkingDays(date(tt.from), tt.n); got != date(tt.want) {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := cal.NextWorkingDay(date("2026-12-23")); got != date("2026-12-28") {
		t.Errorf("NextWorkingDay(23 Dec) = %s, want 28 Dec", got)
	}
	for _, tt := range []struct {
		from, to string
		want     int
	}{
		{"2026-11-30", "2026-11-30", 0},
		{"2026-11-30", "2026-12-01", 1},
		{"2026-12-04", "2026-12-07", 1}, // the weekend does not count
		{"2026-12-22", "2026-12-28", 2}, // nor do the holidays
		{"2026-12-07", "2026-12-04", 0},
	} {
		if got := cal.WorkingDaysBetween(date(tt.from), date(tt.to)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestWorkingTimeValidate(t *testing.T) {
	for _, tt := range []struct {
		desc string
		w    upgradebot.WorkingTime
		want string
	}{
		{"defaults", upgradebot.WorkingTime{}, ""},
		{"end before start", upgradebot.WorkingTime{Start: 17 * time.Hour, End: 8 * time.Hour}, "end (08:00) before they start (17:00)"},
		{"past midnight", upgradebot.WorkingTime{Start: 8 * time.Hour, End: 25 * time.Hour}, "within the day"},
		{"bad weekday", upgradebot.WorkingTime{Days: []time.Weekday{9}}, "not a day of the week"},
	} {
		err := tt.w.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate = %v", tt.desc, err)
		case tt.want != "" && (err == nil || !strings.Contains(upgradebot.ErrorMessage(err), tt.want)):
			t.Errorf("%s: Validate = %v, want %q", tt.desc, err, tt.want)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	got, err := upgradebot.ParseHolidays("2026-12-25, 2026-12-24,2026-12-25\n2027-01-01")
	if err != nil {
		t.Fatal(err)
	}
	want := []upgradebot.Date{date("2026-12-24"), date("2026-12-25"), date("2027-01-01")}
	if !slices.Equal(got, want) {
		t.Errorf("ParseHolidays = %v, want %v", got, want)
	}
	if s := upgradebot.FormatHolidays(got); s != "2026-12-24,2026-12-25,2027-01-01" {
		t.Errorf("FormatHolidays = %q", s)
	}
	if got, err := upgradebot.ParseHolidays(""); err != nil || len(got) != 0 {
		t.Errorf("ParseHolidays(\"\") = %v, %v; want none", got, err)
	}
	if _, err := upgradebot.ParseHolidays("2026-12-25,xmas"); upgradebot.ErrorCode(err) != upgradebot.EINVALID || !strings.Contains(upgradebot.ErrorMessage(err), `"xmas"`) {
		t.Errorf("ParseHolidays(xmas) = %v, want EINVALID naming it", err)
	}
}
