package upgradebot

import (
	"reflect"
	"testing"
	"time"
)

func TestParseEstimate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{in: "4h", want: 4 * time.Hour},
		{in: "1.5h", want: 90 * time.Minute},
		{in: "0.25H", want: 15 * time.Minute},
		{in: "2d", want: 16 * time.Hour},
		{in: "0.5d", want: 4 * time.Hour},
		{in: "1w", want: 40 * time.Hour},
		{in: "2000h", want: 2000 * time.Hour},
		{in: "2001h", bad: true},
		{in: "0h", bad: true},
		{in: "-1h", bad: true},
		{in: "h", bad: true},
		{in: "4", bad: true},
		{in: "4m", bad: true}, // minutes or months? refused
		{in: "1e3h", bad: true},
		{in: "NaNh", bad: true},
		{in: "Infh", bad: true},
		{in: "0.001h", bad: true}, // under a minute
	}
	for _, tt := range tests {
		got, err := ParseEstimate(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("ParseEstimate(%q) = %v, %v; want %v, bad=%v", tt.in, got, err, tt.want, tt.bad)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ParseEstimate(%q): code %s", tt.in, ErrorCode(err))
		}
		if err == nil {
			back, err := ParseEstimate(FormatEffort(got))
			if err != nil || back != got {
				t.Errorf("round trip of %q via %q = %v, %v", tt.in, FormatEffort(got), back, err)
			}
		}
	}
}

func TestBuildWorkload(t *testing.T) {
	h := time.Hour
	tests := []struct {
		desc      string
		loads     []Load
		lim       WorkloadLimits
		wantOrder []string
		wantOver  []string
		wantUn    Load
		wantSugg  []Handover
	}{
		{desc: "nobody", wantOrder: nil},
		{
			desc: "over by hours gets the person with most room",
			loads: []Load{
				{User: "UA", Open: 5, Planned: 50 * h},
				{User: "UB", Open: 2, Planned: 10 * h},
				{User: "UC", Open: 1, Planned: 30 * h},
			},
			wantOrder: []string{"UA", "UC", "UB"},
			wantOver:  []string{"UA"},
			wantSugg:  []Handover{{From: "UA", To: "UB", Hours: 10 * h, Tasks: 1}},
		},
		{
			desc: "over by tasks, threshold from settings; unassigned apart",
			loads: []Load{
				{User: "UA", Open: 8, Overdue: 3, Unestimated: 8},
				{User: "", Open: 4, Overdue: 1},
				{User: "UB"},
			},
			lim:       WorkloadLimits{Hours: 20, Tasks: 5},
			wantOrder: []string{"UA", "UB"},
			wantOver:  []string{"UA"},
			wantUn:    Load{Open: 4, Overdue: 1},
			wantSugg:  []Handover{{From: "UA", To: "UB", Tasks: 3}},
		},
		{
			desc: "room shrinks with each suggestion",
			loads: []Load{
				{User: "UA", Open: 20}, {User: "UB", Open: 18}, {User: "UC", Open: 0}, {User: "UD", Open: 10},
			},
			wantOrder: []string{"UA", "UB", "UD", "UC"},
			wantOver:  []string{"UA", "UB"},
			wantSugg: []Handover{
				{From: "UA", To: "UC", Tasks: 5},
				{From: "UB", To: "UC", Tasks: 3}, // UC 10 free of 15 beats UD's 5
			},
		},
		{
			desc:      "everybody over: no suggestion",
			loads:     []Load{{User: "UA", Open: 16}, {User: "UB", Planned: 41 * h, Open: 1}},
			wantOrder: []string{"UA", "UB"},
			wantOver:  []string{"UA", "UB"},
		},
		{
			desc:      "exactly at the threshold is not over",
			loads:     []Load{{User: "UA", Open: 15, Planned: 40 * h}},
			wantOrder: []string{"UA"},
		},
	}
	for _, tt := range tests {
		w := BuildWorkload(tt.loads, tt.lim)
		var order, over []string
		for _, r := range w.Rows {
			order = append(order, r.User)
			if r.Over {
				over = append(over, r.User)
			}
		}
		if !reflect.DeepEqual(order, tt.wantOrder) || !reflect.DeepEqual(over, tt.wantOver) {
			t.Errorf("%s: order %v over %v; want %v, %v", tt.desc, order, over, tt.wantOrder, tt.wantOver)
		}
		if w.Unassigned != tt.wantUn {
			t.Errorf("%s: unassigned %+v, want %+v", tt.desc, w.Unassigned, tt.wantUn)
		}
		if !reflect.DeepEqual(w.Suggestions, tt.wantSugg) {
			t.Errorf("%s: suggestions %+v, want %+v", tt.desc, w.Suggestions, tt.wantSugg)
		}
		if w.Limits.Hours == 0 || w.Limits.Tasks == 0 {
			t.Errorf("%s: limits %+v have no defaults", tt.desc, w.Limits)
		}
	}
}

