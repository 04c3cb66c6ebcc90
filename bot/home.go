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
	homeTasks     = 20 // open tasks, each with its buttons
	homeJustDone  = 5  // tasks closed in the last UndoWindow, each with Undo
	homeDecisions = 10 // pending decisions, each with Approve / Reject
	homeAsked     = 10 // pending decisions the viewer asked
	homeReleases  = 5
	homeCleanups  = 10
)

// Home is one person's start page (Slack's App Home) as plain values: what
// it says, in order, and which items carry an action. A transport renders
// it; nothing here knows Block Kit.
type Home struct {
	Updated string // when it was built, in the team's zone
	// RefURL is the team's ticket URL template, for links to a task's
	// ticket (upgradebot.SettingRefURL); "" for none.
	RefURL string
	Parts  []HomePart
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
	// Add puts a button beside the heading that opens the add-task form.
	Add bool
}

// HomeAction is what a start page item's buttons do.
type HomeAction int

// Start page actions.
const (
	HomeDone   HomeAction = iota + 1 // the buttons of task Task.Task: Done, Snooze, New date, Open (or Undo, once closed)
	HomeDecide                       // Approve / Approve with a comment / Reject for decision ID
)

// HomeItem is one item of a part: a task with its buttons (Task), or a
// line with its title in bold, details side by side (Fields) and an action.
type HomeItem struct {
	Text   string   // mrkdwn: the title line, bold where it names the thing
	Fields []string // mrkdwn details, shown side by side
	Quote  string   // mrkdwn under the fields: a decision's question
	Action HomeAction
	ID     int64            // the task or decision the action is about
	Task   *upgradebot.Item // for HomeDone: the task as an item
}

// Home builds user's start page, what they need to act on first: a team
// strip (overdue work across the team, the releases in progress and their
// phase, the next freeze) with the button that adds a task; their own
// work, soonest due first, each task with its buttons, and what they
// closed in the last minutes with Undo; the decisions waiting on them if
// they decide today (the owner, or the delegate while the owner is away),
// with Approve / Reject; the decisions they asked that still wait, and for
// how long; the releases in progress and coming; overdue recurring
// clean-ups; and, for admins, how many outgoing messages failed for good.
func (b *Bot) Home(ctx context.Context, user string) (Home, error) {
	settings, err := b.Desk.Settings(ctx)
	if err != nil {
		return Home{}, fmt.Errorf("bot: home for %s: read settings: %w", user, err)
	}
	now := b.Clock.Now()
	loc := settings.Location()
	c := &call{ctx: ctx, b: b, user: user, settings: settings, loc: loc, today: upgradebot.Today(now, loc)}
	h := Home{Updated: c.stamp(now), RefURL: settings.Config().RefURL}
	for _, part := range []func() (*HomePart, error){c.homeTeam, c.homeTasks, c.homeDecisions, c.homeAsked, c.homeReleases, c.homeCleanups, c.homeDelivery} {
		p, err := part()
		if err != nil {
			return Home{}, fmt.Errorf("bot: home for %s: %w", user, err)
		}
		if p != nil {
			p.Text, p.Note = upgradebot.ForViewer(p.Text, user), upgradebot.ForViewer(p.Note, user)
			for i := range p.Items {
				it := &p.Items[i]
				it.Text, it.Quote = upgradebot.ForViewer(it.Text, user), upgradebot.ForViewer(it.Quote, user)
				for j := range it.Fields {
					it.Fields[j] = upgradebot.ForViewer(it.Fields[j], user)
				}
				if it.Task != nil {
					it.Task.Closed = upgradebot.ForViewer(it.Task.Closed, user)
				}
			}
			h.Parts = append(h.Parts, *p)
		}
	}
	return h, nil
}

