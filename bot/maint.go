package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// Correcting a recurring clean-up: maint edit, pause, resume and remove,
// each also written with the id first (maint 4 pause), as maint queue is.
//
// Working days: `workdays:yes` on maint add or maint edit keeps a
// clean-up's occurrences to the team's working days (an occurrence whose
// day is a weekend or a holiday is due the next working day);
// `workdays:no` lets them fall on any day again.

// skipVerb drops the command's own last word where keyFirst puts it,
// after the first argument: "maint 4 pause" reads as "maint pause 4".
func (p *parser) skipVerb() {
	if len(p.toks) < 2 || !p.toks[1].word() {
		return
	}
	w := p.toks[1].lower()
	for _, name := range append([]string{p.spec.name}, p.spec.aliases...) {
		if _, last, ok := strings.Cut(name, " "); ok && last == w {
			p.toks = slices.Delete(slices.Clone(p.toks), 1, 2)
			return
		}
	}
}

// workdays reads the workdays: option: "yes", "no", or "" when absent.
func (p *parser) workdays() (string, error) {
	v, ok := p.opts["workdays"]
	if !ok {
		return "", nil
	}
	switch strings.ToLower(v) {
	case "yes", "on", "true", "y":
		return "yes", nil
	case "no", "off", "false", "n":
		return "no", nil
	}
	return "", p.usageErr(fmt.Sprintf("write workdays:yes or workdays:no, not %q.", upgradebot.Clip(v, 20)))
}

// trailingOption refuses text whose last unquoted word is word, an option
// written without its colon ("… every:2w workdays"): it is never filed
// into the text. form is how to write it.
func (p *parser) trailingOption(what, word, form string) error {
	n := len(p.toks)
	if n == 0 || !p.toks[n-1].word() || p.toks[n-1].lower() != word {
		return nil
	}
	return p.usageErr(fmt.Sprintf("%q at the end of the %s reads like an option: write `%s`, or put the %s in quotes if the word belongs to it.",
		p.toks[n-1].text, what, form, what))
}

// parseMaintID reads "<id>" after maint pause|resume|remove, or "<id>
// <verb>" after maint.
func parseMaintID(p *parser, c *Command) error {
	p.skipVerb()
	return p.onlyID(c)
}

// parseMaintEdit reads `<id> [title:"…"] [every:…] [@user] [first:<date>]
// [workdays:yes|no]`, at least one of them.
func parseMaintEdit(p *parser, c *Command) error {
	p.skipVerb()
	if err := p.id(c); err != nil {
		return err
	}
	var err error
	if c.User, err = p.oneUser("assignee"); err != nil {
		return err
	}
	if v, ok := p.opts["title"]; ok {
		c.Title = strings.TrimSpace(v)
		if err := upgradebot.ValidateTitle("title", c.Title); err != nil {
			return p.usageErr(upgradebot.ErrorMessage(err) + ".")
		}
	}
	if v, ok := p.opts["every"]; ok {
		if c.Every, err = upgradebot.ParseInterval(strings.ToLower(v)); err != nil {
			return err
		}
	}
	if c.First, err = p.date("first"); err != nil {
		return err
	}
	if c.Workdays, err = p.workdays(); err != nil {
		return err
	}
	if len(p.toks) > 0 {
		return p.usageErr(fmt.Sprintf("I didn't expect %q: write a new title as title:\"…\".", upgradebot.Clip(p.toks[0].plain(), 30)))
	}
	if c.Title == "" && c.Every.N == 0 && c.User == "" && c.First.IsZero() && c.Workdays == "" {
		return p.usageErr(`what should change? Give title:"…", every:, @user, first: or workdays:yes|no.`)
	}
	return nil
}

// maintLine is a clean-up in one line: "4. Title · every 2 weeks, on
// working days · @alice", and paused when it is.
func maintLine(m *upgradebot.Maintenance) string {
	s := fmt.Sprintf("%d. %s · %s · %s", m.ID, upgradebot.Escape(m.Title), m.Schedule(), upgradebot.Mention(m.Assignee))
	if m.Paused {
		s += " · *paused*"
	}
	return s
}