func TestWorkloadSettings(t *testing.T) {
	for key, vals := range map[string][]string{
		SettingWorkloadHours: {"40", "40h", " 12 "},
		SettingWorkloadTasks: {"15", "1"},
	} {
		for _, v := range vals {
			if _, err := ValidateSetting(key, v); err != nil {
				t.Errorf("ValidateSetting(%s, %q): %v", key, v, err)
			}
		}
		for _, v := range []string{"0", "-1", "1001", "lots", ""} {
			if _, err := ValidateSetting(key, v); ErrorCode(err) != EINVALID {
				t.Errorf("ValidateSetting(%s, %q) = %v, want EINVALID", key, v, err)
			}
		}
	}
	s := Settings{Values: map[string]string{SettingWorkloadHours: "30h", SettingWorkloadTasks: "9"}}
	if got := s.Config().Workload; got != (WorkloadLimits{Hours: 30, Tasks: 9}) {
		t.Errorf("Config().Workload = %+v", got)
	}
}

func TestClearsOn(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	cal := WorkingTime{Location: ny, Holidays: []Date{mustDate("2026-12-01")}}
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			panic(err)
		}
		return t
	}
	h := time.Hour
	tests := []struct {
		desc string
		at   time.Time
		work time.Duration
		want string
	}{
		{"nothing left", at("2026-11-26 10:00"), 0, "2026-11-26"},
		// A working day holds 8h of work (est:1d) within 08:00-17:00.
		{"fits the rest of today", at("2026-11-26 10:00"), 6 * h, "2026-11-26"},
		{"spills into Friday", at("2026-11-26 10:00"), 6*h + time.Minute, "2026-11-27"},
		{"after hours starts tomorrow", at("2026-11-26 18:00"), 8 * h, "2026-11-27"},
		{"a day is 8h, not the 9h of the team's hours", at("2026-11-27 08:00"), 9 * h, "2026-11-30"},
		{"weekend skipped, holiday skipped", at("2026-11-27 08:00"), 16*h + time.Minute, "2026-12-02"},
		{"before hours counts the whole day", at("2026-11-30 06:00"), 8 * h, "2026-11-30"},
	}
	for _, tt := range tests {
		got, ok := cal.ClearsOn(tt.at, tt.work)
		if !ok || got.String() != tt.want {
			t.Errorf("%s: ClearsOn = %s, %v; want %s", tt.desc, got, ok, tt.want)
		}
	}
	if _, ok := cal.ClearsOn(at("2026-11-26 10:00"), 100000*h); ok {
		t.Errorf("100000h clears within ten years")
	}
}

func TestQueue(t *testing.T) {
	m := &Maintenance{Queue: 1240, Rate: 22}
	if got, want := m.WorkLeft(), 3382*time.Minute; got != want { // 56.36h rounded up
		t.Errorf("WorkLeft = %v, want %v", got, want)
	}
	ny, _ := time.LoadLocation("America/New_York")
	cal := WorkingTime{Location: ny}
	m.ID, m.Active, m.QueueAt = 1, true, time.Date(2026, 11, 26, 9, 0, 0, 0, ny)
	plan := PlanQueues([]*Maintenance{m}, cal)
	// 56.37h at 8h a working day from Thu 26 Nov 09:00 (7h left that day).
	if got := m.QueueSummary(cal, plan); got != "1240 left as of Thu 26 Nov 2026 at 22/h: 56.37h of work, clears Mon 7 Dec 2026" {
		t.Errorf("QueueSummary = %q", got)
	}
	if got := (&Maintenance{}).QueueSummary(cal, plan); got != "" {
		t.Errorf("no queue: %q", got)
	}
	if got := (&Maintenance{Rate: 3}).QueueSummary(cal, plan); got != "queue clear" {
		t.Errorf("empty queue: %q", got)
	}
	for _, in := range []string{"22/h", "22", "7.5/h", "22/hr"} {
		if _, err := ParseRate(in); err != nil {
			t.Errorf("ParseRate(%q): %v", in, err)
		}
	}
	for _, in := range []string{"0", "-2/h", "fast", "1e9", "NaN", "100001/h"} {
		if _, err := ParseRate(in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRate(%q) = %v, want EINVALID", in, err)
		}
	}
	for in, want := range map[string]int{"1240": 1240, "1,240": 1240, "0": 0} {
		if got, err := ParseQueue(in); err != nil || got != want {
			t.Errorf("ParseQueue(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"-1", "lots", "10000001"} {
		if _, err := ParseQueue(in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseQueue(%q) = %v, want EINVALID", in, err)
		}
	}
}

func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
