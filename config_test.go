package upgradebot_test

import (
	"testing"

	"github.com/upgradebot/upgradebot"
)

func TestValidateSetting(t *testing.T) {
	for _, tc := range []struct {
		key, in, want string // want "" means refused
	}{
		{"channel", "C0123ABC", "C0123ABC"},
		{"channel", "#general", ""},
		{"tz", "America/Chicago", "America/Chicago"},
		{"tz", "Local", ""},
		{"tz", "Mars/Base", ""},
		{"hours", "8:00-17:30", "08:00-17:30"},
		{"hours", "00:00-24:00", "00:00-24:00"},
		{"hours", "09:00-09:00", ""},
		{"hours", "00:00-00:00", ""},
		{"hours", "9-5", ""},
		{"hours", "08:60-17:00", ""},
		{"leads", "1,30,7,7", "30,7,1"},
		{"leads", "", ""},
		{"leads", "-1", ""},
		{"nudge.every", "20", "20"},
		{"nudge.every", "21", ""},
		{"nudge.after", "0", ""},
		{"escalation.remind", "30", "30"},
		{"escalation.escalate", "x", ""},
		{"digest.allclear", "Yes", "on"},
		{"digest.allclear", "2", ""},
		{"schedule.digest", " 0  8 * * 1-5 ", "0 8 * * 1-5"},
		{"schedule.lunch", "0 12 * * *", ""},
		{"schedule.nudges", "CRON_TZ=UTC 0 9 * * *", ""},
		{"schedule.nudges", "", ""},
		{"phases", "review:14d build:28d, test:5w train:3w go-live:1w", "review:2w,build:4w,test:5w,train:3w,go-live:1w"},
		{"phases", "go-live:1w", ""},
		{"refurl", " https://itsm.example/{ref} ", "https://itsm.example/{ref}"},
		{"refurl", "https://itsm.example/", ""},
		{"refurl", "itsm.example/{ref}", ""},
		{"refurl", "https://itsm.example/{ref} x", ""},
		{"colour", "blue", ""},
	} {
		got, err := upgradebot.ValidateSetting(tc.key, tc.in)
		if tc.want == "" {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Errorf("ValidateSetting(%q, %q) = %q, %v; want EINVALID", tc.key, tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ValidateSetting(%q, %q) = %q, %v; want %q", tc.key, tc.in, got, err, tc.want)
		}
	}
}

func TestSettingsConfig(t *testing.T) {
	s := upgradebot.Settings{Values: map[string]string{
		"hours": "07:00-15:00", "leads": "14,3", "nudge.after": "5", "digest.allclear": "off",
		"schedule.cleanups": "0 5 * * *", "nudge.every": "garbage",
	}}
	c := s.Config()
	if c.WorkStart.Hours() != 7 || c.WorkEnd.Hours() != 15 || len(c.Leads) != 2 || c.NudgeAfter != 5 || c.NudgeEvery != 0 ||
		c.AllClear || !c.AllClearSet || c.Schedules["cleanups"] != "0 5 * * *" || len(c.Schedules) != 1 {
		t.Errorf("Config() = %+v", c)
	}
	if c := (upgradebot.Settings{}).Config(); c.Leads != nil || c.Schedules != nil || c.AllClearSet ||
		c.PhasesSet || c.Phases.String() != upgradebot.DefaultPhasePlan().String() {
		t.Errorf("empty Config() = %+v", c)
	}
	s.Values["phases"] = "assess:1w,cutover:1d"
	if c := s.Config(); !c.PhasesSet || c.Phases.Last() != "cutover" || c.Phases.Days("assess") != 7 {
		t.Errorf("Config().Phases = %v", c.Phases)
	}
}
