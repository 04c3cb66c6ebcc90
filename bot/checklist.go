package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// checklist shows the release checklist template by phase.
func (c *call) checklist(cmd *Command) (string, error) {
	items, err := c.b.Desk.Checklist(c.ctx)
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return "*Release checklist*: empty. An admin adds the tasks every new release gets with " +
			"`/upgrade checklist add <phase> <title> [est:4h]`.", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*Release checklist* (%d): every new release gets these as tasks", len(items))
	// The team's items, then each vendor's own, each by phase.
	var vendors []string
	for _, it := range items {
		if it.Vendor != "" && !slices.Contains(vendors, it.Vendor) {
			vendors = append(vendors, it.Vendor)
		}
	}
	slices.Sort(vendors)
	for _, v := range append([]string{""}, vendors...) {
		if v != "" {
			fmt.Fprintf(&b, "\n*%s's own* (its releases get these instead)", upgradebot.Escape(v))
		}
		var phase upgradebot.Phase
		for _, it := range items {
			if it.Vendor != v {
				continue
			}
			if it.Phase != phase {
				phase = it.Phase
				fmt.Fprintf(&b, "\n*%s*", phase)
			}
			b.WriteString("\n• " + checklistLine(it))
		}
	}
	return b.String(), nil
}

// checklistLine is "3. Run the regression scripts · est 16h".
func checklistLine(it *upgradebot.ChecklistItem) string {
	s := fmt.Sprintf("%d. %s", it.ID, upgradebot.Escape(it.Title))
	if it.Estimate > 0 {
		s += " · est " + upgradebot.FormatEffort(it.Estimate)
	}
	return s
}

func (c *call) checklistAdd(cmd *Command) (string, error) {
	if err := c.teamPhase(cmd); err != nil {
		return "", err
	}
	it := &upgradebot.ChecklistItem{Phase: cmd.Phase, Title: cmd.Title, Estimate: cmd.Estimate, Vendor: cmd.Vendor}
	if err := c.b.Desk.AddChecklistItem(c.ctx, c.user, it); err != nil {
		return "", err
	}
	whose := "Releases recorded from now on get it as a task."
	if it.Vendor != "" {
		whose = fmt.Sprintf("%s's releases recorded from now on get it as a task, with %s's other items of its own instead of the team's.",
			upgradebot.Escape(it.Vendor), upgradebot.Escape(it.Vendor))
	}
	return fmt.Sprintf("Added to the %s phase of the release checklist: %s. %s", it.Phase, checklistLine(it), whose), nil
}

func (c *call) checklistRemove(cmd *Command) (string, error) {
	it, err := c.b.Desk.RemoveChecklistItem(c.ctx, c.user, cmd.ID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Removed from the %s phase of the release checklist: %s. Releases already recorded keep their task.",
		it.Phase, checklistLine(it)), nil
}

// releaseItem logs the verdict on one item of a release's notes.
func (c *call) releaseItem(cmd *Command) (string, error) {
	it := &upgradebot.ReleaseItem{Title: cmd.Title, Verdict: upgradebot.Verdict(cmd.Scope), Reason: cmd.Text}
	if err := c.b.Desk.LogReleaseItem(c.ctx, c.user, cmd.Key, it); err != nil {
		return "", err
	}
	var text string
	if it.Was == "" {
		text = fmt.Sprintf("Logged on `%s`: *%s* %s", it.Release, it.Verdict.Human(), itemLine(it))
	} else {
		text = fmt.Sprintf("Changed on `%s` from %s to *%s*: %s", it.Release, it.Was.Human(), it.Verdict.Human(), itemLine(it))
	}
	if it.Verdict == upgradebot.VerdictDefer {
		text = upgradebot.Sentence(text) + " It comes back in the next release's checklist"
	}
	return upgradebot.Sentence(text), nil
}

// itemLine is "New MAR layout — needs nursing sign-off".
func itemLine(it *upgradebot.ReleaseItem) string {
	s := upgradebot.Escape(it.Title)
	if it.Reason != "" {
		s += " — " + upgradebot.Escape(upgradebot.Clip(it.Reason, 200))
	}
	return s
}

// releaseItems shows a release's note items grouped by verdict, then the
// items deferred in earlier releases of its vendor that are still carried;
// each group shows its count and at most listLimit items.
func (c *call) releaseItems(cmd *Command) (string, error) {
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{Key: cmd.Key})
	if err != nil {
		return "", err
	}
	if len(rs) == 0 {
		return "", upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no release %s; `/upgrade releases all` lists them.", upgradebot.Escape(cmd.Key))
	}
	r := rs[0]
	own, err := c.b.Desk.FindReleaseItems(c.ctx, r.Key)
	if err != nil {
		return "", err
	}
	carried, err := c.b.Desk.DeferredItems(c.ctx, r.Key)
	if err != nil {
		return "", err
	}

	var b strings.Builder
	if len(own) == 0 {
		fmt.Fprintf(&b, "*Release notes of `%s`*: nothing logged yet. Log each item with "+
			"`/upgrade release %s item adopt|defer|skip \"<title>\" <reason>`.", r.Key, r.Key)
	} else {
		fmt.Fprintf(&b, "*Release notes of `%s`* (%d items)", r.Key, len(own))
	}
	for _, v := range upgradebot.Verdicts {
		var group []*upgradebot.ReleaseItem
		for _, it := range own {
			if it.Verdict == v {
				group = append(group, it)
			}
		}
		if len(group) > 0 {
			fmt.Fprintf(&b, "\n*%s* (%d)", upgradebot.UpperFirst(v.Human()), len(group))
			writeCapped(&b, group, itemLine)
		}
	}
	if len(carried) > 0 {
		fmt.Fprintf(&b, "\n*Still deferred from earlier releases* (%d)", len(carried))
		writeCapped(&b, carried, func(it *upgradebot.ReleaseItem) string {
			return fmt.Sprintf("%s · deferred in `%s` by %s", itemLine(it), it.Release, upgradebot.Mention(it.DecidedBy))
		})
	}
	return b.String(), nil
}

// checklistNote is what `release add` adds about the checklist tasks it
// created: " and 6 checklist tasks (1 deferred item to revisit)".
func checklistNote(r *upgradebot.Release) string {
	if r.ChecklistTasks == 0 {
		return ""
	}
	s := " and " + upgradebot.Plural(r.ChecklistTasks, "checklist task")
	if r.RevisitTasks > 0 {
		s += " (" + upgradebot.Plural(r.RevisitTasks, "deferred item") + " to revisit)"
	}
	return s
}