// homeTeam is the team strip: overdue work across the team (as `list
// overdue` counts it), the releases in progress with their phase, and the
// next freeze; with the button that adds a task.
func (c *call) homeTeam() (*HomePart, error) {
	_, overdue, err := c.b.Desk.FindTasks(c.ctx, upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen},
		DueBefore: c.today, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("count overdue tasks: %w", err)
	}
	parts := []string{"nothing overdue"}
	if overdue > 0 {
		parts[0] = fmt.Sprintf("*%d overdue* (`/upgrade list overdue`)", overdue)
	}
	progress, err := c.releasesInProgress()
	if err != nil {
		return nil, err
	}
	for i, rp := range progress {
		if i == 2 {
			parts = append(parts, fmt.Sprintf("%d more releases in progress", len(progress)-2))
			break
		}
		parts = append(parts, "`"+rp.release.Key+"` "+rp.words(c.today))
	}
	freezes, err := c.b.Desk.FindFreezes(c.ctx, c.today)
	if err != nil {
		return nil, fmt.Errorf("find freezes: %w", err)
	}
	if len(freezes) > 0 {
		if fl := upgradebot.FreezeLine(freezes[0], c.today); fl != "" {
			parts = append(parts, fl)
		}
	}
	return &HomePart{Text: "*Team:* " + strings.Join(parts, " · "), Add: true}, nil
}

// releaseProgress is a release and where its cycle is.
type releaseProgress struct {
	release  *upgradebot.Release
	progress upgradebot.ReleaseProgress
}

// words is where the release is: "in build since Mon 16 Nov", "review
// done Fri 13 Nov", "out since Tue 1 Sep, not started".
func (rp releaseProgress) words(today upgradebot.Date) string {
	p := rp.progress
	switch {
	case p.Current != nil:
		return fmt.Sprintf("in *%s* since %s", p.Current.Phase, p.Current.Start.Relative(today))
	case p.Last != nil:
		return fmt.Sprintf("*%s* done %s", p.Last.Phase, p.Last.End.Relative(today))
	}
	return "out since " + rp.release.GA.Relative(today) + ", not started"
}

// releasesInProgress are the releases the team is taking: a phase started
// and not live, or out (GA) within the last year and not live, earliest GA
// first.
func (c *call) releasesInProgress() ([]releaseProgress, error) {
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{GAFrom: c.today.AddMonths(-18)})
	if err != nil {
		return nil, fmt.Errorf("find releases: %w", err)
	}
	phases, err := c.b.Desk.FindPhases(c.ctx, "")
	if err != nil {
		return nil, fmt.Errorf("find phases: %w", err)
	}
	byRelease := map[string][]*upgradebot.ReleasePhase{}
	for _, p := range phases {
		byRelease[p.Release] = append(byRelease[p.Release], p)
	}
	plan := c.settings.Config().Phases
	var out []releaseProgress
	for _, r := range rs {
		pr := upgradebot.Progress(plan, byRelease[r.Key])
		if !pr.Live.IsZero() {
			continue
		}
		if pr.Current != nil || pr.Last != nil || !r.GA.After(c.today) && !r.GA.Before(c.today.AddMonths(-12)) {
			out = append(out, releaseProgress{r, pr})
		}
	}
	return out, nil
}

// homeTasks lists the viewer's open tasks, each with its buttons, and the
// tasks they closed in the last UndoWindow, with Undo.
func (c *call) homeTasks() (*HomePart, error) {
	tasks, total, err := c.b.Desk.FindTasks(c.ctx, upgradebot.TaskFilter{Assignee: c.user,
		Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}, Limit: homeTasks})
	if err != nil {
		return nil, fmt.Errorf("find tasks: %w", err)
	}
	closed, _, err := c.b.Desk.FindTasks(c.ctx, upgradebot.TaskFilter{Assignee: c.user,
		Statuses: []upgradebot.TaskStatus{upgradebot.StatusDone}, Limit: homeJustDone})
	if err != nil {
		return nil, fmt.Errorf("find tasks done: %w", err)
	}
	now := c.b.Clock.Now()
	var just []upgradebot.Item
	for _, t := range closed {
		if t.ClosedBy == c.user && now.Sub(t.ClosedAt) < upgradebot.UndoWindow {
			just = append(just, upgradebot.RefreshItem(upgradebot.TaskItem(t, c.today), t, c.user, now, c.loc))
		}
	}
	p := &HomePart{Text: "*Your work*: nothing open. Add a task with the button, or `/upgrade add`."}
	if total > 0 {
		p.Text = fmt.Sprintf("*Your work* (%d), soonest due first", total)
	}
	for _, t := range tasks {
		it := upgradebot.TaskItem(t, c.today)
		p.Items = append(p.Items, HomeItem{Action: HomeDone, ID: t.ID, Task: &it})
	}
	for i := range just {
		p.Items = append(p.Items, HomeItem{Action: HomeDone, ID: just[i].Task, Task: &just[i]})
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
		what += fmt.Sprintf(", as delegate while %s is away until %s", upgradebot.Mention(r.Owner), r.AwayUntil.Relative(c.today))
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
		p.Items = append(p.Items, HomeItem{Text: fmt.Sprintf("*Decision #%d* asked by %s", d.ID, upgradebot.Mention(d.RequestedBy)),
			Fields: c.decisionFields(d, false), Quote: upgradebot.Quote(upgradebot.ClipWords(d.Question, 500)), Action: HomeDecide, ID: d.ID})
	}
	return p, nil
}

