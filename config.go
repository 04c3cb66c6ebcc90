package upgradebot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Setting keys that admins change with `/upgrade config` through
// SettingsService.SetSettings. Values are stored as text in the canonical
// form ValidateSetting returns.
const (
	SettingChannel        = "channel"             // team channel id, C…
	SettingTimeZone       = "tz"                  // IANA zone name
	SettingHours          = "hours"               // working hours, "08:00-17:00"
	SettingLeads          = "leads"               // release reminder lead times in days, "30,14,7,1"
	SettingNudgeEvery     = "nudge.every"         // working days between nudges
	SettingNudgeAfter     = "nudge.after"         // nudges before the channel is told
	SettingEscalateRemind = "escalation.remind"   // working days before the owner is reminded
	SettingEscalateThen   = "escalation.escalate" // working days from the reminder to escalation
	SettingAllClear       = "digest.allclear"     // "on" or "off"
	SettingWorkloadHours  = "workload.hours"      // estimated open hours above which a person is overloaded
	SettingWorkloadTasks  = "workload.tasks"      // open tasks above which a person is overloaded
	SettingPHIMRN         = "phi.mrn"             // the team's MRN pattern (see ValidateMRNPattern), or "default"
	SettingRefURL         = "refurl"              // a ticket's address, "https://itsm.example/{ref}" (see RefLink), or ""
	// SettingPhases is the team's cycle as ParsePhasePlan reads it,
	// "review:2w,build:4w,test:5w,train:3w,go-live:1w"; the last phase
	// is the go-live. SettingsService.SetSettings refuses to drop a name
	// still in use.
	SettingPhases = "phases"
	// SettingSchedulePrefix + a job name (see ScheduledJobs) is that
	// job's cron spec.
	SettingSchedulePrefix = "schedule."
)

// ScheduledJob names a scheduled job whose schedule can be stored, as
// `upgradebot run-job NAME` takes it, with its default cron spec.
type ScheduledJob struct {
	Name        string
	DefaultSpec string
}

// ScheduledJobs are the team's scheduled jobs. The scheduler package
// defines and runs them (it cannot be imported where this list is needed);
// its tests check that the two agree.
var ScheduledJobs = []ScheduledJob{
	{"digest", "0 8 * * 1-5"},
	{"release-reminders", "0 9 * * 1-5"},
	{"nudges", "0 9-16 * * 1-5"},
	{"escalation", "30 9 * * 1-5"},
	{"cleanups", "0 6 * * *"},
}

// JobNames returns the names of ScheduledJobs, in order.
func JobNames() []string {
	names := make([]string, len(ScheduledJobs))
	for i, j := range ScheduledJobs {
		names[i] = j.Name
	}
	return names
}

// Bounds of the numeric settings.
const (
	MaxNudgeEvery  = 20 // working days
	MaxNudgeAfter  = 20 // nudges
	MaxEscalateDay = 30 // working days
	MaxSpecLen     = 100
	MaxWorkHours   = 1000 // workload threshold, hours
	MaxWorkTasks   = 1000 // workload threshold, tasks
)

