package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// summary lists messages as "kind to" lines, for comparisons.
func summary(msgs []*upgradebot.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, fmt.Sprintf("%s %s", m.Kind, m.To))
	}
	return out
}

func (e *env) wantMessages(mark int64, want ...string) []*upgradebot.Message {
	e.t.Helper()
	msgs := e.newMessages(mark)
	if got := summary(msgs); !slices.Equal(got, want) {
		e.t.Errorf("messages %q, want %q", got, want)
	}
	return msgs
}

// calendar is the suite's team calendar: New York, 08:00-17:00 on weekdays.
var calendar = upgradebot.WorkingTime{Location: NewYork}

func testHolidays(t *testing.T, e *env) {
	days, err := e.desk.Holidays(e.ctx)
	ok(t, err)
	if len(days) != 0 {
		t.Fatalf("Holidays = %v on a new desk", days)
	}
	xmas := []upgradebot.Date{day("2026-12-25"), day("2026-12-24"), day("2026-12-25")}
	wantErr(t, e.desk.SetHolidays(e.ctx, Alice, xmas), upgradebot.EFORBIDDEN, "Only admins")
	mark := e.lastAudit()
	ok(t, e.desk.SetHolidays(e.ctx, Admin, xmas))
	days, err = e.desk.Holidays(e.ctx)
	ok(t, err)
	if want := []upgradebot.Date{day("2026-12-24"), day("2026-12-25")}; !slices.Equal(days, want) {
		t.Errorf("Holidays = %v, want %v (sorted, once each)", days, want)
	}
	rows := e.wantActions(mark, "holidays.set")
	if len(rows) == 1 && (rows[0].Actor != Admin || !strings.Contains(rows[0].After, "2026-12-24,2026-12-25")) {
		t.Errorf("audit row %+v", rows[0])
	}
	ok(t, e.desk.SetHolidays(e.ctx, Admin, days)) // unchanged: not audited again
	e.wantActions(mark, "holidays.set")
	ok(t, e.desk.SetHolidays(e.ctx, Admin, nil))
	if days, err = e.desk.Holidays(e.ctx); err != nil || len(days) != 0 {
		t.Errorf("Holidays after clearing = %v, %v", days, err)
	}
	many := make([]upgradebot.Date, upgradebot.MaxHolidays+1)
	for i := range many {
		many[i] = day("2027-01-01").AddDays(i)
	}
	wantErr(t, e.desk.SetHolidays(e.ctx, Admin, many), upgradebot.EINVALID, "holidays")
	if s := e.settings(); s.Channel != Channel || s.TimeZone != TimeZone {
		t.Errorf("holidays disturbed the settings: %+v", s)
	}
}

func testMutes(t *testing.T, e *env) {
	mark := e.lastAudit()
	m, err := e.desk.SetMute(e.ctx, Alice, Alice, day("2026-12-04"))
	ok(t, err)
	if m.User != Alice || m.Until != day("2026-12-04") || m.CreatedBy != Alice {
		t.Errorf("SetMute = %+v", m)
	}
	_, err = e.desk.SetMute(e.ctx, Alice, Bob, upgradebot.Date{})
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only admins")
	_, err = e.desk.SetMute(e.ctx, Alice, Alice, day("2026-11-25"))
	wantErr(t, err, upgradebot.EINVALID, "already past")
	_, err = e.desk.SetMute(e.ctx, Admin, Bob, upgradebot.Date{}) // until unmuted
	ok(t, err)

	muted := func(d string) []string {
		t.Helper()
		list, err := e.desk.Muted(e.ctx, day(d))
		ok(t, err)
		var out []string
		for _, m := range list {
			out = append(out, m.User+" "+m.Until.String())
		}
		return out
	}
	if got, want := muted("2026-12-04"), []string{Alice + " 2026-12-04", Bob + " "}; !slices.Equal(got, want) {
		t.Errorf("Muted(4 Dec) = %q, want %q", got, want)
	}
	if got, want := muted("2026-12-05"), []string{Bob + " "}; !slices.Equal(got, want) {
		t.Errorf("Muted(5 Dec) = %q, want %q", got, want)
	}
	// A new mute replaces the old.
	_, err = e.desk.SetMute(e.ctx, Alice, Alice, day("2026-12-10"))
	ok(t, err)
	if got, want := muted("2026-12-07"), []string{Alice + " 2026-12-10", Bob + " "}; !slices.Equal(got, want) {
		t.Errorf("Muted(7 Dec) = %q, want %q", got, want)
	}
	_, err = e.desk.ClearMute(e.ctx, Alice, Bob)
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only admins")
	cleared, err := e.desk.ClearMute(e.ctx, Alice, Alice)
	ok(t, err)
	again, err := e.desk.ClearMute(e.ctx, Alice, Alice)
	ok(t, err)
	if !cleared || again {
		t.Errorf("ClearMute = %v, then %v; want true, false", cleared, again)
	}
	if got, want := muted("2026-12-07"), []string{Bob + " "}; !slices.Equal(got, want) {
		t.Errorf("Muted after unmute = %q, want %q", got, want)
	}
	e.wantActions(mark, "mute.set", "mute.set", "mute.set", "mute.clear")
}

