package upgradebot

import (
	"fmt"
	"strings"
	"time"
)

// TaskEdit is a change to some fields of an open task: a nil field is left
// as it is. A zero Due, Estimate or an empty Release or Ref clears it.
type TaskEdit struct {
	Title    *string
	Due      *Date
	Priority *Priority
	Estimate *time.Duration
	Kind     *TaskKind
	Release  *string // release key
	Ref      *string
	Site     *string // site key; "" for the whole system
}

// IsZero reports whether e changes nothing.
func (e TaskEdit) IsZero() bool { return e == TaskEdit{} }

// Apply sets the fields e names on t.
func (e TaskEdit) Apply(t *Task) {
	if e.Title != nil {
		t.Title = *e.Title
	}
	if e.Due != nil {
		t.Due = *e.Due
	}
	if e.Priority != nil {
		t.Priority = *e.Priority
	}
	if e.Estimate != nil {
		t.Estimate = *e.Estimate
	}
	if e.Kind != nil {
		t.Kind = *e.Kind
	}
	if e.Release != nil {
		t.Release = *e.Release
	}
	if e.Ref != nil {
		t.Ref = *e.Ref
	}
	if e.Site != nil {
		t.Site = *e.Site
	}
}

// TaskChanges lists the fields that differ between two states of one task as
// people read them: "due: Fri 4 Dec 2026 → Mon 7 Dec 2026", "assignee:
// <@U1> → unassigned". Title, ref and release are escaped.
func TaskChanges(before, after *Task) []string {
	var out []string
	add := func(field, b, a string) {
		if b != a {
			out = append(out, fmt.Sprintf("%s: %s → %s", field, b, a))
		}
	}
	add("title", `"`+Escape(before.Title)+`"`, `"`+Escape(after.Title)+`"`)
	add("status", string(before.Status), string(after.Status))
	add("assignee", assigneeWord(before.Assignee), assigneeWord(after.Assignee))
	add("due", before.Due.Human(), after.Due.Human())
	add("prio", string(before.Priority), string(after.Priority))
	add("est", effortWord(before.Estimate), effortWord(after.Estimate))
	add("kind", string(before.Kind), string(after.Kind))
	add("release", noneWord(Escape(before.Release)), noneWord(Escape(after.Release)))
	add("ref", noneWord(Escape(before.Ref)), noneWord(Escape(after.Ref)))
	add("site", noneWord(before.Site), noneWord(after.Site))
	return out
}

func assigneeWord(u string) string {
	if u == "" {
		return "unassigned"
	}
	return Mention(u)
}

func effortWord(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return FormatEffort(d)
}

func noneWord(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// taskLines is one task as "#5 Title", or several as bullets of TaskLine.
func taskLines(tasks []*Task, today Date) string {
	if len(tasks) == 1 {
		return TaskLine(tasks[0], today)
	}
	var b strings.Builder
	for _, t := range tasks {
		b.WriteString("\n• " + TaskLine(t, today))
	}
	return b.String()
}

// AssignedManyMessage tells a person that tasks were assigned to them by
// someone else: AssignedMessage for one task, a list for several.
func AssignedManyMessage(to, by string, tasks []*Task, today Date) Message {
	if len(tasks) == 1 {
		return AssignedMessage(tasks[0], by, today)
	}
	m := Message{Kind: MessageDM, To: to, Text: fmt.Sprintf("%s assigned you %d tasks:", Mention(by), len(tasks))}
	for _, t := range tasks {
		m.Items = append(m.Items, TaskItem(t, today))
	}
	return m
}

// TaskTakenMessage tells a person that someone else took tasks off them:
// gave them to another (to is then the new assignee) or left them unassigned
// (to "").
func TaskTakenMessage(from, by, to string, tasks []*Task, today Date) Message {
	verb := "reassigned"
	where := " to " + Mention(to)
	if to == "" {
		verb, where = "unassigned", ", which nobody has now"
	}
	text := fmt.Sprintf("%s %s your task %s%s.", Mention(by), verb, taskRef(tasks[0]), where)
	if len(tasks) > 1 {
		text = fmt.Sprintf("%s %s %d of your tasks%s:%s", Mention(by), verb, len(tasks), where, taskLines(tasks, today))
	}
	return Message{Kind: MessageDM, To: from, Text: text}
}

// TaskCancelledMessage tells an assignee that someone else cancelled their
// tasks, with the reason if one was given.
func TaskCancelledMessage(to, by, reason string, tasks []*Task, today Date) Message {
	reason = strings.TrimSpace(reason)
	if len(tasks) > 1 {
		why := ""
		if reason != "" {
			why = " (" + Escape(reason) + ")"
		}
		return Message{Kind: MessageDM, To: to,
			Text: fmt.Sprintf("%s cancelled %d of your tasks%s:%s", Mention(by), len(tasks), why, taskLines(tasks, today))}
	}
	text := fmt.Sprintf("%s cancelled your task %s", Mention(by), taskRef(tasks[0]))
	if reason != "" {
		text += ": " + Escape(reason)
	}
	return Message{Kind: MessageDM, To: to, Text: Sentence(text)}
}

// TaskEditedMessage tells an assignee what someone else changed on their
// task.
func TaskEditedMessage(to, by string, before, after *Task, today Date) Message {
	return Message{Kind: MessageDM, To: to, Text: fmt.Sprintf("%s changed your task %s: %s.\nNow: %s",
		Mention(by), taskRef(before), strings.Join(TaskChanges(before, after), ", "), TaskLine(after, today))}
}

// TaskReopenedMessage tells an assignee that someone else reopened their
// task.
func TaskReopenedMessage(to, by string, t *Task, today Date) Message {
	return Message{Kind: MessageDM, To: to, Text: fmt.Sprintf("%s reopened your task %s", Mention(by), TaskLine(t, today))}
}

// taskRef is "#5 Title".
func taskRef(t *Task) string { return fmt.Sprintf("#%d %s", t.ID, Escape(t.Title)) }
