package bot

import (
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// calendar is the team's working time: its zone, the stored working hours
// (else the defaults) and its holidays.
func (c *call) calendar() (upgradebot.WorkingTime, error) {
	holidays, err := c.b.Desk.Holidays(c.ctx)
	if err != nil {
		return upgradebot.WorkingTime{}, err
	}
	sc := c.settings.Config()
	return upgradebot.WorkingTime{Location: c.loc, Start: sc.WorkStart, End: sc.WorkEnd, Holidays: holidays}, nil
}

// workload shows open and overdue tasks and planned hours per person,
// flags who is over the team's threshold and suggests who has room.
func (c *call) workload(cmd *Command) (string, error) {
	loads, err := c.b.Desk.Loads(c.ctx, c.today)
	title := "*Workload*"
	if cmd.Site != "" {
		loads, err = c.b.Desk.SiteLoads(c.ctx, c.today, cmd.Site)
		title = "*Workload at " + upgradebot.Escape(c.settings.SiteName(cmd.Site)) + "*"
	}
	if err != nil {
		return "", err
	}
	w := upgradebot.BuildWorkload(loads, c.settings.Config().Workload)
	var b strings.Builder
	fmt.Fprintf(&b, "%s (over: more than %dh of work or %d open tasks)", title, w.Limits.Hours, w.Limits.Tasks)
	if len(w.Rows) == 0 && w.Unassigned.Open == 0 && w.Unassigned.Later == 0 {
		b.WriteString("\nNo open work.")
		return b.String(), nil
	}
	for i, r := range w.Rows {
		if i == listLimit {
			fmt.Fprintf(&b, "\n…and %d more.", len(w.Rows)-listLimit)
			break
		}
		b.WriteString("\n• " + upgradebot.Mention(r.User))
		if c.settings.IsPartner(r.User) {
			b.WriteString(" (partner)")
		}
		b.WriteString(" · " + loadText(r.Load))
		if r.Over {
			b.WriteString(" · *over*")
		}
	}
	if w.Unassigned.Open > 0 || w.Unassigned.Later > 0 {
		b.WriteString("\n• unassigned · " + loadText(w.Unassigned))
	}
	if len(c.settings.Partners) > 0 {
		in, out := w.Sides(c.settings.IsPartner)
		b.WriteString("\n" + sidesLine(in, out))
	}
	for _, s := range w.Suggestions {
		if s.Queue {
			fmt.Fprintf(&b, "\nSuggestion: share about %s of %s's clean-up queues with %s, who has room.",
				upgradebot.FormatEffort(s.Hours), upgradebot.Mention(s.From), upgradebot.Mention(s.To))
			continue
		}
		fmt.Fprintf(&b, "\nSuggestion: move %s", upgradebot.Plural(s.Tasks, "task"))
		if s.Hours > 0 {
			fmt.Fprintf(&b, " (about %s)", upgradebot.FormatEffort(s.Hours))
		}
		fmt.Fprintf(&b, " from %s to %s, who has room.", upgradebot.Mention(s.From), upgradebot.Mention(s.To))
	}
	var over []string
	for _, r := range w.Rows {
		if r.Over {
			over = append(over, r.User)
		}
	}
	if len(over) > len(w.Suggestions) {
		b.WriteString("\nNobody else has room: consider moving due dates (`due <id> <date>`).")
	}
	fmt.Fprintf(&b, "\n_Work is task estimates plus clean-up queues (items over rate, %dh a working day); checklist tasks due more than %d days ahead are counted apart._",
		upgradebot.WorkdayHours, upgradebot.WorkloadWindowDays)
	return b.String(), nil
}

// sidesLine puts the in-house team's work and the partners' side by side:
// "In-house: 4 people, 12 open tasks, 48h of work · Partners: 1 person, 2
// open tasks, 8h of work (14% of the hours)."
func sidesLine(in, out upgradebot.TeamSide) string {
	side := func(s upgradebot.TeamSide) string {
		people := fmt.Sprintf("%d people", s.People)
		if s.People == 1 {
			people = "1 person"
		}
		return fmt.Sprintf("%s, %s, %s of work", people, upgradebot.Plural(s.Load.Open, "open task"),
			upgradebot.FormatEffort(s.Load.Hours()))
	}
	line := "In-house: " + side(in) + " · Partners: " + side(out)
	if all := in.Load.Hours() + out.Load.Hours(); all > 0 {
		line += fmt.Sprintf(" (%d%% of the hours)", int(out.Load.Hours()*100/all))
	}
	return line + "."
}

func loadText(l upgradebot.Load) string {
	s := upgradebot.Plural(l.Open, "open task")
	if l.Overdue > 0 {
		s += fmt.Sprintf(", %d overdue", l.Overdue)
	}
	if l.Planned > 0 {
		s += " · " + upgradebot.FormatEffort(l.Planned) + " planned"
		if l.Unestimated > 0 {
			s += fmt.Sprintf(" (+%d not estimated)", l.Unestimated)
		}
	}
	if l.Queued > 0 {
		s += fmt.Sprintf(" · %s in %s", upgradebot.FormatEffort(l.Queued), upgradebot.Plural(l.Queues, "clean-up queue"))
		if l.Planned > 0 {
			s += fmt.Sprintf(" · %s in all", upgradebot.FormatEffort(l.Hours()))
		}
	}
	if l.Later > 0 {
		s += fmt.Sprintf(" · %s later", upgradebot.Plural(l.Later, "checklist task"))
	}
	return s
}

// maintQueue records a clean-up's queue and rate, and says when it clears.
func (c *call) maintQueue(cmd *Command) (string, error) {
	m, err := c.b.Desk.SetQueue(c.ctx, c.user, cmd.ID, cmd.Queue, cmd.Rate)
	if err != nil {
		return "", err
	}
	cal, err := c.calendar()
	if err != nil {
		return "", err
	}
	all, err := c.b.Desk.FindMaintenance(c.ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Recorded for %s: %s (one person, %d hours a working day, their queues one after another).",
		upgradebot.Escape(m.Title), m.QueueSummary(cal, upgradebot.PlanQueues(all, cal)), upgradebot.WorkdayHours), nil
}