func testReleaseReminders(t *testing.T, e *env) {
	today := e.today() // Thursday 26 November
	leads := upgradebot.DefaultReminderLeads
	_, err := e.desk.SendReleaseReminders(e.ctx, today, leads, "")
	wantErr(t, err, upgradebot.EINVALID, "channel")
	_, err = e.desk.SendReleaseReminders(e.ctx, today, []int{-1}, Channel)
	wantErr(t, err, upgradebot.EINVALID, "-1")

	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: today.AddDays(30)}))
	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "LabSys", Name: "9", GA: today.AddDays(-300), Support: today.AddDays(7)}))
	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "Old", Name: "1", GA: today.AddDays(-400), Support: today.AddDays(-1)}))
	mark := e.lastMessage()
	rems, err := e.desk.SendReleaseReminders(e.ctx, today, leads, Channel)
	ok(t, err)
	var got []string
	for _, r := range rems {
		got = append(got, fmt.Sprintf("%s %s %d", r.Release.Key, r.What, r.Lead))
	}
	if want := []string{"labsys-9 support 7", "medcore-2027.1 ga 30"}; !slices.Equal(got, want) {
		t.Errorf("reminders %q, want %q", got, want)
	}
	msgs := e.wantMessages(mark, "post "+Channel) // folded into one post
	if len(msgs) == 1 && (!strings.Contains(msgs[0].Text, "support ends in 7 days") || !strings.Contains(msgs[0].Text, "GA in 30 days")) {
		t.Errorf("post:\n%s", msgs[0].Text)
	}

	// Run again, the same day or the next: each reminder was sent once.
	for _, d := range []upgradebot.Date{today, today.AddDays(1)} {
		mark = e.lastMessage()
		rems, err = e.desk.SendReleaseReminders(e.ctx, d, leads, Channel)
		ok(t, err)
		if len(rems) != 0 {
			t.Errorf("%s: sent again: %+v", d, rems)
		}
		e.wantMessages(mark)
	}
	// Missed the 14-day reminder of the GA and the 1-day one of LabSys:
	// sent late, once.
	mark = e.lastMessage()
	rems, err = e.desk.SendReleaseReminders(e.ctx, today.AddDays(20), leads, Channel)
	ok(t, err)
	if len(rems) != 1 || rems[0].Lead != 14 || rems[0].DaysLeft != 10 {
		t.Errorf("20 days on: %+v, want the 14-day reminder with 10 days left", rems)
	}
	e.wantMessages(mark, "post "+Channel)
}