// homeAsked lists the pending decisions the viewer asked, longest waiting
// first: who each waits on and for how long.
func (c *call) homeAsked() (*HomePart, error) {
	ds, err := c.b.Desk.FindDecisions(c.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	if err != nil {
		return nil, fmt.Errorf("find decisions: %w", err)
	}
	ds = slices.DeleteFunc(ds, func(d *upgradebot.Decision) bool { return d.RequestedBy != c.user })
	if len(ds) == 0 {
		return nil, nil
	}
	slices.Reverse(ds)
	p := &HomePart{Text: fmt.Sprintf("*Decisions you asked for* (%d), waiting", len(ds))}
	for i, d := range ds {
		if i == homeAsked {
			p.Note = fmt.Sprintf("…and %d more: `/upgrade decisions pending`.", len(ds)-homeAsked)
			break
		}
		p.Items = append(p.Items, HomeItem{Text: fmt.Sprintf("*Decision #%d* %s", d.ID, upgradebot.Escape(upgradebot.ClipWords(d.Question, 150))),
			Fields: c.decisionFields(d, true)})
	}
	return p, nil
}

// decisionFields are a pending decision's details: how long it has
// waited (on whom, for one's own), and when it is needed.
func (c *call) decisionFields(d *upgradebot.Decision, on bool) []string {
	w := "waited " + waited(c.b.Clock.Now().Sub(d.CreatedAt))
	if on {
		w = fmt.Sprintf("waiting on %s for %s", upgradebot.Mention(d.RoutedTo), waited(c.b.Clock.Now().Sub(d.CreatedAt)))
	}
	f := []string{w}
	if !d.Due.IsZero() {
		n := "needed by " + d.Due.Relative(c.today)
		if d.Due.Before(c.today) {
			n += " (*late*)"
		}
		f = append(f, n)
	}
	if d.Release != "" {
		f = append(f, fmt.Sprintf("gate: `%s` %s", d.Release, d.Phase))
	}
	return f
}

// homeReleases shows the releases the team is taking (in progress, with
// their phase) and the next vendor releases from today.
func (c *call) homeReleases() (*HomePart, error) {
	progress, err := c.releasesInProgress()
	if err != nil {
		return nil, err
	}
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{GAFrom: c.today.AddDays(1)})
	if err != nil {
		return nil, fmt.Errorf("find releases: %w", err)
	}
	if len(progress) == 0 && len(rs) == 0 {
		return &HomePart{Text: "*Releases*: none in progress or coming. Record one with `/upgrade release add`."}, nil
	}
	var lines []string
	if len(progress) > 0 {
		lines = append(lines, "*Releases in progress*")
		for _, rp := range progress[:min(len(progress), homeReleases)] {
			lines = append(lines, fmt.Sprintf("• `%s` %s %s · %s", rp.release.Key, upgradebot.Escape(rp.release.Vendor),
				upgradebot.Escape(rp.release.Name), rp.words(c.today)))
		}
	}
	if len(rs) > 0 {
		lines = append(lines, "*Next vendor releases*")
		for _, r := range rs[:min(len(rs), homeReleases)] {
			lines = append(lines, "• "+c.releaseLine(r))
		}
	}
	return &HomePart{Text: strings.Join(lines, "\n"), Lines: 2}, nil
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
			upgradebot.Escape(m.Title), m.Every.Human(), upgradebot.Mention(m.Assignee), m.OpenTaskID, m.NextDue.Relative(c.today)))
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
	text := fmt.Sprintf("*Admins:* %s failed for good.", upgradebot.Plural(n, "outgoing message"))
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
