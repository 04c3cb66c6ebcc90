package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Working on several tasks at once and correcting them: done, assign and
// cancel take several ids; edit, unassign, reopen and undo (issue 10).

// editOptions are the fields edit changes, as option keys.
var editOptions = []string{"title", "due", "prio", "est", "kind", "release", "ref", "site"}

// undoSummary is undo's line in help.
var undoSummary = fmt.Sprintf("take back your own last change to tasks (done, assign, unassign, due, edit, cancel or reopen: the whole command) within %d minutes, "+
	"restoring them exactly as they were; refused if someone else changed them since; `undo` again puts the change back",
	int(upgradebot.UndoWindow/time.Minute))

// parseUndo reads nothing: undo takes no arguments.
func parseUndo(p *parser, c *Command) error {
	if len(p.toks) > 0 {
		return p.usageErr(fmt.Sprintf("I didn't expect %q: `undo` takes nothing, it takes back your own last change to tasks.", upgradebot.Clip(strings.Join(p.rest(), " "), 30)))
	}
	return nil
}

// clears is the value that clears an optional field in edit.
const clears = "none"

// parseEdit reads "<id> field:value...": at least one of editOptions,
// each read and checked as add reads it; none clears due, est, release and
// ref. Words that are not options are refused with the form to write.
func parseEdit(p *parser, c *Command) error {
	if err := p.id(c); err != nil {
		return err
	}
	if len(p.toks) > 0 {
		if _, ok, _ := p.toks[0].userRef(); ok {
			return p.usageErr(fmt.Sprintf("`edit` does not take a person: `assign %d @name` gives the task to someone.", c.ID))
		}
		return p.usageErr(fmt.Sprintf("I didn't expect %q: `edit` changes the fields you name as options. Write `edit %d %s`.",
			upgradebot.Clip(strings.Join(p.rest(), " "), 40), c.ID, editForm(p.rest(), p.today)))
	}
	if len(p.opts) == 0 {
		return p.usageErr(fmt.Sprintf("what should change? Name at least one field, like `edit %d due:fri prio:high`.", c.ID))
	}
	e := &c.Edit
	var err error
	if v, ok := p.opts["title"]; ok {
		if v = strings.TrimSpace(v); v == "" {
			return p.usageErr(`title: needs the new title, in quotes if it has spaces: title:"Review the release notes".`)
		}
		if err := upgradebot.ValidateTitle("title", v); err != nil {
			return p.usageErr(upgradebot.ErrorMessage(err) + ".")
		}
		e.Title = &v
	}
	if v, ok := p.opts["due"]; ok {
		var d upgradebot.Date
		if !strings.EqualFold(v, clears) {
			if d, err = p.date("due"); err != nil {
				return err
			}
		}
		e.Due = &d
	}
	if v, ok := p.opts["prio"]; ok {
		pr, err := p.priority(v)
		if err != nil {
			return err
		}
		e.Priority = &pr
	}
	if v, ok := p.opts["est"]; ok {
		var d time.Duration
		if !strings.EqualFold(v, clears) {
			if d, err = upgradebot.ParseEstimate(v); err != nil {
				return err
			}
		}
		e.Estimate = &d
	}
	if v, ok := p.opts["kind"]; ok {
		k, err := parseKind(v)
		if err != nil {
			return err
		}
		e.Kind = &k
	}
	if v, ok := p.opts["release"]; ok {
		key := strings.ToLower(v)
		if key == clears {
			key = ""
		} else if key == "" {
			return p.usageErr("release: needs a key, like release:medcore-2027.1, or none.")
		}
		e.Release = &key
	}
	if v, ok := p.opts["ref"]; ok {
		ref := v
		if strings.EqualFold(ref, clears) {
			ref = ""
		} else if ref, err = p.ref(v); err != nil {
			return err
		}
		e.Ref = &ref
	}
	if v, ok := p.opts["site"]; ok {
		key := ""
		if !strings.EqualFold(v, clears) {
			if key, err = upgradebot.ParseSiteKey(v); err != nil {
				return p.usageErr(upgradebot.ErrorMessage(err) + ", or none.")
			}
		}
		e.Site = &key
	}
	return nil
}

