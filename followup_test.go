package upgradebot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

func TestDueReleaseReminders(t *testing.T) {
	r := &upgradebot.Release{ID: 1, Key: "medcore-2027.1", Vendor: "MedCore", Name: "2027.1", GA: date("2027-01-15"), Support: date("2027-12-31")}
	leads := []int{30, 14, 7, 1}
	for _, tt := range []struct {
		desc  string
		today string
		sent  []string
		want  []string // "what lead daysLeft keys"
	}{
		{"31 days before GA: nothing", "2026-12-15", nil, nil},
		{"30 days before GA", "2026-12-16", nil, []string{"ga 30 30 1"}},
		{"the 30-day reminder sent: nothing the day after", "2026-12-17", []string{"ga:2027-01-15:30"}, nil},
		{"the 30-day one missed, 20 days to go: it is sent late", "2026-12-26", nil, []string{"ga 30 20 1"}},
		{"both 30 and 14 missed: one line for both", "2027-01-05", nil, []string{"ga 14 10 2"}},
		{"14 sent, 7 due", "2027-01-08", []string{"ga:2027-01-15:30", "ga:2027-01-15:14"}, []string{"ga 7 7 1"}},
		{"GA day, 1 sent: nothing", "2027-01-15", []string{"ga:2027-01-15:30", "ga:2027-01-15:14", "ga:2027-01-15:7", "ga:2027-01-15:1"}, nil},
		{"after GA: nothing for GA", "2027-01-16", nil, nil},
		{"30 days before the end of support", "2027-12-01", nil, []string{"support 30 30 1"}},
	} {
		sent := func(key string) bool {
			return slices.ContainsFunc(tt.sent, func(s string) bool { return key == "release:1:"+s })
		}
		var got []string
		for _, rem := range upgradebot.DueReleaseReminders([]*upgradebot.Release{r}, leads, date(tt.today), sent) {
			got = append(got, fmt.Sprintf("%s %d %d %d", rem.What, rem.Lead, rem.DaysLeft, len(rem.Keys)))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.desc, got, tt.want)
		}
	}
}

func TestReleaseRemindersMessage(t *testing.T) {
	a := &upgradebot.Release{ID: 1, Key: "medcore-2027.1", Vendor: "MedCore", Name: "2027.1", GA: date("2026-12-31")}
	b := &upgradebot.Release{ID: 2, Key: "labsys-9", Vendor: "LabSys", Name: "9 <beta>", GA: date("2026-01-01"), Support: date("2026-12-02")}
	never := func(string) bool { return false }
	rems := upgradebot.DueReleaseReminders([]*upgradebot.Release{a, b}, upgradebot.DefaultReminderLeads, date("2026-12-01"), never)
	m := upgradebot.ReleaseRemindersMessage(rems, "CTEAM", date("2026-12-01"))
	want := "*Vendor release reminders* · Tue 1 Dec 2026\n" +
		"• `labsys-9` LabSys 9 &lt;beta&gt;: support ends tomorrow, Wed 2 Dec 2026\n" +
		"• `medcore-2027.1` MedCore 2027.1: GA in 30 days, Thu 31 Dec 2026"
	if m.Kind != upgradebot.MessagePost || m.To != "CTEAM" || m.Text != want {
		t.Errorf("message %s to %s:\n%s\nwant:\n%s", m.Kind, m.To, m.Text, want)
	}
}

