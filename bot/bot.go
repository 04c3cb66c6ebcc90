// Package bot is the conversation: it parses /upgrade commands, calls the
// desk, and returns replies and the start page (Home) as plain values for a
// transport to render: the local console here, Slack in package slack. It
// never imports slack-go.
//
// The command language is one table, specs (command.go): each command's
// words, grammar, help, who may run it and its handler.
package bot

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Bot answers /upgrade commands. It is safe for concurrent use.
type Bot struct {
	Desk   upgradebot.Desk
	Clock  upgradebot.Clock
	Logger *slog.Logger
	// Fixed are the settings the environment sets at each start, by
	// setting key, so that `config` can say so.
	Fixed map[string]Fixed
}

// Request is one /upgrade command as a transport received it.
type Request struct {
	User    string // Slack user id of the person who typed it
	Text    string // what followed /upgrade, as Slack escapes it
	Channel string // where it was typed, if known
}

// Reply is the bot's answer to a request. Text is Slack mrkdwn.
type Reply struct {
	Text   string
	Public bool // post in the channel (the user added "share"); otherwise only the user sees it
	Failed bool // the command was refused or malformed: nothing changed
}

// listLimit is how many lines a list shows before "and N more".
const listLimit = 25

// Handle runs one command and returns the reply. It never panics on input
// and never returns an empty reply.
func (b *Bot) Handle(ctx context.Context, req Request) Reply {
	text, err := b.handle(ctx, req)
	if err != nil {
		if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
			b.logger().Error("command failed", "user", req.User, "command", CommandName(req.Text), "err", err)
		}
		return Reply{Text: upgradebot.ErrorMessage(err), Failed: true}
	}
	return text
}

func (b *Bot) logger() *slog.Logger {
	if b.Logger == nil {
		return slog.Default()
	}
	return b.Logger
}

// plainAtName finds an @name typed as a word (not Slack's <@U…>).
var plainAtName = regexp.MustCompile(`(^|[\s"“(])@[^\s]`)

// call is the context of one command being run.
type call struct {
	ctx      context.Context
	b        *Bot
	user     string
	settings upgradebot.Settings
	loc      *time.Location
	today    upgradebot.Date
}

func (b *Bot) handle(ctx context.Context, req Request) (Reply, error) {
	if !upgradebot.ValidUserID(req.User) {
		return Reply{}, upgradebot.Errorf(upgradebot.EINVALID, "I can't tell who you are (user %q).", upgradebot.Clip(req.User, 20))
	}
	settings, err := b.Desk.Settings(ctx)
	if err != nil {
		return Reply{}, fmt.Errorf("bot: read settings: %w", err)
	}
	loc := settings.Location()
	cl := &call{ctx: ctx, b: b, user: req.User, settings: settings, loc: loc, today: upgradebot.Today(b.Clock.Now(), loc)}
	// The desk's people are read only when a plain @name needs them: most
	// commands name nobody, or mention people the way Slack sends them.
	var people map[string]string
	if plainAtName.MatchString(req.Text) {
		if people, err = b.Desk.People(ctx); err != nil {
			return Reply{}, fmt.Errorf("bot: read people: %w", err)
		}
	}
	cmd, err := parse(req.Text, cl.today, people)
	if err != nil {
		return Reply{}, err
	}
	if len(cmd.People) > 0 {
		if err := b.Desk.RememberPeople(ctx, cmd.People); err != nil {
			b.logger().Warn("remember people", "err", err)
		}
	}
	out, err := specNamed(cmd.Name).run(cl, &cmd)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: out, Public: cmd.Share}, nil
}

// stamp is a moment as replies show it, in the team's zone: "11:52" today,
// else "Fri 27 Nov, 14:02" (the year when it is not this year's).
func (c *call) stamp(t time.Time) string {
	return upgradebot.ClockTime(t, c.loc, c.today)
}

