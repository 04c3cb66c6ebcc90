package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// boardTasks is how many open tasks of one phase the release board names.
const boardTasks = 3

// release is one release on one page: its dates, where it is in the cycle,
// each phase of the team's plan planned against done, the gate waiting,
// its open checklist work by phase, the release-note verdicts and when the
// forecast has it go live.
func (c *call) release(cmd *Command) (string, error) {
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{})
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(rs, func(r *upgradebot.Release) bool { return r.Key == cmd.Key })
	if i < 0 {
		return "", upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no release %s; `/upgrade releases all` lists them.", upgradebot.Escape(cmd.Key))
	}
	r := rs[i]
	plan := c.settings.Config().Phases
	all, err := c.b.Desk.FindPhases(c.ctx, "")
	if err != nil {
		return "", err
	}
	var phases []*upgradebot.ReleasePhase
	for _, p := range all {
		if p.Release == r.Key {
			phases = append(phases, p)
		}
	}
	vendors, err := c.b.Desk.FindVendors(c.ctx)
	if err != nil {
		return "", err
	}
	var vendor *upgradebot.Vendor
	for _, v := range vendors {
		if strings.EqualFold(v.Name, r.Vendor) {
			vendor = v
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "*`%s`* %s %s · %s", r.Key, upgradebot.Escape(r.Vendor), upgradebot.Escape(r.Name), upgradebot.Progress(plan, phases).Human())
	fmt.Fprintf(&b, "\nGA %s", r.GA.Human())
	switch {
	case !r.Support.IsZero():
		fmt.Fprintf(&b, " · support until %s", r.Support.Human())
	case vendor != nil && vendor.SupportDays > 0:
		fmt.Fprintf(&b, " · support until %s (%s after GA, the vendor's window)", r.GA.AddDays(vendor.SupportDays).Human(), upgradebot.Span(vendor.SupportDays))
	}
	if err := c.boardGate(&b, r); err != nil {
		return "", err
	}
	c.boardPhases(&b, plan, phases)
	if err := c.boardTasks(&b, plan, r); err != nil {
		return "", err
	}
	if err := c.boardItems(&b, r); err != nil {
		return "", err
	}
	if err := c.boardForecast(&b, r, vendors, rs, all); err != nil {
		return "", err
	}
	return b.String(), nil
}

// boardGate names the gates of the release waiting for a decision.
func (c *call) boardGate(b *strings.Builder, r *upgradebot.Release) error {
	ds, err := c.b.Desk.FindDecisions(c.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Release == r.Key {
			fmt.Fprintf(b, "\n*Gate waiting*: closing %s (D%d), asked by %s, waiting on %s for %s", d.Phase, d.ID,
				upgradebot.Mention(d.RequestedBy), upgradebot.Mention(d.RoutedTo), upgradebot.Waited(c.b.Clock.Now().Sub(d.CreatedAt)))
		}
	}
	return nil
}

// boardPhases lists each phase of the plan: planned, then what happened.
func (c *call) boardPhases(b *strings.Builder, plan upgradebot.PhasePlan, phases []*upgradebot.ReleasePhase) {
	b.WriteString("\n*Phases* (planned · actual)")
	for _, ph := range plan.Phases() {
		i := slices.IndexFunc(phases, func(p *upgradebot.ReleasePhase) bool { return p.Phase == ph })
		if i < 0 {
			fmt.Fprintf(b, "\n• %s · not planned · not started", ph)
			continue
		}
		p := phases[i]
		line := fmt.Sprintf("\n• %s · %s – %s · ", ph, p.PlannedStart.Human(), p.PlannedEnd.Human())
		switch {
		case p.Start.IsZero():
			line += "not started"
		case p.End.IsZero():
			line += "started " + p.Start.Human()
			if p.PlannedEnd.Before(c.today) {
				line += fmt.Sprintf(" (*%s past its planned end*)", upgradebot.Plural(p.PlannedEnd.DaysUntil(c.today), "day"))
			}
		default:
			line += fmt.Sprintf("%s – %s", p.Start.Human(), p.End.Human())
			if late := p.PlannedEnd.DaysUntil(p.End); late > 0 {
				line += fmt.Sprintf(" (%s late)", upgradebot.Plural(late, "day"))
			}
		}
		b.WriteString(line)
	}
}

// boardTasks counts the release's open tasks by phase and names the first
// few of each.
func (c *call) boardTasks(b *strings.Builder, plan upgradebot.PhasePlan, r *upgradebot.Release) error {
	tasks, total, err := c.b.Desk.FindTasks(c.ctx, upgradebot.TaskFilter{Release: r.Key, Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}})
	if err != nil {
		return err
	}
	if total == 0 {
		b.WriteString("\n*Open work*: none.")
		return nil
	}
	fmt.Fprintf(b, "\n*Open work* (%d): `/upgrade list release:%s`", total, r.Key)
	for _, ph := range append(plan.Phases(), "") {
		var group []*upgradebot.Task
		for _, t := range tasks {
			if t.Phase == ph {
				group = append(group, t)
			}
		}
		if len(group) == 0 {
			continue
		}
		name := string(ph)
		if ph == "" {
			name = "no phase"
		}
		var titles []string
		for _, t := range group[:min(len(group), boardTasks)] {
			titles = append(titles, fmt.Sprintf("#%d %s", t.ID, upgradebot.Escape(upgradebot.Clip(t.Title, 60))))
		}
		line := fmt.Sprintf("\n• %s (%d): %s", name, len(group), strings.Join(titles, " · "))
		if len(group) > boardTasks {
			line += fmt.Sprintf(" · and %d more", len(group)-boardTasks)
		}
		b.WriteString(line)
	}
	return nil
}

// boardItems counts the release-note items by verdict.
func (c *call) boardItems(b *strings.Builder, r *upgradebot.Release) error {
	items, err := c.b.Desk.FindReleaseItems(c.ctx, r.Key)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		b.WriteString("\n*Release notes*: nothing logged yet.")
		return nil
	}
	var parts []string
	for _, v := range upgradebot.Verdicts {
		n := 0
		for _, it := range items {
			if it.Verdict == v {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v.Human()))
		}
	}
	fmt.Fprintf(b, "\n*Release notes*: %s (`/upgrade release %s items`)", strings.Join(parts, " · "), r.Key)
	return nil
}

// boardForecast says when the forecast has the release go live, if the
// vendor has a cadence and the release is not live.
func (c *call) boardForecast(b *strings.Builder, r *upgradebot.Release, vendors []*upgradebot.Vendor, releases []*upgradebot.Release, phases []*upgradebot.ReleasePhase) error {
	cal, err := c.calendar()
	if err != nil {
		return err
	}
	f := upgradebot.MakeForecast(upgradebot.ForecastInput{Today: c.today, Vendors: vendors, Releases: releases, Phases: phases,
		Plan: c.settings.Config().Phases, Calendar: cal, Freezes: c.freezesFrom(c.today)})
	for _, vf := range f.Vendors {
		for _, pl := range vf.Coming {
			if pl.Release.ID != r.ID {
				continue
			}
			fmt.Fprintf(b, "\n*Forecast go-live*: %s, at %s's pace: %s", pl.Live.Human(), upgradebot.Escape(vf.Vendor.Name), vf.Pace.CycleHuman())
			if pl.Moved != "" {
				fmt.Fprintf(b, ", moved: %s", pl.Moved)
			}
			b.WriteString(".")
			return nil
		}
	}
	return nil
}
