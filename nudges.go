package upgradebot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Overdue nudge defaults.
const (
	DefaultNudgeEvery        = 2 // working days between two nudges about one task
	DefaultNudgeChannelAfter = 3 // nudges a task may have before the team channel hears of it
)

// NudgePolicy says how often overdue work is nudged. Zero fields take the
// defaults.
type NudgePolicy struct {
	Every        int // working days between two nudges about one task
	ChannelAfter int // after this many nudges, the next also names the task in the team channel
}

func (p NudgePolicy) every() int { return cmp.Or(max(p.Every, 0), DefaultNudgeEvery) }
func (p NudgePolicy) channelAfter() int {
	return cmp.Or(max(p.ChannelAfter, 0), DefaultNudgeChannelAfter)
}

// NudgeState is what was nudged about one overdue task.
type NudgeState struct {
	TaskID  int64 `json:"task_id"`
	Due     Date  `json:"due"`      // the due date the count is for: a new date starts again
	Count   int   `json:"count"`    // nudges sent
	LastDay Date  `json:"last_day"` // the day of the last one
	Posted  bool  `json:"posted"`   // the team channel has been told
}

// Nudge is one overdue task to nudge its assignee about, with its state
// after the nudge.
type Nudge struct {
	Task      *Task
	State     NudgeState
	ToChannel bool // this nudge also names it in the team channel
}

// PlanNudges decides which of tasks to nudge about on today, a working
// day: open tasks (clean-up occurrences included) due before today with an
// assignee who is not muted; the first time at once, then every p.Every
// working days, never twice a day. The nudge after the first
// p.ChannelAfter also names the task in the team channel, once. states
// holds the earlier nudges by task id; a task whose due date changed since
// starts again. Nudges come by assignee, then oldest due first.
func PlanNudges(tasks []*Task, states map[int64]NudgeState, muted func(user string) bool, today Date, cal WorkingTime, p NudgePolicy) []Nudge {
	var out []Nudge
	for _, t := range tasks {
		if !t.Overdue(today) || t.Assignee == "" || (muted != nil && muted(t.Assignee)) {
			continue
		}
		st, ok := states[t.ID]
		if !ok || st.Due != t.Due {
			st = NudgeState{TaskID: t.ID, Due: t.Due}
		}
		if st.Count > 0 && (!st.LastDay.Before(today) || cal.WorkingDaysBetween(st.LastDay, today) < p.every()) {
			continue
		}
		st.Count++
		st.LastDay = today
		n := Nudge{Task: t, State: st}
		if st.Count > p.channelAfter() && !st.Posted {
			n.ToChannel, n.State.Posted = true, true
		}
		out = append(out, n)
	}
	slices.SortStableFunc(out, func(a, b Nudge) int {
		return cmp.Or(cmp.Compare(a.Task.Assignee, b.Task.Assignee), a.Task.Due.Compare(b.Task.Due), cmp.Compare(a.Task.ID, b.Task.ID))
	})
	return out
}

// NudgeMessages folds nudges into one DM per assignee, each task an item
// with its buttons (Done, Snooze, New date, Open), and, for those that go
// to the team channel, one post there (none when channel is ""). The post
// names people by their display names in names, so that nobody is pinged
// by a post the whole team reads.
func NudgeMessages(nudges []Nudge, channel string, today Date, p NudgePolicy, names map[string]string) []Message {
	var out []Message
	byUser := map[string][]Nudge{}
	var users []string
	var posted []Nudge
	for _, n := range nudges {
		u := n.Task.Assignee
		if _, ok := byUser[u]; !ok {
			users = append(users, u)
		}
		byUser[u] = append(byUser[u], n)
		if n.ToChannel {
			posted = append(posted, n)
		}
	}
	slices.Sort(users)
	for _, u := range users {
		ns := byUser[u]
		head := "*Overdue:* one of your tasks is past due:"
		if len(ns) > 1 {
			head = fmt.Sprintf("*Overdue:* %d of your tasks are past due:", len(ns))
		}
		m := Message{Kind: MessageDM, To: u, Text: head}
		var ids []string
		for _, n := range ns {
			m.Items = append(m.Items, TaskItem(n.Task, today))
			ids = append(ids, fmt.Sprint(n.Task.ID))
		}
		m.Footer = fmt.Sprintf("Done? `/upgrade done %s`. A new date? `/upgrade due %s <date>`. A break from these? `/upgrade mute until <date>`.",
			strings.Join(ids, " "), ids[0])
		out = append(out, m)
	}
	if len(posted) > 0 && channel != "" {
		lines := []string{fmt.Sprintf("*Still overdue after %s:*", Plural(p.channelAfter(), "reminder"))}
		for _, n := range posted {
			lines = append(lines, "• "+nudgeLine(n.Task, today, names))
		}
		out = append(out, Message{Kind: MessagePost, To: channel, Text: strings.Join(lines, "\n")})
	}
	return out
}

// nudgeLine is an overdue task in the team channel: number, title, owner
// (a plain name), how late.
func nudgeLine(t *Task, today Date, names map[string]string) string {
	return fmt.Sprintf("#%d %s · %s · due %s (*%s overdue*)", t.ID, Escape(ClipWords(t.Title, digestTitleLen)),
		ownerName(t.Assignee, names), t.Due.Relative(today), Plural(t.Due.DaysUntil(today), "day"))
}