// editFields are the words people write for edit's fields, by the field.
var editFields = map[string]string{"title": "title", "due": "due", "prio": "prio", "priority": "prio",
	"est": "est", "estimate": "est", "kind": "kind", "release": "release", "ref": "ref", "site": "site"}

// editForm is the option an edit's stray words were most likely meant as,
// for a refusal: "title Foo bar" and "Foo bar" are title:"Foo bar", "high"
// prio:high, "8h" est:8h, "fri" due:fri.
func editForm(words []string, today upgradebot.Date) string {
	field := "title"
	if len(words) > 1 {
		if f, ok := editFields[strings.ToLower(words[0])]; ok {
			field, words = f, words[1:]
		}
	}
	value := strings.Join(words, " ")
	if len(words) == 1 && field == "title" {
		w := strings.ToLower(value)
		_, estErr := upgradebot.ParseEstimate(w)
		switch {
		case slices.Contains(upgradebot.Priorities, upgradebot.Priority(w)):
			field = "prio"
		case estErr == nil:
			field = "est"
		case looksLikeDate(w, today):
			field = "due"
		}
	}
	value = upgradebot.Clip(value, 60)
	if strings.ContainsAny(value, " \t") || field == "title" {
		value = `"` + value + `"`
	}
	return field + ":" + value
}

// priority reads prio: as add does.
func (p *parser) priority(v string) (upgradebot.Priority, error) {
	pr := upgradebot.Priority(strings.ToLower(v))
	if !slices.Contains(upgradebot.Priorities, pr) {
		return "", p.usageErr(fmt.Sprintf("prio %q is not one of high, normal, low.", upgradebot.Clip(v, 20)))
	}
	return pr, nil
}

// ref reads ref: as add does.
func (p *parser) ref(v string) (string, error) {
	if v == "" || len(v) > 64 {
		return "", p.usageErr("ref: needs a ticket number of up to 64 characters, like ref:CHG0012345.")
	}
	return v, nil
}

// taskIDs are the ids a command names: IDs when several, else ID.
func (cmd *Command) taskIDs() []int64 {
	if len(cmd.IDs) > 0 {
		return cmd.IDs
	}
	return []int64{cmd.ID}
}

// told is " @a has been told." or " @a and @b have been told." for the
// people other than the user, or "".
func (c *call) told(people ...string) string {
	var ms []string
	for _, p := range people {
		if p != "" && p != c.user && !slices.Contains(ms, upgradebot.Mention(p)) {
			ms = append(ms, upgradebot.Mention(p))
		}
	}
	switch len(ms) {
	case 0:
		return ""
	case 1:
		return " " + ms[0] + " has been told."
	}
	return " " + strings.Join(ms[:len(ms)-1], ", ") + " and " + ms[len(ms)-1] + " have been told."
}

// taskRef is "#5 Title", escaped.
func taskRef(t *upgradebot.Task) string {
	return fmt.Sprintf("#%d %s", t.ID, upgradebot.Escape(t.Title))
}