// told is " @a has been told." for the people a change was sent to.
func told(users []string) string {
	switch len(users) {
	case 0:
		return ""
	case 1:
		return " " + upgradebot.Mention(users[0]) + " has been told."
	}
	ms := make([]string, len(users))
	for i, u := range users {
		ms[i] = upgradebot.Mention(u)
	}
	return " " + strings.Join(ms, " and ") + " have been told."
}

// openOccurrence is clean-up id's open occurrence as the list shows it:
// its task id and due day, or 0.
func (c *call) openOccurrence(id int64) (int64, upgradebot.Date, error) {
	ms, err := c.b.Desk.FindMaintenance(c.ctx)
	if err != nil {
		return 0, upgradebot.Date{}, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m.OpenTaskID, m.NextDue, nil
		}
	}
	return 0, upgradebot.Date{}, nil
}

func (c *call) maintEdit(cmd *Command) (string, error) {
	ch := upgradebot.MaintenanceChange{Title: cmd.Title, Every: cmd.Every, Assignee: cmd.User, Anchor: cmd.First}
	if cmd.Workdays != "" {
		yes := cmd.Workdays == "yes"
		ch.Workdays = &yes
	}
	res, err := c.b.Desk.EditMaintenance(c.ctx, c.user, cmd.ID, ch)
	if err != nil {
		return "", err
	}
	m := res.Maintenance
	text := "Changed clean-up " + maintLine(m) + "."
	moved := false
	for _, t := range res.Occurrences {
		text += " Open occurrence: " + upgradebot.TaskLine(t, c.today) + "."
		moved = moved || !t.Due.Before(c.today)
	}
	if rescheduled := cmd.Every.N != 0 || !cmd.First.IsZero() || cmd.Workdays != ""; rescheduled && !moved {
		id, due, err := c.openOccurrence(m.ID)
		if err != nil {
			return "", err
		}
		if id != 0 && due.Before(c.today) {
			text += fmt.Sprintf(" Its open occurrence #%d stays due %s: it is overdue, and a new schedule does not hide late work.", id, due.Relative(c.today))
		}
	}
	return text + told(res.Told), nil
}

func (c *call) maintPause(cmd *Command) (string, error) {
	res, err := c.b.Desk.PauseMaintenance(c.ctx, c.user, cmd.ID)
	if err != nil {
		return "", err
	}
	m := res.Maintenance
	text := fmt.Sprintf("Paused clean-up %d. %s: no new occurrence until `/upgrade maint resume %d`.", m.ID, upgradebot.Escape(m.Title), m.ID)
	for _, t := range res.Occurrences {
		text += " Still open: " + upgradebot.TaskLine(t, c.today) + "."
	}
	return text + told(res.Told), nil
}

func (c *call) maintResume(cmd *Command) (string, error) {
	res, err := c.b.Desk.ResumeMaintenance(c.ctx, c.user, cmd.ID)
	if err != nil {
		return "", err
	}
	m := res.Maintenance
	text := fmt.Sprintf("Resumed clean-up %d. %s, %s.", m.ID, upgradebot.Escape(m.Title), m.Schedule())
	if len(res.Occurrences) > 0 {
		text += " Next occurrence: " + upgradebot.TaskLine(res.Occurrences[0], c.today) + ". The ones missed while paused are not made up."
	} else if id, due, err := c.openOccurrence(m.ID); err != nil {
		return "", err
	} else if id != 0 {
		text += fmt.Sprintf(" Its open occurrence #%d is due %s.", id, due.Relative(c.today))
	}
	return text + told(res.Told), nil
}

func (c *call) maintRemove(cmd *Command) (string, error) {
	res, err := c.b.Desk.RemoveMaintenance(c.ctx, c.user, cmd.ID)
	if err != nil {
		return "", err
	}
	m := res.Maintenance
	text := fmt.Sprintf("Removed clean-up %d. %s: it makes no more occurrences", m.ID, upgradebot.Escape(m.Title))
	var ids []string
	for _, t := range res.Occurrences {
		ids = append(ids, fmt.Sprintf("#%d", t.ID))
	}
	switch len(ids) {
	case 0:
	case 1:
		text += ", and its open occurrence " + ids[0] + " was cancelled"
	default:
		text += ", and its open occurrences " + strings.Join(ids, ", ") + " were cancelled"
	}
	text += fmt.Sprintf(". Its trail stays: `/upgrade audit maint %d`.", m.ID)
	return text + told(res.Told), nil
}
