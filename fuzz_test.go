package upgradebot_test

import (
	"testing"

	"github.com/upgradebot/upgradebot"
)

// FuzzParsePhasePlan: any text is a plan or an EINVALID, never a panic; a
// plan read is valid and reads back from its canonical form unchanged.
//
//	go test . -run '^$' -fuzz FuzzParsePhasePlan -fuzztime 60s
func FuzzParsePhasePlan(f *testing.F) {
	for _, s := range []string{
		"review:2w,build:4w,test:5w,train:3w,go-live:1w",
		"assess:1w build:4w cutover:10d",
		"a:1d,a:1d", "review:0w", "Review:2W", "x:367d", "go live:1w", ",,", "review:2w,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plan, err := upgradebot.ParsePhasePlan(s)
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Fatalf("ParsePhasePlan(%q) = %v, want EINVALID", s, err)
			}
			return
		}
		if err := plan.Validate(); err != nil {
			t.Fatalf("ParsePhasePlan(%q) read an invalid plan %v: %v", s, plan, err)
		}
		again, err := upgradebot.ParsePhasePlan(plan.String())
		if err != nil || again.String() != plan.String() {
			t.Fatalf("%q read as %q, which reads back as %q, %v", s, plan.String(), again.String(), err)
		}
		for _, p := range plan.Phases() {
			if got, err := plan.Parse(string(p)); err != nil || got != p {
				t.Fatalf("plan %q: Parse(%q) = %q, %v", plan.String(), p, got, err)
			}
		}
	})
}

// FuzzValidateSetting: any key and value are accepted in a canonical form
// or refused with EINVALID, never a panic; the canonical form is accepted
// as it is.
//
//	go test . -run '^$' -fuzz FuzzValidateSetting -fuzztime 60s
func FuzzValidateSetting(f *testing.F) {
	for _, kv := range [][2]string{
		{upgradebot.SettingHours, "08:00-17:00"}, {upgradebot.SettingLeads, "30, 14,7,1d"},
		{upgradebot.SettingTimeZone, "America/Chicago"}, {upgradebot.SettingChannel, "C0123ABCD"},
		{upgradebot.SettingWorkloadHours, "40h"}, {upgradebot.SettingAllClear, "Yes"},
		{upgradebot.SettingPhases, "review:2w build:4w"}, {upgradebot.SettingSchedulePrefix + "digest", " 0  8 * * 1-5 "},
		{upgradebot.SettingRefURL, "https://itsm.example/{ref}"}, {upgradebot.SettingRefURL, "NONE"},
		{"nope", "x"},
	} {
		f.Add(kv[0], kv[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		canon, err := upgradebot.ValidateSetting(key, value)
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Fatalf("ValidateSetting(%q, %q) = %v, want EINVALID", key, value, err)
			}
			return
		}
		again, err := upgradebot.ValidateSetting(key, canon)
		if err != nil || again != canon {
			t.Fatalf("ValidateSetting(%q, %q) = %q, which gives %q, %v", key, value, canon, again, err)
		}
	})
}
