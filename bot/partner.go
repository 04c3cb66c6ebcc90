package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// spent logs time spent on a task and says the task's total.
func (c *call) spent(cmd *Command) (string, error) {
	e, err := c.b.Desk.LogTime(c.ctx, c.user, cmd.ID, cmd.Spent, cmd.Text)
	if err != nil {
		return "", err
	}
	entries, err := c.b.Desk.TimeSpent(c.ctx, e.TaskID)
	if err != nil {
		return "", err
	}
	t, err := c.b.Desk.FindTaskByID(c.ctx, e.TaskID)
	if err != nil {
		return "", err
	}
	var total, yours time.Duration
	for _, x := range entries {
		total += x.Spent
		if x.User == c.user {
			yours += x.Spent
		}
	}
	text := fmt.Sprintf("Logged %s on %s. Time spent on it: %s in all", upgradebot.FormatEffort(e.Spent), taskRef(t),
		upgradebot.FormatEffort(total))
	if yours != total {
		text += fmt.Sprintf(", %s of it yours", upgradebot.FormatEffort(yours))
	}
	if t.Estimate > 0 {
		text += fmt.Sprintf(" (estimated %s)", upgradebot.FormatEffort(t.Estimate))
	}
	return text + ".", nil
}

// partnerReport shows what the partners did in a month.
func (c *call) partnerReport(cmd *Command) (string, error) {
	from, to, err := upgradebot.ParseMonth(cmd.Text, c.today)
	if err != nil {
		return "", err
	}
	r, err := c.b.Desk.PartnerReport(c.ctx, from, to, c.today)
	if err != nil {
		return "", err
	}
	text := r.Text(c.today)
	if to.After(c.today) {
		text += fmt.Sprintf("\n_%s so far, to %s._", r.Month(), c.today.Human())
	}
	return text, nil
}

// adminPartner lists the partners, or makes someone one or a member again.
func (c *call) adminPartner(cmd *Command) (string, error) {
	switch cmd.Scope {
	case "add":
		if err := c.b.Desk.AddPartner(c.ctx, c.user, cmd.User); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is now a partner: they see the desk and work what is assigned to them; their new tasks wait unassigned for the team. `/upgrade admin partner remove @name` makes them a member again.",
			upgradebot.Mention(cmd.User)), nil
	case "remove":
		if err := c.b.Desk.RemovePartner(c.ctx, c.user, cmd.User); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is no longer a partner: they are a member, with the team's rights.", upgradebot.Mention(cmd.User)), nil
	}
	if len(c.settings.Partners) == 0 {
		return "No partners. An admin makes someone one with `/upgrade admin partner add @name`.", nil
	}
	var ms []string
	for _, p := range c.settings.Partners {
		ms = append(ms, upgradebot.Mention(p))
	}
	return "Partners: " + strings.Join(ms, ", ") + ". " + upgradebot.PartnerMay, nil
}

// phiScan lists what holds patient identifiers, by id and field.
func (c *call) phiScan(cmd *Command) (string, error) {
	found, err := c.b.Desk.ScanPHI(c.ctx, c.user)
	if err != nil {
		return "", err
	}
	if len(found) == 0 {
		return "*Patient-data scan*: nothing the desk keeps looks like a patient identifier.", nil
	}
	c.b.logger().Warn("patient data found", "user", c.user, "things", len(found))
	var b strings.Builder
	fmt.Fprintf(&b, "*Patient-data scan*: %s looks like it holds patient identifiers (the values are not shown):", upgradebot.Plural(len(found), "thing"))
	writeCapped(&b, found, func(f upgradebot.PHIFinding) string {
		hits := make([]string, len(f.Hits))
		for i, h := range f.Hits {
			hits[i] = h.String()
		}
		return f.Ref() + " · " + strings.Join(hits, ", ")
	})
	b.WriteString("\nCorrect what still changes (`edit <id> title:\"…\"`, `cancel <id>`, `maint edit <id> title:\"…\"`); " +
		"notes and the audit trail are kept as written, so have whoever runs the bot remove those from the database.")
	return b.String(), nil
}
