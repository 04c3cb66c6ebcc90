package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
)

// What the App Home shows at most.
const (
	homeTasks     = 20 // open tasks, each with a Done button
	homeDecisions = 10 // pending decisions, each with Approve / Reject
	homeReleases  = 5
	homeCleanups  = 10
)

// HomeView builds user's App Home tab: their open tasks, soonest due first,
// with Done buttons; the decisions waiting on them if they decide today (the
// owner, or the delegate while the owner is away), with Approve / Reject
// buttons; the next vendor releases; overdue recurring clean-ups; and, for
// admins, how many outgoing messages failed for good. It stays well under
// Slack's 100-block limit for a view.
func (b *Bot) HomeView(ctx context.Context, user string) (slack.HomeTabViewRequest, error) {
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab}
	settings, err := b.Desk.Settings(ctx)
	if err != nil {
		return view, fmt.Errorf("bot: home for %s: read settings: %w", user, err)
	}
	now := b.Clock.Now()
	loc := settings.Location()
	c := &call{ctx: ctx, b: b, user: user, settings: settings, loc: loc, today: upgradebot.Today(now, loc)}
	blocks := []slack.Block{
		slack.NewHeaderBlock(plainText("Upgrade desk")),
		slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType,
			fmt.Sprintf("Updated %s. Everything here works as `/upgrade` commands too: `/upgrade help`.", c.stamp(now)), false, true)),
	}
	for _, part := range []func() ([]slack.Block, error){c.homeTasks, c.homeDecisions, c.homeReleases, c.homeCleanups, c.homeDelivery} {
		bs, err := part()
		if err != nil {
			return view, fmt.Errorf("bot: home for %s: %w", user, err)
		}
		if len(bs) > 0 {
			blocks = append(blocks, slack.NewDividerBlock())
			blocks = append(blocks, bs...)
		}
	}
	if len(blocks) > maxHomeBlocks { // not reachable with the limits above; never let Slack refuse the view
		blocks = blocks[:maxHomeBlocks]
	}
	view.Blocks = slack.Blocks{BlockSet: blocks}
	return view, nil
}

// homeTasks lists the viewer's open tasks with a Done button each.
func (c *call) homeTasks() ([]slack.Block, error) {
	tasks, total, err := c.b.Desk.FindTasks(c.ctx, upgradebot.TaskFilter{Assignee: c.user,
		Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}, Limit: homeTasks})
	if err != nil {
		return nil, fmt.Errorf("find tasks: %w", err)
	}
	if total == 0 {
		return []slack.Block{mrkdwnSection("*Your open tasks*: none. Add one with `/upgrade add`.")}, nil
	}
	blocks := []slack.Block{mrkdwnSection(fmt.Sprintf("*Your open tasks* (%d), soonest due first", total))}
	for _, t := range tasks {
		id := strconv.FormatInt(t.ID, 10)
		done := slack.NewButtonBlockElement(ActionDone, id, plainText("Done"))
		blocks = append(blocks, slack.NewSectionBlock(
			slack.NewTextBlockObject(slack.MarkdownType, upgradebot.TaskLine(t, c.today), false, true),
			nil, slack.NewAccessory(done), slack.SectionBlockOptionBlockID("task_"+id)))
	}
	if more := total - len(tasks); more > 0 {
		blocks = append(blocks, homeContext(fmt.Sprintf("…and %d more: `/upgrade list mine`.", more)))
	}
	return blocks, nil
}