func testNudges(t *testing.T, e *env) {
	thu := e.today() // Thursday 26 November
	p := upgradebot.NudgePolicy{Every: 2, ChannelAfter: 1}
	a1 := e.createTask(Admin, &upgradebot.Task{Title: "Lab interface retest", Assignee: Alice, Due: thu.AddDays(-1)})
	a2 := e.createTask(Admin, &upgradebot.Task{Title: "Order sets review", Assignee: Alice, Due: thu.AddDays(-6)})
	e.createTask(Admin, &upgradebot.Task{Title: "Muted person's task", Assignee: Bob, Due: thu.AddDays(-2)})
	e.createTask(Admin, &upgradebot.Task{Title: "Due next month", Assignee: Alice, Due: thu.AddDays(30)})
	e.createTask(Admin, &upgradebot.Task{Title: "Nobody's", Due: thu.AddDays(-3)})
	_, err := e.desk.SetMute(e.ctx, Bob, Bob, upgradebot.Date{})
	ok(t, err)

	nudge := func(d upgradebot.Date, wantTasks []int64, wantMsgs ...string) []*upgradebot.Message {
		t.Helper()
		mark := e.lastMessage()
		ns, err := e.desk.SendNudges(e.ctx, d, calendar, p, Channel)
		ok(t, err)
		var got []int64
		for _, n := range ns {
			got = append(got, n.Task.ID)
		}
		if !slices.Equal(got, wantTasks) {
			t.Errorf("%s: nudged %v, want %v", d.Human(), got, wantTasks)
		}
		return e.wantMessages(mark, wantMsgs...)
	}
	msgs := nudge(thu, []int64{a2.ID, a1.ID}, "dm "+Alice) // folded into one DM, oldest first
	if len(msgs) == 1 && !strings.Contains(msgs[0].Text, "2 of your tasks") {
		t.Errorf("DM:\n%s", msgs[0].Text)
	}
	nudge(thu, nil)                                                                   // once a day
	nudge(thu.AddDays(1), nil)                                                        // Friday: one working day on
	nudge(thu.AddDays(2), nil)                                                        // Saturday: not a working day
	msgs = nudge(thu.AddDays(4), []int64{a2.ID, a1.ID}, "dm "+Alice, "post "+Channel) // Monday: the second nudge, the channel told
	// Issue 15: the team channel's post names the owner without a ping.
	if len(msgs) == 2 && (!strings.Contains(msgs[1].Text, "#"+fmt.Sprint(a1.ID)) || !strings.Contains(msgs[1].Text, Alice) || strings.Contains(msgs[1].Text, upgradebot.Mention(Alice))) {
		t.Errorf("channel post:\n%s", msgs[1].Text)
	}
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, a1.ID, "")
	ok(t, err)
	nudge(thu.AddDays(6), []int64{a2.ID}, "dm "+Alice) // Wednesday: the channel was told already
	_, err = e.desk.SetMute(e.ctx, Alice, Alice, thu.AddDays(8))
	ok(t, err)
	nudge(thu.AddDays(8), nil)                          // muted until Friday
	nudge(thu.AddDays(11), []int64{a2.ID}, "dm "+Alice) // Monday
}

