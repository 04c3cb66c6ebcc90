package upgradebot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// MaxCatchUpOccurrences bounds the occurrences of one clean-up created in
// one go after a long outage: the latest ones are created.
const MaxCatchUpOccurrences = 60

// DueOccurrences returns the days of m's occurrences that are due by today
// and come after latest, its latest existing occurrence (from its anchor
// when it has none), oldest first: at most MaxCatchUpOccurrences, the
// latest ones. An occurrence is due on its own day, whether or not the ones
// before it were done; for a clean-up kept to working days that is the
// working day of cal its date moves to (see OnWorkday). A paused clean-up
// has none.
func (m *Maintenance) DueOccurrences(latest, today Date, cal WorkingTime) []Date {
	if m.Every.N <= 0 || m.Anchor.IsZero() || m.Paused {
		return nil
	}
	next := m.OnWorkday(m.Anchor, cal)
	if !latest.IsZero() && !latest.Before(m.Anchor) {
		next = m.ScheduledAfter(latest, cal)
	}
	var out []Date
	for ; !next.After(today); next = m.ScheduledAfter(next, cal) {
		out = append(out, next)
	}
	if len(out) > MaxCatchUpOccurrences {
		out = out[len(out)-MaxCatchUpOccurrences:]
	}
	return out
}

// OccurrenceMessages tell each assignee of new clean-up occurrences about
// them, in one DM per person.
func OccurrenceMessages(tasks []*Task, today Date) []Message {
	byUser := map[string][]*Task{}
	for _, t := range tasks {
		if t.Assignee != "" {
			byUser[t.Assignee] = append(byUser[t.Assignee], t)
		}
	}
	users := slices.Sorted(func(yield func(string) bool) {
		for u := range byUser {
			if !yield(u) {
				return
			}
		}
	})
	var out []Message
	for _, u := range users {
		ts := byUser[u]
		slices.SortFunc(ts, func(a, b *Task) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
		m := Message{Kind: MessageDM, To: u, Text: "*Recurring clean-up due:*"}
		var ids []string
		for _, t := range ts {
			m.Items = append(m.Items, TaskItem(t, today))
			ids = append(ids, fmt.Sprint(t.ID))
		}
		m.Footer = fmt.Sprintf("When it is done: `/upgrade done %s [note]`.", strings.Join(ids, " "))
		out = append(out, m)
	}
	return out
}