func TestPlanNudges(t *testing.T) {
	cal := team(t)
	task := func(id int64, who, due string) *upgradebot.Task {
		return &upgradebot.Task{ID: id, Title: fmt.Sprintf("Task %d", id), Status: upgradebot.StatusOpen, Assignee: who, Due: date(due)}
	}
	p := upgradebot.NudgePolicy{}
	for _, tt := range []struct {
		desc   string
		today  string
		task   *upgradebot.Task
		state  *upgradebot.NudgeState
		muted  bool
		want   int // count after, 0 for no nudge
		toChan bool
	}{
		{"due today: not yet", "2026-12-01", task(1, "UA", "2026-12-01"), nil, false, 0, false},
		{"due yesterday: first nudge", "2026-12-01", task(1, "UA", "2026-11-30"), nil, false, 1, false},
		{"unassigned: nobody to nudge", "2026-12-01", task(1, "", "2026-11-30"), nil, false, 0, false},
		{"muted", "2026-12-01", task(1, "UA", "2026-11-30"), nil, true, 0, false},
		{"nudged today already", "2026-12-01", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 1, LastDay: date("2026-12-01")}, false, 0, false},
		{"one working day on: not yet", "2026-12-02", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 1, LastDay: date("2026-12-01")}, false, 0, false},
		{"two working days on: again", "2026-12-03", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 1, LastDay: date("2026-12-01")}, false, 2, false},
		{"Friday to Monday is one working day: not yet", "2026-12-07", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 2, LastDay: date("2026-12-04")}, false, 0, false},
		{"the holidays do not count", "2026-12-28", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 2, LastDay: date("2026-12-23")}, false, 0, false},
		{"after three nudges the fourth tells the channel", "2026-12-07", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 3, LastDay: date("2026-12-03")}, false, 4, true},
		{"the channel is told once", "2026-12-09", task(1, "UA", "2026-11-30"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 4, LastDay: date("2026-12-07"), Posted: true}, false, 5, false},
		{"a new due date starts again", "2026-12-09", task(1, "UA", "2026-12-08"), &upgradebot.NudgeState{TaskID: 1, Due: date("2026-11-30"), Count: 4, LastDay: date("2026-12-08"), Posted: true}, false, 1, false},
	} {
		states := map[int64]upgradebot.NudgeState{}
		if tt.state != nil {
			states[tt.state.TaskID] = *tt.state
		}
		got := upgradebot.PlanNudges([]*upgradebot.Task{tt.task}, states, func(string) bool { return tt.muted }, date(tt.today), cal, p)
		switch {
		case tt.want == 0 && len(got) != 0:
			t.Errorf("%s: nudged %+v", tt.desc, got[0].State)
		case tt.want != 0 && len(got) != 1:
			t.Errorf("%s: not nudged", tt.desc)
		case tt.want != 0 && (got[0].State.Count != tt.want || got[0].ToChannel != tt.toChan || got[0].State.LastDay != date(tt.today)):
			t.Errorf("%s: nudge %+v to channel %v, want count %d, channel %v", tt.desc, got[0].State, got[0].ToChannel, tt.want, tt.toChan)
		}
	}
}

func TestNudgeMessagesFold(t *testing.T) {
	today := date("2026-12-07")
	mk := func(id int64, who, due string, toChan bool) upgradebot.Nudge {
		return upgradebot.Nudge{Task: &upgradebot.Task{ID: id, Title: fmt.Sprintf("Task %d", id), Status: upgradebot.StatusOpen, Assignee: who, Due: date(due)}, ToChannel: toChan}
	}
	msgs := upgradebot.NudgeMessages([]upgradebot.Nudge{mk(1, "UB", "2026-12-01", false), mk(2, "UA", "2026-12-04", true), mk(3, "UA", "2026-11-30", false)}, "CTEAM", today, upgradebot.NudgePolicy{}, map[string]string{"UA": "ann"})
	var got []string
	for _, m := range msgs {
		got = append(got, fmt.Sprintf("%s %s %d", m.Kind, m.To, strings.Count(m.FullText(), "• ")))
	}
	if want := []string{"dm UA 2", "dm UB 1", "post CTEAM 1"}; !slices.Equal(got, want) {
		t.Errorf("messages %q, want %q", got, want)
	}
	// Issue 15: each task is an item with its buttons, the commands name
	// the real ids, dates have no year this year, and the channel post
	// names people without pinging them.
	if text := msgs[0].FullText(); !strings.Contains(text, "2 of your tasks are past due") || !strings.Contains(text, "#3 Task 3 · due Mon 30 Nov (*7 days overdue*)") ||
		!strings.Contains(text, "`/upgrade done 2 3`") || len(msgs[0].Items) != 2 || msgs[0].Items[0].Task != 2 {
		t.Errorf("DM to UA:\n%s", text)
	}
	if !strings.Contains(msgs[2].Text, "after 3 reminders") || !strings.Contains(msgs[2].Text, "#2 Task 2 · ann ·") || strings.Contains(msgs[2].Text, "<@") {
		t.Errorf("channel post:\n%s", msgs[2].Text)
	}
}

func TestEscalationDue(t *testing.T) {
	loc := chicago(t)
	cal := team(t)
	asked := time.Date(2026, 11, 30, 15, 0, 0, 0, loc) // Monday
	undated := &upgradebot.Decision{ID: 1, Status: upgradebot.DecisionPending, CreatedAt: asked}
	dated := &upgradebot.Decision{ID: 2, Status: upgradebot.DecisionPending, CreatedAt: asked, Due: date("2026-12-04")}
	decided := &upgradebot.Decision{ID: 3, Status: upgradebot.DecisionApproved, CreatedAt: asked}
	reminded := func(day string) upgradebot.EscalationState {
		return upgradebot.EscalationState{Level: upgradebot.EscalationReminded, At: date(day).Time(loc).Add(9*time.Hour + 30*time.Minute)}
	}
	for _, tt := range []struct {
		desc  string
		d     *upgradebot.Decision
		st    upgradebot.EscalationState
		today string
		want  int
	}{
		{"undated, 1 working day", undated, upgradebot.EscalationState{}, "2026-12-01", 0},
		{"undated, 2 working days: remind", undated, upgradebot.EscalationState{}, "2026-12-02", 1},
		{"dated, on its due day", dated, upgradebot.EscalationState{}, "2026-12-04", 0},
		{"dated, the day after (a Saturday): remind", dated, upgradebot.EscalationState{}, "2026-12-05", 1},
		{"reminded Wednesday, Thursday", undated, reminded("2026-12-02"), "2026-12-03", 1},
		{"reminded Wednesday, Friday: escalate", undated, reminded("2026-12-02"), "2026-12-04", 2},
		{"reminded before the holidays, escalated after", undated, reminded("2026-12-23"), "2026-12-25", 1},
		{"reminded before the holidays: the second working day after", undated, reminded("2026-12-23"), "2026-12-29", 2},
		{"escalated: the top", undated, upgradebot.EscalationState{Level: 2, At: asked}, "2027-02-01", 2},
		{"decided: nothing", decided, upgradebot.EscalationState{}, "2027-02-01", 0},
	} {
		if got := upgradebot.EscalationDue(tt.d, tt.st, date(tt.today), cal, upgradebot.EscalationPolicy{}); got != tt.want {
			t.Errorf("%s: level %d, want %d", tt.desc, got, tt.want)
		}
	}
}