// ValidateSetting checks value for key and returns it in canonical form,
// or EINVALID with the reason. Of a schedule it checks only the setting (a
// known job, a spec neither empty nor too long, and no zone prefix: the
// jobs run in the team's zone); the spec itself is read by one parser,
// cronspec, which callers that set a schedule call on the canonical value
// (the root package may not import it).
func ValidateSetting(key, value string) (string, error) {
	value = strings.TrimSpace(value)
	switch key {
	case SettingChannel:
		if !ValidChannelID(value) {
			return "", Errorf(EINVALID, "%q is not a Slack channel; pick it from Slack's list (#name) or give its id, like C0123ABCD", clipSetting(value))
		}
		return value, nil
	case SettingTimeZone:
		if value == "" || value == "Local" || strings.EqualFold(value, "local") {
			return "", Errorf(EINVALID, "give an IANA time zone like America/Chicago")
		}
		if _, err := time.LoadLocation(value); err != nil {
			return "", Errorf(EINVALID, "%q is not an IANA time zone like America/Chicago or Europe/London", clipSetting(value))
		}
		return value, nil
	case SettingHours:
		start, end, err := ParseHours(value)
		if err != nil {
			return "", err
		}
		return FormatHours(start, end), nil
	case SettingLeads:
		leads, err := ParseLeads(value)
		if err != nil {
			return "", err
		}
		return FormatLeads(leads), nil
	case SettingNudgeEvery:
		return settingInt(value, "nudges every", 1, MaxNudgeEvery, "working days")
	case SettingNudgeAfter:
		return settingInt(value, "nudges after", 1, MaxNudgeAfter, "nudges")
	case SettingEscalateRemind:
		return settingInt(value, "escalation remind", 1, MaxEscalateDay, "working days")
	case SettingEscalateThen:
		return settingInt(value, "escalation escalate", 1, MaxEscalateDay, "working days")
	case SettingWorkloadHours:
		return settingInt(strings.TrimSuffix(value, "h"), "workload hours", 1, MaxWorkHours, "hours")
	case SettingWorkloadTasks:
		return settingInt(value, "workload tasks", 1, MaxWorkTasks, "tasks")
	case SettingPhases:
		plan, err := ParsePhasePlan(value)
		if err != nil {
			return "", err
		}
		return plan.String(), nil
	case SettingPHIMRN:
		return ValidateMRNPattern(value)
	case SettingRefURL:
		return ValidateRefURL(value)
	case SettingAllClear:
		switch strings.ToLower(value) {
		case "on", "yes", "true":
			return "on", nil
		case "off", "no", "false":
			return "off", nil
		}
		return "", Errorf(EINVALID, "all-clear is on or off, not %q", clipSetting(value))
	}
	if job, ok := strings.CutPrefix(key, SettingSchedulePrefix); ok {
		if !slices.Contains(JobNames(), job) {
			return "", Errorf(EINVALID, "%q is not a job; the jobs are %s", clipSetting(job), strings.Join(JobNames(), ", "))
		}
		switch {
		case value == "":
			return "", Errorf(EINVALID, "the schedule of %s is empty; give a cron spec like \"0 8 * * 1-5\"", job)
		case len(value) > MaxSpecLen:
			return "", Errorf(EINVALID, "a schedule of %d characters is longer than the %d allowed", len(value), MaxSpecLen)
		case strings.HasPrefix(value, "TZ=") || strings.HasPrefix(value, "CRON_TZ="):
			return "", Errorf(EINVALID, "schedules run in the team's time zone; drop the %s prefix", value[:strings.Index(value, "=")+1])
		}
		return strings.Join(strings.Fields(value), " "), nil
	}
	return "", Errorf(EINVALID, "%q is not a setting", clipSetting(key))
}

func settingInt(value, what string, lo, hi int, unit string) (string, error) {
	n, err := strconv.Atoi(value)
	if err != nil || n < lo || n > hi {
		return "", Errorf(EINVALID, "%s must be a whole number of %s from %d to %d, not %q", what, unit, lo, hi, clipSetting(value))
	}
	return strconv.Itoa(n), nil
}

func clipSetting(s string) string { return clipRunes(s, 40) }

// ParseHours reads working hours written as 08:00-17:00 (24:00 is the end
// of the day).
func ParseHours(s string) (start, end time.Duration, err error) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return 0, 0, Errorf(EINVALID, "write working hours as 08:00-17:00, not %q", clipSetting(s))
	}
	if start, err = parseClock(a); err == nil {
		end, err = parseClock(b)
	}
	if err != nil {
		return 0, 0, Errorf(EINVALID, "write working hours as 08:00-17:00; %q is not a time of day", clipSetting(err.Error()))
	}
	w := WorkingTime{Start: start, End: end}
	if start == 0 && end == 0 {
		return 0, 0, Errorf(EINVALID, "working hours end (00:00) before they start (00:00)")
	}
	if err := w.Validate(); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}