// help answers `help` with the commands by topic, `help <topic>` with one
// topic's commands and what each does, and `help <command>` with how to
// write it.
func (c *call) help(cmd *Command) (string, error) {
	topic := strings.ToLower(strings.TrimSpace(cmd.Text))
	if topic == "" {
		return helpOverview(), nil
	}
	var out []string
	for _, t := range topics {
		if t.name != topic {
			continue
		}
		out = append(out, "*"+t.title+"*")
		for _, s := range specs {
			if s.topic == t.name {
				out = append(out, fmt.Sprintf("• `%s` — %s%s", s.usage, s.summary, s.helpNote()))
			}
		}
	}
	if len(out) == 0 {
		for _, s := range specs {
			if s.name == topic || strings.HasPrefix(s.name, topic+" ") {
				out = append(out, fmt.Sprintf("`/upgrade %s`\n%s%s.", s.usage, upgradebot.UpperFirst(s.summary), s.helpNote()))
			}
		}
	}
	if len(out) == 0 {
		return "", unknownCommand(topic)
	}
	text := strings.Join(out, "\n")
	if topic == "config" {
		for _, f := range configOrder {
			text += "\n• `/upgrade " + configForms[f] + "`"
		}
		text += "\nJobs: " + strings.Join(upgradebot.JobNames(), ", ") + "."
		text += "\n" + phasesHelp
	}
	if strings.Contains(text, "<date>") {
		text += "\nDates: " + DateForms + " (in the team's time zone)."
	}
	return text, nil
}

// helpOverview is every command by topic, each as its words and what it
// must be given (the options are in `help <topic>`), short enough for a
// phone.
func helpOverview() string {
	var b strings.Builder
	b.WriteString("*/upgrade* keeps the upgrade desk: tasks, vendor releases, clean-ups and decisions. " +
		"`/upgrade help <topic>` says what each command does; `/upgrade help <command>` how to write it.")
	for _, t := range topics {
		var forms []string
		for _, s := range specs {
			if s.topic == t.name {
				form, _, _ := strings.Cut(s.usage, " [")
				forms = append(forms, "`"+form+"`")
			}
		}
		fmt.Fprintf(&b, "\n*%s* (`help %s`): %s", t.title, t.name, strings.Join(forms, " · "))
	}
	b.WriteString("\nDates: " + DateForms + ". People: @name. Titles with spaces may be quoted. Add `share` to a list to show it to the channel.")
	return b.String()
}

func (c *call) add(cmd *Command) (string, error) {
	t := &upgradebot.Task{Title: cmd.Title, Assignee: cmd.User, Due: cmd.Due, Kind: cmd.Kind,
		Priority: cmd.Priority, Release: cmd.Release, Ref: cmd.Ref, Estimate: cmd.Estimate, Site: cmd.Site}
	if err := c.b.Desk.CreateTask(c.ctx, c.user, t); err != nil {
		return "", err
	}
	text := "Added " + upgradebot.TaskLine(t, c.today) + "."
	if c.settings.IsPartner(c.user) {
		text += " It waits unassigned for the team to take; the admins have been told."
	}
	if !t.Due.IsZero() && t.Due.Before(c.today) {
		text += " Note: its due date is already past."
	}
	return text + c.freezeNote(t.Due, t.Site), nil
}

func (c *call) list(cmd *Command) (string, error) {
	f := upgradebot.TaskFilter{Assignee: cmd.User, Release: cmd.Release, Kind: cmd.Kind, Site: cmd.Site, Limit: listLimit}
	if err := c.settings.CheckSite(cmd.Site); err != nil {
		return "", err
	}
	what := "Open tasks"
	switch cmd.Scope {
	case "mine":
		f.Statuses, what = []upgradebot.TaskStatus{upgradebot.StatusOpen}, "Your open tasks"
		if f.Assignee == "" {
			f.Assignee = c.user
		}
	case "open":
		f.Statuses = []upgradebot.TaskStatus{upgradebot.StatusOpen}
	case "overdue":
		f.Statuses, f.DueBefore, what = []upgradebot.TaskStatus{upgradebot.StatusOpen}, c.today, "Overdue tasks"
	case "done":
		f.Statuses, what = []upgradebot.TaskStatus{upgradebot.StatusDone, upgradebot.StatusCancelled}, "Closed tasks"
	case "all":
		what = "All tasks"
	}
	if cmd.User != "" && cmd.Scope != "mine" {
		what += " for " + upgradebot.Mention(cmd.User)
	}
	if cmd.Release != "" {
		what += " in " + upgradebot.Escape(cmd.Release)
	}
	if cmd.Kind != "" {
		what += " (" + string(cmd.Kind) + ")"
	}
	if cmd.Site != "" {
		what += " at " + upgradebot.Escape(c.settings.SiteName(cmd.Site))
	}
	return c.taskList(what, f, "Narrow it with `list mine`, `list overdue`, `list @name` or `find <words>`.")
}

