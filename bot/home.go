package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// What the App Home shows at most.
const (
	homeTasks     = 20 // open tasks, each with a Done button
	homeDecisions = 10 // pending decisions, each with Approve / Reject
	homeReleases  = 5
	homeCleanups  = 10
)

// Home is one person's start page (Slack's App Home) as plain values: what
// it says, in order, and which items carry an action. A transport renders
// it; nothing here knows Block Kit.
type Home struct {
	Updated string // when it was built, in the team's zone
	Parts   []HomePart
}

// HomePart is one part of the start page: a heading (mrkdwn, possibly with
// lines under it), items that each carry an action, and a small note after
// them (…and N more). A part with only a Note is a small grey line.
type HomePart struct {
	Text  string
	Items []HomeItem
	Note  string
	// Lines, when set, is how many lines of Text a renderer may spread over
	// several blocks (a long list); 0 means Text is one block.
	Lines int
}

// HomeAction is what a start page item's buttons do.
type HomeAction int

// Start page actions.
const (
	HomeDone   HomeAction = iota + 1 // a Done button for task ID
	HomeDecide                       // Approve / Reject buttons for decision ID
)

// HomeItem is one line of a part with its action.
type HomeItem struct {
	Text   string // mrkdwn
	Action HomeAction
	ID     int64 // the task or decision the action is about
}

// Home builds user's start page: their open tasks, soonest due first, with
// Done; the decisions waiting on them if they decide today (the owner, or the
// delegate while the owner is away), with Approve / Reject; the next vendor
// releases; overdue recurring clean-ups; and, for admins, how many outgoing
// messages failed for good.
func (b *Bot) Home(ctx context.Context, user string) (Home, error) {
	settings, err := b.Desk.Settings(ctx)
	if err != nil {
		return Home{}, fmt.Errorf("bot: home for %s: read settings: %w", user, err)
	}
	now := b.Clock.Now()
	loc := settings.Location()
	c := &call{ctx: ctx, b: b, user: user, settings: settings, loc: loc, today: upgradebot.Today(now, loc)}
	h := Home{Updated: c.stamp(now)}
	for _, part := range []func() (*HomePart, error){c.homeTasks, c.homeDecisions, c.homeReleases, c.homeCleanups, c.homeDelivery} {
		p, err := part()
		if err != nil {
			return Home{}, fmt.Errorf("bot: home for %s: %w", user, err)
		}
		if p != nil {
			p.Text, p.Note = upgradebot.ForViewer(p.Text, user), upgradebot.ForViewer(p.Note, user)
			for i := range p.Items {
				p.Items[i].Text = upgradebot.ForViewer(p.Items[i].Text, user)
			}
			h.Parts = append(h.Parts, *p)
		}
	}
	return h, nil
}

// homeTasks lists the viewer's open tasks with a Done button each.
func (c *call) homeTasks() (*HomePart, error) {
	tasks, total, err := c.b.Desk.FindTasks(c.ctx, upgradebot.TaskFilter{Assignee: c.user,
		Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}, Limit: homeTasks})
	if err != nil {
		return nil, fmt.Errorf("find tasks: %w", err)
	}
	if total == 0 {
		return &HomePart{Text: "*Your open tasks*: none. Add one with `/upgrade add`."}, nil
	}
	p := &HomePart{Text: fmt.Sprintf("*Your open tasks* (%d), soonest due first", total)}
	for _, t := range tasks {
		p.Items = append(p.Items, HomeItem{Text: upgradebot.TaskLine(t, c.today), Action: HomeDone, ID: t.ID})
	}
	if more := total - len(tasks); more > 0 {
		p.Note = fmt.Sprintf("…and %d more: `/upgrade list mine`.", more)
	}
	return p, nil
}

// homeDecisions lists the pending decisions, longest waiting first, if the
// viewer is the one who decides today; otherwise nothing.
func (c *call) homeDecisions() (*HomePart, error) {
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
		return &HomePart{Text: what + ": none."}, nil
	}
	slices.Reverse(ds) // FindDecisions is newest first
	p := &HomePart{Text: fmt.Sprintf("%s (%d), longest waiting first", what, len(ds))}
	for i, d := range ds {
		if i == homeDecisions {
			p.Note = fmt.Sprintf("…and %d more: `/upgrade decisions pending`.", len(ds)-homeDecisions)
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
		fmt.Fprintf(&s, "\n%s", upgradebot.Quote(upgradebot.Clip(d.Question, 500)))
		p.Items = append(p.Items, HomeItem{Text: s.String(), Action: HomeDecide, ID: d.ID})
	}
	return p, nil
}

// homeReleases shows the next vendor releases from today.
func (c *call) homeReleases() (*HomePart, error) {
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{GAFrom: c.today})
	if err != nil {
		return nil, fmt.Errorf("find releases: %w", err)
	}
	if len(rs) == 0 {
		return &HomePart{Text: "*Next vendor releases*: none recorded. Add one with `/upgrade release add`."}, nil
	}
	lines := []string{"*Next vendor releases*"}
	for _, r := range rs[:min(len(rs), homeReleases)] {
		lines = append(lines, "• "+c.releaseLine(r))
	}
	return &HomePart{Text: strings.Join(lines, "\n")}, nil
}

// homeCleanups shows recurring clean-ups whose open occurrence is overdue.
func (c *call) homeCleanups() (*HomePart, error) {
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
		return &HomePart{Text: "*Overdue clean-ups*: none."}, nil
	}
	head := fmt.Sprintf("*Overdue clean-ups* (%d)", len(lines))
	if len(lines) > homeCleanups {
		lines = append(lines[:homeCleanups], fmt.Sprintf("…and %d more: `/upgrade maint list`.", len(lines)-homeCleanups))
	}
	return &HomePart{Text: head + "\n" + strings.Join(lines, "\n"), Lines: 2}, nil
}

// homeDelivery tells admins how many messages failed for good, with the
// latest error, so a revoked token or a wrong channel is noticed.
func (c *call) homeDelivery() (*HomePart, error) {
	if !c.settings.IsAdmin(c.user) {
		return nil, nil
	}
	counts, err := c.b.Desk.CountMessages(c.ctx)
	if err != nil {
		return nil, fmt.Errorf("count messages: %w", err)
	}
	n := counts[upgradebot.MessageFailed]
	if n == 0 {
		return &HomePart{Note: "Admins: no outgoing message has failed."}, nil
	}
	text := fmt.Sprintf("*Admins:* %d outgoing message(s) failed for good.", n)
	latest, err := c.b.Desk.FailedMessages(c.ctx, 1)
	if err != nil {
		return nil, fmt.Errorf("failed messages: %w", err)
	}
	if len(latest) > 0 {
		m := latest[0]
		text += fmt.Sprintf(" Latest: #%d (%s, created %s): `%s`", m.ID, m.Kind, c.stamp(m.CreatedAt),
			strings.ReplaceAll(upgradebot.Escape(upgradebot.Clip(m.LastError, 200)), "`", "'"))
	}
	text += " `/upgrade failed` lists them; `/upgrade failed retry all` sends them again once the cause is fixed."
	return &HomePart{Text: text}, nil
}