// parseClock reads 08:00 or 8:00; on failure the error's text is the input.
func parseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || len(h) < 1 || len(h) > 2 ||
		hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%s", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// FormatHours writes working hours as ParseHours reads them.
func FormatHours(start, end time.Duration) string { return clock(start) + "-" + clock(end) }

// ParseLeads reads lead times in days, "30,14,7,1" (commas or spaces),
// checked with ValidateLeads and returned longest first without duplicates.
func ParseLeads(s string) ([]int, error) {
	var leads []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(strings.TrimSuffix(f, "d"))
		if err != nil {
			return nil, Errorf(EINVALID, "lead time %q is not a number of days; write them like 30,14,7,1", clipSetting(f))
		}
		leads = append(leads, n)
	}
	if err := ValidateLeads(leads); err != nil {
		return nil, err
	}
	slices.Sort(leads)
	leads = slices.Compact(leads)
	slices.Reverse(leads)
	return leads, nil
}

// FormatLeads writes lead times as ParseLeads reads them.
func FormatLeads(leads []int) string {
	s := make([]string, len(leads))
	for i, l := range leads {
		s[i] = strconv.Itoa(l)
	}
	return strings.Join(s, ",")
}

// StoredConfig is the configuration kept in the settings, typed. Zero
// fields were never set (or are unreadable): the caller's defaults apply,
// but for Phases, which holds the default plan then.
type StoredConfig struct {
	// Phases is the team's cycle: DefaultPhasePlan unless set (PhasesSet).
	Phases    PhasePlan
	PhasesSet bool

	WorkStart, WorkEnd time.Duration
	Leads              []int
	NudgeEvery         int
	NudgeAfter         int
	EscalateRemind     int
	EscalateThen       int
	AllClear           bool
	AllClearSet        bool
	Schedules          map[string]string // cron spec by job name, as stored: cronspec reads it
	Workload           WorkloadLimits    // zero fields: the defaults
	RefURL             string            // the ticket URL template; "" for none
}

// Config reads the stored configuration out of s.Values. Values that do
// not validate (they were checked when set) are ignored.
func (s Settings) Config() StoredConfig {
	var c StoredConfig
	get := func(key string) (string, bool) {
		v, ok := s.Values[key]
		if !ok {
			return "", false
		}
		v, err := ValidateSetting(key, v)
		return v, err == nil
	}
	num := func(key string) int {
		v, ok := get(key)
		if !ok {
			return 0
		}
		n, _ := strconv.Atoi(v)
		return n
	}
	if v, ok := get(SettingHours); ok {
		c.WorkStart, c.WorkEnd, _ = ParseHours(v)
	}
	if v, ok := get(SettingLeads); ok {
		c.Leads, _ = ParseLeads(v)
	}
	c.NudgeEvery, c.NudgeAfter = num(SettingNudgeEvery), num(SettingNudgeAfter)
	c.EscalateRemind, c.EscalateThen = num(SettingEscalateRemind), num(SettingEscalateThen)
	c.Workload = WorkloadLimits{Hours: num(SettingWorkloadHours), Tasks: num(SettingWorkloadTasks)}
	if v, ok := get(SettingAllClear); ok {
		c.AllClear, c.AllClearSet = v == "on", true
	}
	if v, ok := get(SettingRefURL); ok {
		c.RefURL = v
	}
	c.Phases = DefaultPhasePlan()
	if v, ok := get(SettingPhases); ok {
		c.Phases, _ = ParsePhasePlan(v)
		c.PhasesSet = true
	}
	for _, job := range JobNames() {
		if v, ok := get(SettingSchedulePrefix + job); ok {
			if c.Schedules == nil {
				c.Schedules = map[string]string{}
			}
			c.Schedules[job] = v
		}
	}
	return c
}