func (c *call) taskList(what string, f upgradebot.TaskFilter, narrow string) (string, error) {
	tasks, total, err := c.b.Desk.FindTasks(c.ctx, f)
	if err != nil {
		return "", err
	}
	if total == 0 {
		return fmt.Sprintf("*%s*: none.", what), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* (%d)", what, total)
	for _, t := range tasks {
		b.WriteString("\n• " + upgradebot.TaskLine(t, c.today))
	}
	if more := total - len(tasks); more > 0 {
		fmt.Fprintf(&b, "\n…and %d more. %s", more, narrow)
	}
	return b.String(), nil
}

func (c *call) find(cmd *Command) (string, error) {
	words := strings.Fields(cmd.Text)
	f := upgradebot.TaskFilter{Words: words, Limit: listLimit}
	return c.taskList("Tasks matching "+upgradebot.Escape(upgradebot.Clip(cmd.Text, 60)), f, "Add words to narrow it.")
}

func (c *call) show(cmd *Command) (string, error) {
	t, err := c.b.Desk.FindTaskByID(c.ctx, cmd.ID)
	if err != nil {
		return "", err
	}
	notes, err := c.b.Desk.TaskNotes(c.ctx, t.ID)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*#%d %s*\n", t.ID, upgradebot.Escape(t.Title))
	fmt.Fprintf(&b, "Status: %s · Kind: %s · Priority: %s\n", t.Status, t.Kind.Human(), t.Priority)
	fmt.Fprintf(&b, "Assignee: %s · Due: %s", upgradebot.Mention(t.Assignee), t.Due.Relative(c.today))
	if t.Overdue(c.today) {
		fmt.Fprintf(&b, " (%s overdue)", upgradebot.Plural(t.Due.DaysUntil(c.today), "day"))
	}
	b.WriteString("\n")
	if t.Release != "" || t.Ref != "" {
		fmt.Fprintf(&b, "Release: %s · Ref: %s", orNone(upgradebot.Escape(t.Release)), orNone(upgradebot.Escape(t.Ref)))
		if t.Phase != "" {
			fmt.Fprintf(&b, " · Phase: %s", t.Phase)
		}
		b.WriteString("\n")
	}
	if t.Site != "" {
		fmt.Fprintf(&b, "Site: %s (%s)\n", upgradebot.Escape(c.settings.SiteName(t.Site)), t.Site)
	}
	if t.Estimate > 0 {
		fmt.Fprintf(&b, "Estimate: %s\n", upgradebot.FormatEffort(t.Estimate))
	}
	spent, err := c.b.Desk.TimeSpent(c.ctx, t.ID)
	if err != nil {
		return "", err
	}
	if len(spent) > 0 {
		var total time.Duration
		for _, e := range spent {
			total += e.Spent
		}
		entries := "1 entry"
		if len(spent) > 1 {
			entries = fmt.Sprintf("%d entries", len(spent))
		}
		fmt.Fprintf(&b, "Time spent: %s (%s)\n", upgradebot.FormatEffort(total), entries)
	}
	fmt.Fprintf(&b, "Created by %s at %s", upgradebot.Mention(t.CreatedBy), c.stamp(t.CreatedAt))
	if t.Status != upgradebot.StatusOpen {
		fmt.Fprintf(&b, "\n%s by %s at %s", upgradebot.UpperFirst(string(t.Status)), upgradebot.Mention(t.ClosedBy), c.stamp(t.ClosedAt))
	}
	for _, n := range notes {
		fmt.Fprintf(&b, "\n• %s %s: %s", c.stamp(n.At), upgradebot.Mention(n.Author), upgradebot.Escape(n.Text))
	}
	return b.String(), nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return upgradebot.Escape(s)
}

func (c *call) due(cmd *Command) (string, error) {
	was, err := c.b.Desk.FindTaskByID(c.ctx, cmd.ID)
	if err != nil {
		return "", err
	}
	t, err := c.b.Desk.SetTaskDue(c.ctx, c.user, cmd.ID, cmd.Due)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("#%d %s is now due %s.", t.ID, upgradebot.Escape(t.Title), t.Due.Relative(c.today))
	if t.Due.Before(c.today) {
		text += " That is already past, so it shows as overdue."
	}
	if c.settings.IsPartner(c.user) && was.Due != t.Due {
		text += " The team has been told."
	}
	return text + c.freezeNote(t.Due, t.Site), nil
}

func (c *call) note(cmd *Command) (string, error) {
	if _, err := c.b.Desk.AddTaskNote(c.ctx, c.user, cmd.ID, cmd.Text); err != nil {
		return "", err
	}
	return fmt.Sprintf("Noted on #%d.", cmd.ID), nil
}

func (c *call) releaseAdd(cmd *Command) (string, error) {
	r := &upgradebot.Release{Vendor: cmd.Title, Name: cmd.Name2, Key: cmd.Key, GA: cmd.GA, Support: cmd.Support, Site: cmd.Site}
	if err := c.b.Desk.CreateRelease(c.ctx, c.user, r); err != nil {
		return "", err
	}
	return "Recorded " + c.releaseLine(r) + checklistNote(r) + ". Tag its tasks with `release:" + r.Key + "`.", nil
}

func (c *call) releaseLine(r *upgradebot.Release) string {
	s := fmt.Sprintf("`%s` %s %s · GA %s", r.Key, upgradebot.Escape(r.Vendor), upgradebot.Escape(r.Name), r.GA.Short(c.today))
	switch n := c.today.DaysUntil(r.GA); {
	case n > 0:
		s += fmt.Sprintf(" (in %d days)", n)
	case n == 0:
		s += " (today)"
	default:
		s += fmt.Sprintf(" (%d days ago)", -n)
	}
	if !r.Support.IsZero() {
		s += " · support until " + r.Support.Short(c.today)
		if r.Support.Before(c.today) {
			s += " (*ended*)"
		}
	}
	if r.Site != "" {
		s += " · " + upgradebot.Escape(c.settings.SiteName(r.Site))
	}
	return s
}

func (c *call) releases(cmd *Command) (string, error) {
	f := upgradebot.ReleaseFilter{}
	what := "Vendor releases from the last 6 months on"
	if cmd.Scope != "all" {
		f.GAFrom = c.today.AddMonths(-6)
	} else {
		what = "All vendor releases"
	}
	rs, err := c.b.Desk.FindReleases(c.ctx, f)
	if err != nil {
		return "", err
	}
	phases, err := c.b.Desk.FindPhases(c.ctx, "")
	if err != nil {
		return "", err
	}
	byRelease := map[string][]*upgradebot.ReleasePhase{}
	for _, p := range phases {
		byRelease[p.Release] = append(byRelease[p.Release], p)
	}
	pending, err := c.b.Desk.FindDecisions(c.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	if err != nil {
		return "", err
	}
	plan := c.settings.Config().Phases
	line := func(r *upgradebot.Release) string {
		pr := upgradebot.Progress(plan, byRelease[r.Key])
		s := c.releaseLine(r) + " · " + pr.Human()
		if pr.Live.IsZero() && !r.GA.After(c.today) {
			s += " · *behind*"
		}
		for _, d := range pending {
			if d.Release == r.Key {
				s += fmt.Sprintf(" · gate for %s waiting (D%d)", d.Phase, d.ID)
			}
		}
		return s
	}
	if len(rs) == 0 {
		return fmt.Sprintf("*%s*: none. Record one with `/upgrade release add <vendor> <name> ga:<date>`.", what), nil
	}
	return bullets(what, "", rs, line) + "\n`/upgrade release <key>` shows one on a page.", nil
}

// bullets renders a titled list, one bullet an item, at most listLimit of
// them and then "…and N more"; with no items it is the empty reply.
func bullets[T any](title, empty string, items []T, line func(T) string) string {
	if len(items) == 0 {
		return empty
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* (%d)", title, len(items))
	writeCapped(&b, items, line)
	return b.String()
}

// writeCapped writes items as bullets, at most listLimit of them and then
// "…and N more", so that a long list never pushes what follows it out of
// the reply.
func writeCapped[T any](b *strings.Builder, items []T, line func(T) string) {
	for i, it := range items {
		if i == listLimit {
			fmt.Fprintf(b, "\n…and %d more.", len(items)-listLimit)
			return
		}
		b.WriteString("\n• " + line(it))
	}
}

func (c *call) maintAdd(cmd *Command) (string, error) {
	first := cmd.First
	if first.IsZero() {
		first = c.today
	}
	m := &upgradebot.Maintenance{Title: cmd.Title, Every: cmd.Every, Assignee: cmd.User, Anchor: first, Active: true, Workdays: cmd.Workdays == "yes", Site: cmd.Site}
	t, err := c.b.Desk.CreateMaintenance(c.ctx, c.user, m)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Added recurring clean-up %s, %s. First occurrence: %s.", upgradebot.Escape(m.Title), m.Schedule(), upgradebot.TaskLine(t, c.today)), nil
}

func (c *call) maintList(cmd *Command) (string, error) {
	ms, err := c.b.Desk.FindMaintenance(c.ctx)
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		return "*Recurring clean-ups*: none. Add one with `/upgrade maint add <title> every:2w`.", nil
	}
	cal, err := c.calendar()
	if err != nil {
		return "", err
	}
	queues := upgradebot.PlanQueues(ms, cal)
	var b strings.Builder
	fmt.Fprintf(&b, "*Recurring clean-ups* (%d)", len(ms))
	for _, m := range ms {
		b.WriteString("\n• " + maintLine(m))
		switch {
		case m.OpenTaskID == 0:
			b.WriteString(" · no open occurrence")
		case m.NextDue.Before(c.today):
			fmt.Fprintf(&b, " · #%d *overdue since %s*", m.OpenTaskID, m.NextDue.Relative(c.today))
		default:
			fmt.Fprintf(&b, " · #%d next due %s", m.OpenTaskID, m.NextDue.Relative(c.today))
		}
		if q := m.QueueSummary(cal, queues); q != "" {
			b.WriteString(" · " + q)
		}
	}
	return b.String(), nil
}

func (c *call) decide(cmd *Command) (string, error) {
	d := &upgradebot.Decision{Question: cmd.Title, Due: cmd.Due}
	r, err := c.b.Desk.CreateDecision(c.ctx, c.user, d)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("Decision #%d sent to %s", d.ID, upgradebot.Mention(r.To))
	switch {
	case r.Delegated:
		text += fmt.Sprintf(", the delegate while %s is away until %s", upgradebot.Mention(r.Owner), r.AwayUntil.Relative(c.today))
	case !r.AwayUntil.IsZero():
		text += fmt.Sprintf(". Note: they are away until %s and have no delegate, so it will wait for them", r.AwayUntil.Relative(c.today))
	}
	return text + ". The answer comes to you by DM.", nil
}

func (c *call) decisions(cmd *Command) (string, error) {
	f := upgradebot.DecisionFilter{Limit: listLimit}
	what := "Decisions waiting"
	if cmd.Scope == "pending" {
		f.Status = upgradebot.DecisionPending
	} else {
		what = "Latest decisions"
	}
	ds, err := c.b.Desk.FindDecisions(c.ctx, f)
	if err != nil {
		return "", err
	}
	if len(ds) == 0 {
		return fmt.Sprintf("*%s*: none.", what), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* (%d)", what, len(ds))
	for _, d := range ds {
		fmt.Fprintf(&b, "\n• #%d %s · asked by %s", d.ID, upgradebot.Escape(upgradebot.Clip(d.Question, 120)), upgradebot.Mention(d.RequestedBy))
		if d.Status == upgradebot.DecisionPending {
			fmt.Fprintf(&b, " · waiting on %s for %s", upgradebot.Mention(d.RoutedTo), waited(c.b.Clock.Now().Sub(d.CreatedAt)))
			if !d.Due.IsZero() {
				fmt.Fprintf(&b, " · needed by %s", d.Due.Relative(c.today))
				if d.Due.Before(c.today) {
					b.WriteString(" (*late*)")
				}
			}
		} else {
			fmt.Fprintf(&b, " · %s by %s at %s", d.Status, upgradebot.Mention(d.DecidedBy), c.stamp(d.DecidedAt))
		}
	}
	return b.String(), nil
}

// waited renders a waiting time coarsely, as the digest does: "3 days",
// "5 hours", "under 2 hours".
func waited(d time.Duration) string { return upgradebot.Waited(d) }

func (c *call) approve(cmd *Command) (string, error) {
	return c.decideOn(cmd, upgradebot.DecisionApproved)
}

func (c *call) reject(cmd *Command) (string, error) {
	return c.decideOn(cmd, upgradebot.DecisionRejected)
}

func (c *call) decideOn(cmd *Command, outcome upgradebot.DecisionStatus) (string, error) {
	d, err := c.b.Desk.Decide(c.ctx, c.user, cmd.ID, outcome, cmd.Text)
	if err != nil {
		return "", err
	}
	text := upgradebot.UpperFirst(string(outcome)) + fmt.Sprintf(" decision #%d: %s", d.ID, upgradebot.Escape(upgradebot.Clip(d.Question, 120)))
	if d.RequestedBy != c.user {
		text = upgradebot.Sentence(text) + fmt.Sprintf(" %s has been told.", upgradebot.Mention(d.RequestedBy))
	}
	if d.GateResult != "" {
		text = upgradebot.Sentence(text) + " " + d.GateResult
	}
	return upgradebot.Sentence(text), nil
}

func (c *call) owner(cmd *Command) (string, error) {
	if cmd.User == "" {
		if c.settings.Owner == "" {
			return "No decision owner is set. An admin sets one with `/upgrade owner @name`.", nil
		}
		r, err := c.routing()
		if err != nil {
			return "", err
		}
		text := fmt.Sprintf("The decision owner is %s.", upgradebot.Mention(r.Owner))
		switch {
		case r.Delegated:
			text += fmt.Sprintf(" They are away until %s; %s decides meanwhile.", r.AwayUntil.Relative(c.today), upgradebot.Mention(r.To))
		case !r.AwayUntil.IsZero():
			text += fmt.Sprintf(" They are away until %s with no delegate.", r.AwayUntil.Relative(c.today))
		}
		return text, nil
	}
	moving, err := c.movingDecisions(cmd.User)
	if err != nil {
		return "", err
	}
	if err := c.b.Desk.SetOwner(c.ctx, c.user, cmd.User); err != nil {
		return "", err
	}
	if cmd.User == c.settings.Owner {
		moving = nil // unchanged: nothing moved
	}
	return fmt.Sprintf("%s is now the decision owner. Every decision goes to them.", upgradebot.Mention(cmd.User)) + movedNote(moving), nil
}

func (c *call) away(cmd *Command) (string, error) {
	who := cmd.User
	if who == "" {
		who = c.user
	}
	switch cmd.Scope {
	case "set":
		a := &upgradebot.Away{User: who, From: cmd.From, To: cmd.To, Delegate: cmd.Delegate}
		if err := c.b.Desk.SetAway(c.ctx, c.user, a); err != nil {
			return "", err
		}
		text := fmt.Sprintf("Recorded: %s away %s to %s", upgradebot.Mention(who), a.From.Relative(c.today), a.To.Relative(c.today))
		if a.Delegate != "" {
			text += fmt.Sprintf("; %s covers", upgradebot.Mention(a.Delegate))
			if who == c.settings.Owner {
				text += " and decides meanwhile"
			}
		} else if who == c.settings.Owner {
			text += ". No delegate: decisions will wait. Add one with `delegate:@name`"
		}
		return text + ".", nil
	case "clear":
		n, err := c.b.Desk.ClearAway(c.ctx, c.user, who)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Cleared %s for %s.", upgradebot.Plural(n, "away window"), upgradebot.Mention(who)), nil
	}
	aways, err := c.b.Desk.FindAway(c.ctx, c.today)
	if err != nil {
		return "", err
	}
	if len(aways) == 0 {
		return "Nobody is away now or later. Record it with `/upgrade away <from>..<to> [delegate:@name]`.", nil
	}
	var b strings.Builder
	b.WriteString("*Away*")
	for _, a := range aways {
		fmt.Fprintf(&b, "\n• %s %s to %s", upgradebot.Mention(a.User), a.From.Relative(c.today), a.To.Relative(c.today))
		if a.Delegate != "" {
			fmt.Fprintf(&b, " · delegate %s", upgradebot.Mention(a.Delegate))
		}
	}
	return b.String(), nil
}

func (c *call) admin(cmd *Command) (string, error) {
	switch cmd.Scope {
	case "add":
		if err := c.b.Desk.AddAdmin(c.ctx, c.user, cmd.User); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is now an admin.", upgradebot.Mention(cmd.User)), nil
	case "remove":
		if err := c.b.Desk.RemoveAdmin(c.ctx, c.user, cmd.User); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is no longer an admin.", upgradebot.Mention(cmd.User)), nil
	}
	if len(c.settings.Admins) == 0 {
		return "No admins yet. Set UPGRADEBOT_ADMINS to bootstrap them.", nil
	}
	var ms []string
	for _, a := range c.settings.Admins {
		ms = append(ms, upgradebot.Mention(a))
	}
	return "Admins: " + strings.Join(ms, ", ") + ".", nil
}

// people lists everyone the desk knows by name, with their role.
func (c *call) people(cmd *Command) (string, error) {
	people, err := c.b.Desk.People(c.ctx)
	if err != nil {
		return "", err
	}
	ids := slices.Collect(maps.Keys(people))
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(strings.ToLower(people[a]), strings.ToLower(people[b])) })
	return bullets("People the desk knows", "No one yet: the desk learns people when they use /upgrade or are mentioned from Slack's list.", ids,
		func(id string) string {
			line := fmt.Sprintf("%s (@%s)", upgradebot.Mention(id), upgradebot.Escape(people[id]))
			var roles []string
			if id == c.settings.Owner {
				roles = append(roles, "decision owner")
			}
			if c.settings.IsAdmin(id) {
				roles = append(roles, "admin")
			}
			if len(roles) == 0 {
				roles = append(roles, string(c.settings.Role(id)))
			}
			return line + " · " + strings.Join(roles, ", ")
		}), nil
}

// audit shows the latest changes, or one thing's trail.
func (c *call) audit(cmd *Command) (string, error) {
	f := upgradebot.AuditFilter{Entity: cmd.Entity, EntityID: cmd.ID, Limit: listLimit}
	what := "Audit trail, latest first"
	switch cmd.Entity {
	case "":
	case "release":
		rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{Key: strings.ToLower(cmd.Key)})
		if err != nil {
			return "", err
		}
		if len(rs) == 0 {
			return "", upgradebot.Errorf(upgradebot.ENOTFOUND, "No release has the key `%s`; `/upgrade releases all` lists them.", upgradebot.Escape(upgradebot.Clip(cmd.Key, 40)))
		}
		f.EntityID = rs[0].ID
		what = fmt.Sprintf("Audit trail for release `%s`, latest first", rs[0].Key)
	case "vendor":
		vs, err := c.b.Desk.FindVendors(c.ctx)
		if err != nil {
			return "", err
		}
		i := slices.IndexFunc(vs, func(v *upgradebot.Vendor) bool { return strings.EqualFold(v.Name, cmd.Key) })
		if i < 0 {
			return "", upgradebot.Errorf(upgradebot.ENOTFOUND, "No vendor is called %s; `/upgrade vendor` lists them.", upgradebot.Escape(upgradebot.Clip(cmd.Key, 40)))
		}
		f.EntityID = vs[i].ID
		what = fmt.Sprintf("Audit trail for vendor %s, latest first", upgradebot.Escape(vs[i].Name))
	default:
		what = fmt.Sprintf("Audit trail for %s, latest first", auditRef(cmd.Entity, cmd.ID))
	}
	rows, err := c.b.Desk.FindAudit(c.ctx, f)
	if err != nil {
		return "", err
	}
	if len(rows) == 0 {
		return fmt.Sprintf("*%s*: nothing recorded.", what), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s*", what)
	for _, r := range rows {
		fmt.Fprintf(&b, "\n• %s %s `%s`", c.stamp(r.At), actorMention(r.Actor), r.Action)
		if r.EntityID != 0 {
			b.WriteString(" " + auditRef(r.Entity, r.EntityID))
		}
		ch := changes(r.Before, r.After)
		if r.Action == "phi.refused" {
			ch = refusal(r.After)
		}
		if ch != "" {
			b.WriteString(": " + ch)
		}
	}
	return b.String(), nil
}

// auditRef names one thing the way audit takes it back: task #3,
// decision D3, freeze #2.
func auditRef(entity string, id int64) string {
	if entity == "decision" {
		return fmt.Sprintf("decision D%d", id)
	}
	return fmt.Sprintf("%s #%d", entity, id)
}

func actorMention(a string) string {
	if upgradebot.ValidUserID(a) {
		return upgradebot.Mention(a)
	}
	return a
}

// noChannel says how to give the digest somewhere to go.
const noChannel = "No team channel is set, so the digest has nowhere to go. Set UPGRADEBOT_CHANNEL (or `-channel`) " +
	"to the channel's id (channel details, at the bottom: C…), invite the bot there with `/invite @upgradebot`, and restart the bot."

// digest shows the team channel's digest as it would be posted now, or,
// with now, posts it there (admins only): the message is queued in the
// outbox and delivered like any other. An explicit request always posts
// something: the all-clear line when there is nothing to report.
func (c *call) digest(cmd *Command) (string, error) {
	post := cmd.Scope == "now"
	if post {
		if c.settings.IsPartner(c.user) {
			return "", upgradebot.PartnerRefusal("post the digest", c.settings.AdminsDoRest()+" `/upgrade digest` shows you what it would say.")
		}
		if !c.settings.IsAdmin(c.user) {
			if len(c.settings.Admins) == 0 {
				return "", upgradebot.Errorf(upgradebot.EFORBIDDEN,
					"Only admins can post the digest, and none is set yet; whoever runs the bot names the first with UPGRADEBOT_ADMINS.")
			}
			var admins []string
			for _, a := range c.settings.Admins {
				admins = append(admins, upgradebot.Mention(a))
			}
			return "", upgradebot.Errorf(upgradebot.EFORBIDDEN, "Only admins can post the digest. Admins: %s. "+
				"`/upgrade digest` shows you what it would say.", strings.Join(admins, ", "))
		}
		if c.settings.Channel == "" {
			return "", upgradebot.Errorf(upgradebot.ECONFLICT, "%s", noChannel)
		}
	}
	// The scheduled digest's own function, so the preview says what the
	// job would, and names the same people over the threshold weeks
	// running; asked for, a quiet digest is an all-clear.
	cal, err := c.calendar()
	if err != nil {
		return "", err
	}
	msg, _, err := upgradebot.Digest(c.ctx, c.b.Desk, c.b.Clock.Now(), c.settings.Config().Workload,
		upgradebot.DigestOptions{Channel: c.settings.Channel, AllClear: true, Calendar: cal})
	if err != nil {
		return "", err
	}
	if !post {
		note := "_" + noChannel + "_"
		if c.settings.Channel != "" {
			note = fmt.Sprintf("_The digest as it would be posted in <#%s> now. An admin posts it with `/upgrade digest now`._", c.settings.Channel)
		}
		return note + "\n" + msg.FullText(), nil
	}
	if err := c.b.Desk.QueueMessages(c.ctx, []upgradebot.Message{msg}); err != nil {
		return "", err
	}
	c.b.logger().Info("digest posted on request", "user", c.user, "channel", c.settings.Channel)
	return fmt.Sprintf("Posting the digest in <#%s> now.", c.settings.Channel), nil
}