// homeDecisions lists the pending decisions, longest waiting first, if the
// viewer is the one who decides today; otherwise nothing.
func (c *call) homeDecisions() ([]slack.Block, error) {
	if c.settings.Owner == "" {
		return nil, nil
	}
	r, err := c.routing()
	if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
		return nil, err
	}
	if err != nil || !r.MayDecide(c.user) {
		return nil, nil
	}
	ds, err := c.b.Desk.FindDecisions(c.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	if err != nil {
		return nil, fmt.Errorf("find decisions: %w", err)
	}
	what := "*Decisions waiting on you*"
	if r.Delegated && c.user == r.To && c.user != r.Owner {
		what += fmt.Sprintf(", as delegate while %s is away until %s", upgradebot.Mention(r.Owner), r.AwayUntil.Human())
	}
	if len(ds) == 0 {
		return []slack.Block{mrkdwnSection(what + ": none.")}, nil
	}
	slices.Reverse(ds) // FindDecisions is newest first
	blocks := []slack.Block{mrkdwnSection(fmt.Sprintf("%s (%d), longest waiting first", what, len(ds)))}
	for i, d := range ds {
		if i == homeDecisions {
			blocks = append(blocks, homeContext(fmt.Sprintf("…and %d more: `/upgrade decisions pending`.", len(ds)-homeDecisions)))
			break
		}
		var s strings.Builder
		fmt.Fprintf(&s, "*Decision #%d* asked by %s, waiting %s", d.ID, upgradebot.Mention(d.RequestedBy), waited(c.b.Clock.Now().Sub(d.CreatedAt)))
		if !d.Due.IsZero() {
			fmt.Fprintf(&s, " · needed by %s", d.Due.Human())
			if d.Due.Before(c.today) {
				s.WriteString(" (*late*)")
			}
		}
		fmt.Fprintf(&s, "\n>%s", upgradebot.Escape(clip(d.Question, 500)))
		blocks = append(blocks, mrkdwnSection(s.String()), decisionButtons(d.ID))
	}
	return blocks, nil
}

// homeReleases shows the next vendor releases from today.
func (c *call) homeReleases() ([]slack.Block, error) {
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{GAFrom: c.today})
	if err != nil {
		return nil, fmt.Errorf("find releases: %w", err)
	}
	if len(rs) == 0 {
		return []slack.Block{mrkdwnSection("*Next vendor releases*: none recorded. Add one with `/upgrade release add`.")}, nil
	}
	lines := []string{"*Next vendor releases*"}
	for _, r := range rs[:min(len(rs), homeReleases)] {
		lines = append(lines, "• "+c.releaseLine(r))
	}
	return []slack.Block{mrkdwnSection(strings.Join(lines, "\n"))}, nil
}

// homeCleanups shows recurring clean-ups whose open occurrence is overdue.
func (c *call) homeCleanups() ([]slack.Block, error) {
	ms, err := c.b.Desk.FindMaintenance(c.ctx)
	if err != nil {
		return nil, fmt.Errorf("find clean-ups: %w", err)
	}
	var lines []string
	for _, m := range ms {
		if m.OpenTaskID == 0 || !m.NextDue.Before(c.today) {
			continue
		}
		lines = append(lines, fmt.Sprintf("• %s · %s · %s · #%d *overdue since %s*",
			upgradebot.Escape(m.Title), m.Every.Human(), upgradebot.Mention(m.Assignee), m.OpenTaskID, m.NextDue.Human()))
	}
	if len(lines) == 0 {
		return []slack.Block{mrkdwnSection("*Overdue clean-ups*: none.")}, nil
	}
	head := fmt.Sprintf("*Overdue clean-ups* (%d)", len(lines))
	if len(lines) > homeCleanups {
		lines = append(lines[:homeCleanups], fmt.Sprintf("…and %d more: `/upgrade maint list`.", len(lines)-homeCleanups))
	}
	return TextBlocks(head+"\n"+strings.Join(lines, "\n"), 2), nil
}

// homeDelivery tells admins how many messages failed for good, with the
// latest error, so a revoked token or a wrong channel is noticed.
func (c *call) homeDelivery() ([]slack.Block, error) {
	if !c.settings.IsAdmin(c.user) {
		return nil, nil
	}
	counts, err := c.b.Desk.CountMessages(c.ctx)
	if err != nil {
		return nil, fmt.Errorf("count messages: %w", err)
	}
	n := counts[upgradebot.MessageFailed]
	if n == 0 {
		return []slack.Block{homeContext("Admins: no outgoing message has failed.")}, nil
	}
	text := fmt.Sprintf("*Admins:* %d outgoing message(s) failed for good.", n)
	latest, err := c.b.Desk.FailedMessages(c.ctx, 1)
	if err != nil {
		return nil, fmt.Errorf("failed messages: %w", err)
	}
	if len(latest) > 0 {
		m := latest[0]
		text += fmt.Sprintf(" Latest: #%d (%s, created %s): `%s`", m.ID, m.Kind, c.stamp(m.CreatedAt),
			strings.ReplaceAll(upgradebot.Escape(clip(m.LastError, 200)), "`", "'"))
	}
	text += " `/upgrade failed` lists them; `/upgrade failed retry all` sends them again once the cause is fixed."
	return []slack.Block{mrkdwnSection(text)}, nil
}

// homeContext is a line of small grey mrkdwn text.
func homeContext(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, true))
}