func TestEscalationMessages(t *testing.T) {
	asked := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	now := asked.Add(5 * 24 * time.Hour)
	d := &upgradebot.Decision{ID: 7, Question: "Skip 2026q3?", RequestedBy: "UREQ", RoutedTo: "UOWNER", Status: upgradebot.DecisionPending, CreatedAt: asked}
	owner := upgradebot.Routing{Owner: "UOWNER", To: "UOWNER"}
	away := upgradebot.Routing{Owner: "UOWNER", To: "UDEL", Delegated: true}
	summary := func(msgs []upgradebot.Message) []string {
		var out []string
		for _, m := range msgs {
			out = append(out, fmt.Sprintf("%s %s %d", m.Kind, m.To, m.DecisionID))
		}
		return out
	}
	for _, tt := range []struct {
		desc   string
		level  int
		r      upgradebot.Routing
		admins []string
		want   []string
	}{
		{"reminder to the owner, with buttons", 1, owner, []string{"UADMIN"}, []string{"dm UOWNER 7"}},
		{"escalation, owner away: to the delegate, requester told", 2, away, []string{"UADMIN"}, []string{"dm UDEL 7", "dm UREQ 0"}},
		{"escalation: to the admins but the owner, requester told", 2, owner, []string{"UADMIN", "UOWNER", "UADMIN2"}, []string{"dm UADMIN 0", "dm UADMIN2 0", "dm UREQ 0"}},
		{"escalation, the owner the only admin: the channel", 2, owner, []string{"UOWNER"}, []string{"post CTEAM 0", "dm UREQ 0"}},
		// Issue 15: the console's user, made an admin on a console database
		// later served, is in no workspace: the channel hears of it instead.
		{"escalation, the console's user the other admin: the channel", 2, owner, []string{"UOWNER", upgradebot.ConsoleUser}, []string{"post CTEAM 0", "dm UREQ 0"}},
	} {
		msgs := upgradebot.EscalationMessages(d, tt.level, tt.r, tt.admins, "CTEAM", now, time.UTC, upgradebot.DecisionCard{})
		if got := summary(msgs); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.desc, got, tt.want)
		}
		if tt.level == 1 && !strings.HasPrefix(msgs[0].Text, "*Reminder:* this decision has waited 5 days.") {
			t.Errorf("%s: text %q", tt.desc, msgs[0].Text)
		}
	}
}

func TestDueOccurrences(t *testing.T) {
	m := &upgradebot.Maintenance{Every: upgradebot.Interval{N: 2, Unit: 'w'}, Anchor: date("2026-11-13")}
	for _, tt := range []struct {
		desc, latest, today string
		want                []string
	}{
		{"none yet, before the anchor", "", "2026-11-12", nil},
		{"none yet, on the anchor", "", "2026-11-13", []string{"2026-11-13"}},
		{"the latest is in the future", "2026-12-11", "2026-12-01", nil},
		{"the next one's day has come", "2026-11-27", "2026-12-11", []string{"2026-12-11"}},
		{"not yet", "2026-11-27", "2026-12-10", nil},
		{"several missed", "2026-11-13", "2026-12-12", []string{"2026-11-27", "2026-12-11"}},
	} {
		var got []string
		for _, d := range m.DueOccurrences(date(tt.latest), date(tt.today), upgradebot.WorkingTime{}) {
			got = append(got, d.String())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.desc, got, tt.want)
		}
	}
	daily := &upgradebot.Maintenance{Every: upgradebot.Interval{N: 1, Unit: 'd'}, Anchor: date("2026-01-01")}
	if got := daily.DueOccurrences(date("2026-01-01"), date("2026-12-31"), upgradebot.WorkingTime{}); len(got) != upgradebot.MaxCatchUpOccurrences || got[len(got)-1] != date("2026-12-31") {
		t.Errorf("a long outage: %d occurrences ending %s, want the latest %d", len(got), got[len(got)-1], upgradebot.MaxCatchUpOccurrences)
	}
}