func (c *call) done(cmd *Command) (string, error) {
	done, next, err := c.b.Desk.CompleteTasks(c.ctx, c.user, cmd.taskIDs(), cmd.Text)
	if err != nil {
		return "", err
	}
	line := func(i int) string {
		s := taskRef(done[i])
		if next[i] != nil {
			s += fmt.Sprintf(". Next occurrence: #%d, due %s", next[i].ID, next[i].Due.Relative(c.today))
		}
		return s
	}
	if len(done) == 1 {
		return "Done: " + line(0) + ".", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Done, %d tasks:", len(done))
	for i := range done {
		b.WriteString("\n• " + line(i))
	}
	return b.String(), nil
}

func (c *call) assign(cmd *Command) (string, error) {
	was, tasks, err := c.b.Desk.AssignTasks(c.ctx, c.user, cmd.taskIDs(), cmd.User)
	if err != nil {
		return "", err
	}
	var told []string
	if cmd.User != c.user && slices.ContainsFunc(was, func(t *upgradebot.Task) bool { return t.Assignee != cmd.User }) {
		told = append(told, cmd.User)
	}
	var lines []string
	for i, t := range tasks {
		line := taskRef(t)
		if from := was[i].Assignee; from != "" && from != cmd.User {
			line += " (was " + upgradebot.Mention(from) + ")"
			if from != c.user {
				told = append(told, from)
			}
		}
		lines = append(lines, line)
	}
	if len(tasks) == 1 {
		return fmt.Sprintf("Assigned %s to %s.%s", lines[0], upgradebot.Mention(cmd.User), c.told(told...)), nil
	}
	return fmt.Sprintf("Assigned %d tasks to %s:\n• %s\n%s", len(tasks), upgradebot.Mention(cmd.User),
		strings.Join(lines, "\n• "), strings.TrimSpace(c.told(told...))), nil
}

func (c *call) unassign(cmd *Command) (string, error) {
	was, tasks, err := c.b.Desk.AssignTasks(c.ctx, c.user, []int64{cmd.ID}, "")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s is now unassigned.%s", taskRef(tasks[0]), c.told(was[0].Assignee)), nil
}

func (c *call) cancel(cmd *Command) (string, error) {
	tasks, err := c.b.Desk.CancelTasks(c.ctx, c.user, cmd.taskIDs(), cmd.Text)
	if err != nil {
		return "", err
	}
	var told []string
	for _, t := range tasks {
		told = append(told, t.Assignee)
	}
	if len(tasks) == 1 {
		return fmt.Sprintf("Cancelled %s.%s", taskRef(tasks[0]), c.told(told...)), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Cancelled %d tasks:", len(tasks))
	for _, t := range tasks {
		b.WriteString("\n• " + taskRef(t))
	}
	if s := c.told(told...); s != "" {
		b.WriteString("\n" + strings.TrimSpace(s))
	}
	return b.String(), nil
}

func (c *call) edit(cmd *Command) (string, error) {
	was, t, err := c.b.Desk.EditTask(c.ctx, c.user, cmd.ID, cmd.Edit)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("Changed %s: %s.", taskRef(was), strings.Join(upgradebot.TaskChanges(was, t), ", "))
	if t.Assignee != "" && t.Assignee != c.user {
		text += c.told(t.Assignee)
	}
	if c.settings.IsPartner(c.user) && was.Due != t.Due {
		text += " The team has been told of the new due date."
	}
	if cmd.Edit.Due != nil && !t.Due.IsZero() {
		if t.Due.Before(c.today) {
			text += " That is already past, so it shows as overdue."
		}
		text += c.freezeNote(t.Due, t.Site)
	}
	return text, nil
}

func (c *call) reopen(cmd *Command) (string, error) {
	t, err := c.b.Desk.ReopenTask(c.ctx, c.user, cmd.ID)
	if err != nil {
		return "", err
	}
	return "Reopened " + upgradebot.TaskLine(t, c.today) + "." + c.told(t.Assignee), nil
}

func (c *call) undo(cmd *Command) (string, error) {
	u, err := c.b.Desk.UndoTaskChange(c.ctx, c.user)
	if err != nil {
		return "", err
	}
	verb := strings.TrimPrefix(u.Action, "task.")
	var b strings.Builder
	fmt.Fprintf(&b, "Took back your `%s` (made at %s):", verb, c.stamp(u.At))
	var told []string
	for i, t := range u.Tasks {
		fmt.Fprintf(&b, "\n• %s (%s)", upgradebot.TaskLine(t, c.today), strings.Join(upgradebot.TaskChanges(u.Was[i], t), ", "))
		told = append(told, u.Was[i].Assignee, t.Assignee)
	}
	for _, t := range u.Removed {
		fmt.Fprintf(&b, "\n• #%d, the next occurrence it had scheduled, is cancelled.", t.ID)
		told = append(told, t.Assignee)
	}
	if s := c.told(told...); s != "" {
		b.WriteString("\n" + strings.TrimSpace(s))
	}
	b.WriteString("\n`undo` again puts it back.")
	return b.String(), nil
}