func testEscalation(t *testing.T, e *env) {
	e.setOwner(Owner)
	ok(t, e.desk.AddAdmin(e.ctx, Admin, Owner))
	at := func(d string) time.Time { return day(d).Time(NewYork).Add(9*time.Hour + 30*time.Minute) }
	undated := &upgradebot.Decision{Question: "Take MedCore 2027.1 in March?"}
	_, err := e.desk.CreateDecision(e.ctx, Alice, undated)
	ok(t, err)
	dated := &upgradebot.Decision{Question: "One go-live for both releases?", Due: day("2026-12-03")}
	_, err = e.desk.CreateDecision(e.ctx, Bob, dated)
	ok(t, err)

	escalate := func(when string, want []string, wantMsgs ...string) []*upgradebot.Message {
		t.Helper()
		mark := e.lastMessage()
		steps, err := e.desk.EscalateDecisions(e.ctx, at(when), calendar, upgradebot.EscalationPolicy{}, Channel)
		ok(t, err)
		var got []string
		for _, s := range steps {
			got = append(got, fmt.Sprintf("#%d %d", s.Decision.ID, s.Level))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: steps %q, want %q", when, got, want)
		}
		return e.wantMessages(mark, wantMsgs...)
	}
	u, d := fmt.Sprintf("#%d ", undated.ID), fmt.Sprintf("#%d ", dated.ID)
	mark := e.lastAudit()
	escalate("2026-11-27", nil)                                    // one working day
	msgs := escalate("2026-11-30", []string{u + "1"}, "dm "+Owner) // two: the request again
	if len(msgs) == 1 && (msgs[0].DecisionID != undated.ID || !strings.HasPrefix(msgs[0].Text, "*Reminder:*")) {
		t.Errorf("reminder %+v", msgs[0])
	}
	escalate("2026-11-30", nil) // once
	escalate("2026-12-01", nil)
	// Two working days after the reminder: to the admins but the owner,
	// and the requester is told.
	msgs = escalate("2026-12-02", []string{u + "2"}, "dm "+Admin, "dm "+Alice)
	if len(msgs) == 2 && !strings.Contains(msgs[1].Text, "passed it to the admins") {
		t.Errorf("requester told:\n%s", msgs[1].Text)
	}
	escalate("2026-12-03", nil) // the dated one is due today: not late yet
	escalate("2026-12-04", []string{d + "1"}, "dm "+Owner)
	ok(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: day("2026-12-07"), To: day("2026-12-11"), Delegate: Delegate}))
	escalate("2026-12-07", nil)
	msgs = escalate("2026-12-08", []string{d + "2"}, "dm "+Delegate, "dm "+Bob) // the owner is away: the delegate
	if len(msgs) == 2 && (msgs[0].DecisionID != dated.ID || !strings.Contains(msgs[1].Text, upgradebot.Mention(Delegate))) {
		t.Errorf("escalation to the delegate: %+v", msgs)
	}
	escalate("2027-01-08", nil) // the top of the ladder
	rows := e.wantActions(mark, "decision.escalate", "decision.escalate", "decision.escalate", "away.set", "decision.escalate")
	for _, r := range rows {
		if r.Action == "decision.escalate" && r.Actor != upgradebot.SystemActor {
			t.Errorf("escalation audited as %q", r.Actor)
		}
	}
	// A decided decision is left alone.
	_, err = e.desk.Decide(e.ctx, Owner, dated.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	escalate("2027-01-11", nil)
}

func testDueOccurrences(t *testing.T, e *env) {
	thu := e.today() // Thursday 26 November
	first, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Duplicate MRN clean-up",
		Every: upgradebot.Interval{N: 1, Unit: 'w'}, Assignee: Alice, Anchor: thu.AddDays(-6)})
	ok(t, err)
	create := func(d upgradebot.Date, notify bool, want []string, wantMsgs ...string) {
		t.Helper()
		mark := e.lastMessage()
		tasks, err := e.desk.CreateDueOccurrences(e.ctx, d, notify)
		ok(t, err)
		var got []string
		for _, tk := range tasks {
			got = append(got, tk.Due.String()+" "+tk.Assignee)
			if tk.Kind != upgradebot.KindCleanup || tk.MaintenanceID != first.MaintenanceID || tk.CreatedBy != upgradebot.SystemActor {
				t.Errorf("occurrence %s", taskString(tk))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: created %q, want %q", d, got, want)
		}
		e.wantMessages(mark, wantMsgs...)
	}
	create(thu, true, nil) // the next one is due Friday
	mark := e.lastAudit()
	create(thu.AddDays(1), true, []string{"2026-11-27 " + Alice}, "dm "+Alice)
	e.wantActions(mark, "task.add")
	create(thu.AddDays(1), true, nil) // never twice
	// The first is still open and overdue; both count.
	open, n := e.findTasks(upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}, Kind: upgradebot.KindCleanup})
	if n != 2 || open[0].ID != first.ID {
		t.Errorf("open occurrences %v, want the overdue first and the new one", ids(open))
	}
	// Completing the overdue one finds Friday's, and creates nothing new.
	_, next, err := e.desk.CompleteTask(e.ctx, Alice, first.ID, "")
	ok(t, err)
	if next == nil || next.Due != thu.AddDays(1) {
		t.Errorf("next after completing the overdue one: %v", next)
	}
	// Reassigned: the rota sticks. Quiet on a day it does not notify.
	_, err = e.desk.AssignTask(e.ctx, Admin, next.ID, Bob)
	ok(t, err)
	create(thu.AddDays(15), false, []string{"2026-12-04 " + Bob, "2026-12-11 " + Bob})
}
