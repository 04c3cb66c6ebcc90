package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Command is one parsed /upgrade line. Which fields are set depends on Name.
type Command struct {
	Name  string // "add", "release add", "maint list", …
	Share bool   // post the reply in the channel instead of only to the user

	ID       int64
	IDs      []int64 // a command that takes several (done 1 2 3): every id when more than one; ID is the first
	Entity   string  // audit: what kind of thing ID is (task, decision, release, …), "" for any
	Title    string  // add, maint add; question for decide; vendor for release add
	Text     string  // note, comment, reason (freeze too), find words, help topic
	User     string  // the <@user> argument: assignee, owner, admin, list filter, away for
	Scope    string  // list: mine|open|overdue|done|all; decisions: pending|all; admin/away: add|remove|list|clear; digest: now or ""
	Due      upgradebot.Date
	Kind     upgradebot.TaskKind
	Priority upgradebot.Priority
	Release  string
	Ref      string
	Key      string
	Name2    string // release name for release add; the new name for vendor rename
	GA       upgradebot.Date
	Support  upgradebot.Date
	Every    upgradebot.Interval
	First    upgradebot.Date
	From, To upgradebot.Date // away, freeze
	Delegate string
	Dates    []upgradebot.Date // config holidays add|remove
	// release phase: the phase (Scope is start or done, Due the day);
	// vendor: the cadence and support window in days (Title is the name).
	Phase       upgradebot.Phase
	Cadence     int
	SupportDays int
	Estimate    time.Duration       // add est:
	Edit        upgradebot.TaskEdit // edit: the fields to change
	Queue       int                 // maint queue
	Rate        float64             // maint queue: items per hour
	Workdays    string              // maint add, maint edit: "yes" or "no" (workdays:), "" keeps
	Vendor      string              // checklist add: the vendor whose releases get the item
	Site        string              // site: of add, list, maint add, freeze, release add, workload
	Spent       time.Duration       // spent
	NoSupport   bool                // vendor, release edit: support:none forgets the support window
	// Values are the settings config sets, by key, already checked and in
	// canonical form (see upgradebot.ValidateSetting).
	Values map[string]string

	// People are the names seen in user escapes, so replies can show them.
	People []upgradebot.Person
}

// spec is one command of the language: its words, grammar, help, who may
// run it and the handler that runs it. The groups below, one per topic,
// make specs, the only table of commands: parsing, help, logging and
// running all read it.
type spec struct {
	name    string   // its words: "add", "release add"
	aliases []string // other words people type for it: "ls", "maintenance add"
	// keyFirst: the second word may also follow the first argument
	// ("release <key> phase …", "maint <id> queue …").
	keyFirst  bool
	usage     string
	summary   string
	who       who          // who may run it (the store enforces it; help says it)
	partner   partnerRight // what a partner may do with it (the store enforces it; help says it)
	bulk      bool         // takes several task ids: done 1 2 3
	decisions bool         // its ids are decisions' (D7 as well as 7)
	ownKeys   bool         // its parser reads key:value words of its own (config nudges after:4)
	// forDecisions is the command to write instead when a decision's id
	// (D9) is given to this task command: cancel's is withdraw.
	forDecisions string
	options      []string // option keys the command accepts
	share        bool     // read-only: a trailing "share" posts the reply in the channel
	parse        func(p *parser, c *Command) error
	run          func(c *call, cmd *Command) (string, error)
	topic        string // the topics entry it is listed under (set in init)
}

// who says who may run a command.
type who int

const (
	anyone   who = iota
	admins       // admins only
	deciders     // the decision owner, or the delegate while the owner is away
)

// helpNote is how help marks a command only some people may run.
func (w who) helpNote() string {
	switch w {
	case admins:
		return " (admin)"
	case deciders:
		return " (owner or delegate)"
	}
	return ""
}

// partnerRight says what a partner may do with a command. The store
// enforces it (upgradebot.PartnerMay); help says it.
type partnerRight int

const (
	partnerMay      partnerRight = iota // partners too: it reads, or it is a partner's right
	partnerOwn                          // partners only on what is assigned to them
	partnerNot                          // not partners
	partnerReadOnly                     // partners may read, not change
)

// helpNote is how help marks a command some people may not run.
func (s *spec) helpNote() string {
	note := s.who.helpNote()
	if s.who != anyone {
		return note // admins and deciders are never partners
	}
	switch s.partner {
	case partnerOwn:
		note += " (partners: only what is assigned to them)"
	case partnerNot:
		note += " (not partners)"
	case partnerReadOnly:
		note += " (partners: read only)"
	}
	return note
}

// topics are what people do with the desk, in the order help lists them;
// `help <topic>` shows one topic's commands.
var topics = []struct{ name, title string }{
	{"tasks", "Tasks"},
	{"upgrades", "Releases and the upgrade cycle"},
	{"cleanups", "Clean-ups"},
	{"decisions", "Decisions"},
	{"team", "The team and settings"},
}

// specs is every command, topic by topic, in the order help lists them. It
// is set in init because help reads it.
var specs []*spec

func init() {
	groups := [][]*spec{taskSpecs, releaseSpecs, cleanupSpecs, decisionSpecs, teamSpecs} // in topics' order
	for i, t := range topics {
		for _, s := range groups[i] {
			s.topic = t.name
		}
		specs = append(specs, groups[i]...)
	}
}

// taskSpecs are the commands about tasks (help topic tasks).
var taskSpecs = []*spec{
	{name: "add", run: (*call).add, usage: "add <title> [due:<date>] [@user] [kind:upgrade|maintenance|cleanup] [release:<key>] [prio:high|normal|low] [ref:<ticket>] [est:<N>h|<N>d] [site:<site>]",
		summary: "add a task; a partner's waits unassigned for the team, and the admins are told", options: []string{"due", "kind", "release", "prio", "ref", "est", "site"}, parse: parseAdd},
	{name: "list", aliases: []string{"ls"}, run: (*call).list, usage: "list [mine|open|overdue|done|all] [@user] [release:<key>] [kind:<kind>] [site:<site>]",
		summary: "list tasks (open by default)", options: []string{"release", "kind", "site"}, share: true, parse: parseList},
	{name: "find", run: (*call).find, usage: "find <words>", summary: "find tasks whose title or ref has every word", share: true,
		parse: func(p *parser, c *Command) error {
			c.Text = strings.Join(p.rest(), " ")
			if c.Text == "" {
				return p.usageErr("what should I look for?")
			}
			return nil
		}},
	{name: "show", run: (*call).show, usage: "show <id>", summary: "a task with its notes", share: true,
		parse: func(p *parser, c *Command) error { return p.onlyID(c) }},
	{name: "done", aliases: []string{"close", "complete"}, bulk: true, partner: partnerOwn, run: (*call).done, usage: "done <id>... [note]",
		summary: "mark tasks done, all or none; numbers after done are ids, so a note that starts with a number goes in quotes: `done 9 \"14 pairs merged\"`",
		parse:   func(p *parser, c *Command) error { return p.idAndText(c, "") }},
	{name: "assign", bulk: true, partner: partnerNot, run: (*call).assign, usage: "assign <id>... @user", summary: "give tasks to someone; whoever had one is told", parse: parseAssign},
	{name: "unassign", partner: partnerNot, run: (*call).unassign, usage: "unassign <id>", summary: "leave a task with nobody; whoever had it is told",
		parse: func(p *parser, c *Command) error { return p.onlyID(c) }},
	{name: "due", partner: partnerOwn, run: (*call).due, usage: "due <id> <date>", summary: "move a task's due date; a partner's move is told to the team", parse: parseDue},
	{name: "edit", aliases: []string{"rename", "prio", "est"}, partner: partnerOwn, run: (*call).edit,
		usage:   `edit <id> [title:"<title>"] [due:<date>|none] [prio:high|normal|low] [est:<N>h|<N>d|none] [kind:upgrade|maintenance|cleanup] [release:<key>|none] [ref:<ticket>|none] [site:<site>|none]`,
		summary: "change a task's fields, at least one, each checked as `add` checks it; `none` clears a due date, estimate, release, ref or site; the assignee is told; partners change only the due date and estimate of their own tasks",
		options: editOptions, parse: parseEdit},
	{name: "note", partner: partnerOwn, run: (*call).note, usage: "note <id> <text>", summary: "add a note to a task",
		parse: func(p *parser, c *Command) error {
			return p.idAndText(c, "the text is missing.")
		}},
	{name: "cancel", forDecisions: "withdraw", bulk: true, partner: partnerNot, run: (*call).cancel, usage: "cancel <id>... [reason]", summary: "close tasks without doing them, all or none; the assignees are told",
		parse: func(p *parser, c *Command) error { return p.idAndText(c, "") }},
	{name: "reopen", partner: partnerOwn, run: (*call).reopen, usage: "reopen <id>", summary: "put a done or cancelled task back to open",
		parse: func(p *parser, c *Command) error { return p.onlyID(c) }},
	{name: "undo", run: (*call).undo, usage: "undo", summary: undoSummary, parse: parseUndo},
	{name: "spent", aliases: []string{"log"}, partner: partnerOwn, run: (*call).spent, usage: "spent <id> <N>h|<N>d [note]",
		summary: "log time you spent on a task (1.5h, 2d: a day is 8h), with an optional note; `show` and `partner report` add it up", parse: parseSpent},
}

// releaseSpecs are the commands about vendor releases and the upgrade
// cycle (help topic upgrades).
var releaseSpecs = []*spec{
	{name: "release add", partner: partnerNot, run: (*call).releaseAdd, usage: "release add <vendor> <name> ga:<date> [key:<key>] [support:<date>] [site:<site>]",
		summary: "record a vendor release (site: the one site that takes it)", options: []string{"ga", "key", "support", "site"}, parse: parseReleaseAdd},
	{name: "release", run: (*call).release, usage: "release <key>", share: true,
		summary: "one release on one page: GA and support, each phase planned and done, the gate waiting, open checklist work, release-note verdicts, the forecast go-live",
		parse: func(p *parser, c *Command) error {
			if len(p.toks) == 0 { // release alone lists them
				c.Name = "releases"
				return nil
			}
			c.Key, p.toks = strings.ToLower(p.toks[0].plain()), p.toks[1:]
			return p.none()
		}},
	{name: "releases", run: (*call).releases, usage: "releases [all]", summary: "vendor releases (recent and coming; all with `all`)", share: true,
		parse: func(p *parser, c *Command) error { return p.scope(c, "", "all") }},
	{name: "release edit", keyFirst: true, partner: partnerNot, run: (*call).releaseEdit, usage: "release edit <key> [ga:<date>] [support:<date>|none]",
		summary: "correct a release's GA date or end of support (`none`: not known); also `release <key> edit ...`", options: []string{"ga", "support"}, parse: parseReleaseEdit},
	{name: "release remove", aliases: []string{"release delete"}, keyFirst: true, partner: partnerNot, run: (*call).releaseRemove, usage: "release remove <key>",
		summary: "take back a release recorded by mistake, with the checklist tasks it was given; refused once anything was done on it (phases, note items, gates, tasks done or worked on), saying what", parse: parseReleaseRemove},
	{name: "release phase", keyFirst: true, partner: partnerNot, run: (*call).releasePhase, usage: "release phase <key> <phase> start|done [<date>]",
		summary: "record that a release's phase (one of the team's, see `config`; review, build, test, train, go-live unless changed) started or was done (today, or that day); the release is live when its last phase is done; closing a phase is a gate: from anyone but the decision owner (or delegate) it asks them to approve; also `release <key> phase <phase> start|done`", parse: parseReleasePhase},
	{name: "release item", keyFirst: true, partner: partnerNot, run: (*call).releaseItem, usage: `release item <key> adopt|defer|skip "<item title>" [reason]`,
		summary: "log the team's verdict on one item of a release's notes, with the reason (needed to defer or skip, shown as not doing); deferred items come back in the next release's checklist; also `release <key> item ...`", parse: parseReleaseItem},
	{name: "release items", keyFirst: true, run: (*call).releaseItems, usage: "release items <key>", share: true,
		summary: "a release's note items by verdict with the reasons, and the items deferred in earlier releases still carried; also `release <key> items`", parse: parseReleaseItems},
	{name: "checklist", run: (*call).checklist, usage: "checklist", summary: "the release checklist: the tasks every new release gets, by phase", share: true,
		parse: func(p *parser, c *Command) error { return p.none() }},
	{name: "checklist add", who: admins, run: (*call).checklistAdd, usage: "checklist add <phase> <title> [est:<N>h|<N>d] [vendor:<name>]",
		summary: "add a task every new release gets in that phase; with vendor:, only that vendor's releases (a vendor with items of its own gets only those)",
		options: []string{"est", "vendor"}, parse: parseChecklistAdd},
	{name: "checklist remove", who: admins, run: (*call).checklistRemove, usage: "checklist remove <id>", summary: "remove a task from the release checklist; releases keep theirs",
		parse: func(p *parser, c *Command) error { return p.onlyID(c) }},
	{name: "vendor", partner: partnerReadOnly, run: (*call).vendor, usage: "vendor [<name> cadence:<N>w [support:<N>w|none]]",
		summary: "vendors and how often each ships a release; set one's cadence and support window (without support: it keeps the one it has; the name keeps its case)", options: []string{"cadence", "support"}, parse: parseVendor},
	{name: "vendor rename", partner: partnerNot, run: (*call).vendorRename, usage: "vendor rename <name> <new name>",
		summary: "rename a vendor; its releases follow (their keys stay)", parse: parseVendorRename},
	{name: "vendor remove", aliases: []string{"vendor delete"}, partner: partnerNot, run: (*call).vendorRemove, usage: "vendor remove <name>",
		summary: "remove a vendor no release uses (refused, naming them, while any does)", parse: parseVendorRemove},
	{name: "forecast", run: (*call).forecast, usage: "forecast", summary: "per vendor: releases behind, coming go-lives, support, what it takes to catch up", share: true,
		parse: func(p *parser, c *Command) error { return p.none() }},
	{name: "freeze", who: admins, run: (*call).freeze, usage: "freeze <from>..<to> <reason> [site:<site>]",
		summary: "record a freeze window, like a go-live or a clinical blackout; with site: it holds that site's work (and work of the whole system), without it every site's",
		options: []string{"site"}, parse: parseFreeze},
	{name: "freeze remove", who: admins, run: (*call).freezeRemove, usage: "freeze remove <id>", summary: "remove a freeze window",
		parse: func(p *parser, c *Command) error { return p.onlyID(c) }},
	{name: "freezes", run: (*call).freezes, usage: "freezes", summary: "current and coming freeze windows", share: true,
		parse: func(p *parser, c *Command) error { return p.none() }},
}

// cleanupSpecs are the commands about recurring clean-ups (help topic
// cleanups).
var cleanupSpecs = []*spec{
	{name: "maint add", aliases: []string{"maintenance add"}, partner: partnerNot, run: (*call).maintAdd, usage: "maint add <title> every:<N>d|<N>w|<N>m [@user] [first:<date>] [workdays:yes] [site:<site>]",
		summary: "add a recurring clean-up; with workdays:yes one that falls on a weekend or team holiday is due the next working day; its occurrences take its site", options: []string{"every", "first", "workdays", "site"}, parse: parseMaintAdd},
	{name: "maint list", aliases: []string{"maint", "maintenance", "maintenance list"}, run: (*call).maintList, usage: "maint list", summary: "recurring clean-ups and when each is next due", share: true,
		parse: func(p *parser, c *Command) error { return p.none() }},
	{name: "maint queue", aliases: []string{"maintenance queue"}, keyFirst: true, partner: partnerOwn, run: (*call).maintQueue, usage: "maint queue <id> <items> rate <N>/h",
		summary: "record a clean-up's queue and how many items one person clears an hour (also `maint <id> queue <items> rate <N>/h`)", parse: parseMaintQueue},
	{name: "maint edit", aliases: []string{"maintenance edit"}, keyFirst: true, partner: partnerNot, run: (*call).maintEdit,
		usage:   `maint edit <id> [title:"<title>"] [every:<N>d|<N>w|<N>m] [@user] [first:<date>] [workdays:yes|no]`,
		summary: "change a clean-up; its open occurrence follows (an overdue one keeps its day); the assignee is told (also `maint <id> edit ...`)",
		options: []string{"title", "every", "first", "workdays"}, parse: parseMaintEdit},
	{name: "maint pause", aliases: []string{"maintenance pause"}, keyFirst: true, partner: partnerNot, run: (*call).maintPause, usage: "maint pause <id>",
		summary: "stop a clean-up making occurrences until resumed; its open one stays (also `maint <id> pause`)", parse: parseMaintID},
	{name: "maint resume", aliases: []string{"maintenance resume"}, keyFirst: true, partner: partnerNot, run: (*call).maintResume, usage: "maint resume <id>",
		summary: "start a paused clean-up again from its next day on the schedule; the ones missed are not made up (also `maint <id> resume`)", parse: parseMaintID},
	{name: "maint remove", aliases: []string{"maintenance remove", "maint delete", "maintenance delete"}, keyFirst: true, partner: partnerNot, run: (*call).maintRemove, usage: "maint remove <id>",
		summary: "remove a clean-up for good: its open occurrence is cancelled, its trail stays (also `maint <id> remove`)", parse: parseMaintID},
}

// decisionSpecs are the commands about decisions (help topic decisions).
var decisionSpecs = []*spec{
	{name: "decide", partner: partnerNot, run: (*call).decide, usage: "decide <question> [due:<date>]", summary: "ask the decision owner to approve or reject",
		options: []string{"due"}, parse: parseDecide},
	{name: "decisions", run: (*call).decisions, usage: "decisions [pending|all]", summary: "decision requests (pending by default)", share: true,
		parse: func(p *parser, c *Command) error { return p.scope(c, "pending", "pending", "all") }},
	{name: "approve", who: deciders, decisions: true, run: (*call).approve, usage: "approve <id> [comment]", summary: "approve a decision",
		parse: func(p *parser, c *Command) error { return p.idAndText(c, "") }},
	{name: "reject", who: deciders, decisions: true, run: (*call).reject, usage: "reject <id> <reason>", summary: "reject a decision, with the reason",
		parse: func(p *parser, c *Command) error {
			return p.idAndText(c, "a reason is required: the requester sees it.")
		}},
	{name: "withdraw", decisions: true, run: (*call).withdraw, usage: "withdraw <id> [reason]",
		summary: "take back a decision you asked while it is pending (D7 or 7); the owner's request is updated", parse: func(p *parser, c *Command) error { return p.idAndText(c, "") }},
}

// teamSpecs are the commands about the team, its settings and the desk
// itself (help topic team).
var teamSpecs = []*spec{
	{name: "workload", run: (*call).workload, usage: "workload [site:<site>]",
		summary: "open and overdue tasks and planned hours per person, in-house and partners side by side; who is over the threshold and who has room; site: one site's work",
		options: []string{"site"}, share: true, parse: parseWorkload},
	{name: "partner report", run: (*call).partnerReport, usage: "partner report [<month>]",
		summary: "what the partners closed in a month (this one, last, 2026-11 or nov), what is still open with them and the hours, beside the team's", share: true,
		parse: func(p *parser, c *Command) error {
			c.Text = strings.Join(p.rest(), " ")
			if len(p.toks) > 1 {
				return p.usageErr("give one month, like 2026-11, nov or last.")
			}
			_, _, err := upgradebot.ParseMonth(c.Text, p.today)
			return err
		}},
	{name: "digest", run: (*call).digest, usage: "digest [now]", summary: "the team channel's digest as it would be posted now; `now` posts it (admin)",
		parse: func(p *parser, c *Command) error { return p.scope(c, "", "now") }},
	{name: "owner", partner: partnerReadOnly, run: (*call).owner, usage: "owner [@user]", summary: "show the decision owner, or set it (admin): pending decisions go to the new owner", parse: parseOwner},
	{name: "away", run: (*call).away, usage: "away <date>..<date> [delegate:@user] [@user] | away | away clear [@user]",
		summary: "record time away and who decides meanwhile; others' only by admins", options: []string{"delegate"}, parse: parseAway},
	{name: "mute", run: (*call).mute, usage: "mute [until <date>] [@user]",
		summary: "stop your overdue reminders until a day, or until you unmute; someone else's (admin)", parse: parseMute},
	{name: "unmute", run: (*call).unmute, usage: "unmute [@user]", summary: "turn overdue reminders back on; someone else's (admin)", parse: parseUnmute},
	{name: "people", run: (*call).people, usage: "people", summary: "who the desk knows, by name, with their role; write them as @name", share: true,
		parse: func(p *parser, c *Command) error { return p.none() }},
	{name: "admin", partner: partnerReadOnly, run: (*call).admin, usage: "admin add|remove @user | admin", summary: "list admins, or change them (admin)", parse: parseAdmin},
	{name: "admin partner", aliases: []string{"partners"}, partner: partnerReadOnly, run: (*call).adminPartner, usage: "admin partner add|remove @user | admin partner",
		summary: "list the partners (an outsourced team's people: they see the desk and work what is assigned to them), or make someone one or a member again (admin)", parse: parseAdmin},
	{name: "phi scan", aliases: []string{"phi"}, who: admins, run: (*call).phiScan, usage: "phi scan",
		summary: "find patient identifiers already stored (tasks, notes, decisions, releases, clean-ups, the audit trail…), listed by id and field, never the values",
		parse:   func(p *parser, c *Command) error { return p.none() }},
	{name: "config", ownKeys: true, partner: partnerReadOnly, run: (*call).config, usage: "config [channel|tz|hours|holidays|leads|nudges|escalation|allclear|workload|phases|schedule|sites|phi <value>]",
		summary: "every setting and where it comes from; change one (admin): `help config`", options: []string{"every"}, parse: parseConfig},
	{name: "failed", run: (*call).failed, usage: "failed [retry <id>|all]",
		summary: "messages Slack refused for good, and why; send them again once the cause is fixed (admin)", parse: parseFailed},
	{name: "audit", run: (*call).audit, usage: "audit [#<task>|D<decision>|release <key>|vendor <name>|maint <id>|freeze <id>|checklist <id>]",
		summary: "the audit trail: latest changes, or one thing's (a bare number is a task)", share: true, parse: parseAudit},
	{name: "help", aliases: []string{"?"}, run: (*call).help, usage: "help [command]", summary: "what the bot can do, or how to write one command",
		parse: func(p *parser, c *Command) error { c.Text = strings.Join(p.rest(), " "); return nil }},
}

// lookupSpec finds the spec whose words start toks, and how many words it
// used: a two-word command or alias first, then one whose second word
// follows its first argument (keyFirst; only the first word is used), then
// a one-word command or alias.
func lookupSpec(toks []token) (*spec, int) {
	if len(toks) == 0 || !toks[0].word() {
		return nil, 0
	}
	first := toks[0].lower()
	if len(toks) > 1 && toks[1].word() {
		if s := specNamed(first + " " + toks[1].lower()); s != nil {
			return s, 2
		}
	}
	if len(toks) > 2 && toks[2].word() {
		if s := specNamed(first + " " + toks[2].lower()); s != nil && s.keyFirst {
			return s, 1
		}
	}
	if s := specNamed(first); s != nil {
		return s, 1
	}
	return nil, 0
}

// specNamed is the spec with that name or alias, or nil.
func specNamed(words string) *spec {
	for _, s := range specs {
		if s.name == words || slices.Contains(s.aliases, words) {
			return s
		}
	}
	return nil
}

// CommandName names a command for logs: its words ("add", "maint list")
// if the bot knows it, "help" for nothing, else "unknown" or "unparsed".
// Nothing else a person typed is logged, not even a mistyped first word.
func CommandName(text string) string {
	toks, err := tokenize(text)
	switch {
	case err != nil:
		return "unparsed"
	case len(toks) == 0:
		return "help"
	}
	if s, _ := lookupSpec(toks); s != nil {
		return s.name
	}
	return "unknown"
}

// Parse reads the text of an /upgrade command (what Slack sends as `text`)
// relative to today in the team's time zone. The empty line is help. Errors
// are *upgradebot.Error with a message that says what was wrong and how to
// write it.
func Parse(text string, today upgradebot.Date) (Command, error) {
	return parse(text, today, nil)
}

// parse is Parse with the people the desk knows (display names by user
// id), so that a plain @name resolves to one of them; with nil, a plain
// @name is refused.
func parse(text string, today upgradebot.Date, people map[string]string) (Command, error) {
	toks, err := tokenize(text)
	if err != nil {
		return Command{}, err
	}
	if len(toks) == 0 {
		return Command{Name: "help"}, nil
	}
	s, n := lookupSpec(toks)
	if s == nil {
		return Command{}, unknownCommand(toks[0].text)
	}
	c := Command{Name: s.name}
	p := &parser{spec: s, toks: toks[n:], today: today, people: people}
	if s.share && len(p.toks) > 0 && p.toks[len(p.toks)-1].word() && p.toks[len(p.toks)-1].lower() == "share" {
		c.Share = true
		p.toks = p.toks[:len(p.toks)-1]
	}
	if err := p.collect(&c); err != nil {
		return Command{}, err
	}
	if err := p.decisionForTask(); err != nil {
		return Command{}, err
	}
	if err := s.parse(p, &c); err != nil {
		return Command{}, err
	}
	return c, nil
}

func unknownCommand(word string) error {
	msg := fmt.Sprintf("I don't know the command `%s`.", upgradebot.Clip(word, 30))
	if near := nearest(strings.ToLower(word), commandWords()); near != "" {
		msg += fmt.Sprintf(" Did you mean `%s`?", near)
	}
	return upgradebot.Errorf(upgradebot.EINVALID, "%s `/upgrade help` lists them all.", msg)
}

func commandWords() []string {
	var ws []string
	for _, s := range specs {
		w, _, _ := strings.Cut(s.name, " ")
		if !slices.Contains(ws, w) {
			ws = append(ws, w)
		}
	}
	return ws
}

// allOptions is every option key of every command, so that a misspelt one is
// caught rather than taken as a word of the title.
func allOptions() []string {
	var all []string
	for _, s := range specs {
		all = append(all, s.options...)
	}
	return all
}

// nearest returns the candidate within a small edit distance of w, or "".
func nearest(w string, candidates []string) string {
	best, bestD := "", 3
	if len(w) <= 3 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := editDistance(w, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes; the
// words compared are ASCII commands).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// parser holds the words of one command after its name.
type parser struct {
	spec   *spec
	toks   []token
	today  upgradebot.Date
	opts   map[string]string
	people map[string]string // display names by user id, for plain @names
}

// collect pulls options (key:value) out of the words and notes the user
// escapes, leaving the rest in order. It refuses unknown or repeated options
// and malformed user escapes. "key:" followed by a separate word or mention
// takes that as its value (delegate:<@U1> arrives that way).
func (p *parser) collect(c *Command) error {
	p.opts = map[string]string{}
	var rest []token
	for i := 0; i < len(p.toks); i++ {
		t := p.toks[i]
		if pr, ok, err := t.userRef(); ok {
			if err != nil {
				return err
			}
			c.People = append(c.People, pr)
			rest = append(rest, t)
			continue
		}
		if t.word() && strings.HasPrefix(t.text, "@") && len(t.text) > 1 {
			pr, err := p.person(t.text)
			if err != nil {
				return err
			}
			// From here on it reads as the mention Slack would have sent.
			t = token{text: "@" + pr.ID + "|" + pr.Name, escape: true}
			p.toks[i] = t
			c.People = append(c.People, pr)
			rest = append(rest, t)
			continue
		}
		if key, val, ok := strings.Cut(t.text, ":"); ok && (t.word() || t.keyed) && key != "" && !strings.Contains(key, "/") {
			k := strings.ToLower(key)
			if k == "priority" {
				k = "prio"
			}
			if slices.Contains(p.spec.options, k) {
				if _, dup := p.opts[k]; dup {
					return p.usageErr(fmt.Sprintf("`%s:` is given twice.", k))
				}
				if val == "" && i+1 < len(p.toks) {
					next := p.toks[i+1]
					if pr, ok, err := next.userRef(); ok {
						if err != nil {
							return err
						}
						val = pr.ID
						c.People = append(c.People, pr)
						i++
					} else if !next.escape {
						val = next.text
						i++
					}
				}
				p.opts[k] = val
				continue
			}
			if slices.Contains(allOptions(), k) {
				return p.usageErr(fmt.Sprintf("`%s` does not take `%s:`.", p.spec.name, k))
			}
			// A near miss of an option is a typo, not prose ("Re:" in a
			// title is prose, and so are "Note:" and "Time:", capitalised
			// as prose is and options never are, near as they are to
			// site:).
			if near := nearest(k, p.spec.options); near != "" && isOptionLike(key) && len(k) >= 3 {
				return p.usageErr(fmt.Sprintf("I don't know the option `%s:`. Did you mean `%s:`?", upgradebot.Clip(key, 20), near))
			}
			// Any other lower-case key:value is an option nobody has: never
			// filed silently into a title or a note.
			if !p.spec.ownKeys && t.word() && isOptionLike(key) && len(key) >= 2 && val != "" && !strings.HasPrefix(val, "/") {
				return p.usageErr(fmt.Sprintf("I don't know the option `%s:`%s. If `%s` is part of the text, put the text in quotes.",
					upgradebot.Clip(key, 20), p.optionList(), upgradebot.Clip(t.text, 40)))
			}
		}
		rest = append(rest, t)
	}
	p.toks = rest
	return nil
}

// optionList is ", `add` takes due:, kind: …" for a usage error, or "".
func (p *parser) optionList() string {
	if len(p.spec.options) == 0 {
		return fmt.Sprintf("; `%s` takes none", p.spec.name)
	}
	return fmt.Sprintf("; `%s` takes %s:", p.spec.name, strings.Join(p.spec.options, ":, "))
}

// person reads a plain @name (as typed in the console, or in Slack without
// picking from the list) as someone the desk knows: their display name or
// Slack handle, in any case. None, or more than one, is refused, naming the
// candidates.
func (p *parser) person(word string) (upgradebot.Person, error) {
	name := strings.TrimRight(strings.TrimPrefix(word, "@"), ".,;:!?")
	if upgradebot.ValidUserID(name) {
		return upgradebot.Person{ID: name, Name: p.people[name]}, nil
	}
	if p.people == nil {
		return upgradebot.Person{}, upgradebot.Errorf(upgradebot.EINVALID, "I can't tell who %q is. Mention them with @ and pick them from Slack's list, so the mention becomes a link.", upgradebot.Clip(word, 40))
	}
	var exact, near []string
	for id, n := range p.people {
		switch {
		case strings.EqualFold(n, name):
			exact = append(exact, id)
		case strings.HasPrefix(strings.ToLower(n), strings.ToLower(name)) || editDistance(strings.ToLower(n), strings.ToLower(name)) <= 2:
			near = append(near, id)
		}
	}
	slices.Sort(exact)
	slices.Sort(near)
	mentions := func(ids []string) string {
		var ms []string
		for _, id := range ids[:min(len(ids), 5)] {
			ms = append(ms, upgradebot.Mention(id))
		}
		return strings.Join(ms, ", ")
	}
	switch {
	case len(exact) == 1:
		return upgradebot.Person{ID: exact[0], Name: p.people[exact[0]]}, nil
	case len(exact) > 1:
		return upgradebot.Person{}, upgradebot.Errorf(upgradebot.EINVALID, "%q could be %s: mention the one you mean from Slack's list.", upgradebot.Clip(word, 40), mentions(exact))
	case len(near) > 0:
		return upgradebot.Person{}, upgradebot.Errorf(upgradebot.EINVALID, "I don't know anyone called %q. Did you mean %s? `/upgrade people` lists who the desk knows.", upgradebot.Clip(word, 40), mentions(near))
	}
	return upgradebot.Person{}, upgradebot.Errorf(upgradebot.EINVALID, "I don't know anyone called %q yet: the desk learns people when they use /upgrade or are mentioned from Slack's list. `/upgrade people` lists who it knows.", upgradebot.Clip(word, 40))
}

// isOptionLike reports whether a word before a colon looks like an option
// key rather than prose ("Note:" in a title is prose; so are URLs).
func isOptionLike(k string) bool {
	if len(k) > 10 {
		return false
	}
	for _, r := range k {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func (p *parser) usageErr(msg string) error {
	return upgradebot.Errorf(upgradebot.EINVALID, "%s\nUsage: `/upgrade %s`", msg, p.spec.usage)
}

// rest returns the remaining words as text.
func (p *parser) rest() []string {
	var ws []string
	for _, t := range p.toks {
		if pr, ok, _ := t.userRef(); ok {
			name := pr.Name
			if name == "" {
				name = pr.ID
			}
			ws = append(ws, "@"+name)
			continue
		}
		ws = append(ws, t.plain())
	}
	return ws
}

// id reads one id: 42 or #42, or for a command about decisions D42 too.
func (p *parser) id(c *Command) error {
	if len(p.toks) == 0 {
		return p.usageErr("which one? Give its number, like 42 or #42.")
	}
	n, ok := p.idWord(p.toks[0])
	if !ok {
		return p.usageErr(fmt.Sprintf("%q is not a number like 42 or #42.", upgradebot.Clip(p.toks[0].text, 30)))
	}
	c.ID = n
	p.toks = p.toks[1:]
	return nil
}

// idWord reads t as an id: 42 or #42; D42 too for a command about
// decisions (approve, reject, withdraw).
func (p *parser) idWord(t token) (int64, bool) {
	if !t.word() {
		return 0, false
	}
	s := strings.TrimPrefix(t.text, "#")
	if p.spec.decisions && len(s) > 1 && (s[0] == 'D' || s[0] == 'd') {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// ids reads one or more ids: every number right after the verb is an id
// (done 19 20 31, done #84 #85, done 19,20, done 19 and 20). What follows is
// text, so a note that starts with a number is quoted: done 9 "14 pairs
// merged". c.IDs is set when there are several.
func (p *parser) ids(c *Command) error {
	ns, ok := p.idList(p.toks)
	if !ok {
		if err := p.id(c); err != nil {
			return err // which one, or not a number
		}
		ns = []int64{c.ID}
	} else {
		p.toks = p.toks[1:]
	}
	return p.moreIDs(c, ns)
}

// moreIDs reads the ids that follow the first ones, ids.
func (p *parser) moreIDs(c *Command, ids []int64) error {
	c.ID, c.IDs = ids[0], nil
	if len(ids) > maxBulk {
		return p.usageErr(fmt.Sprintf("at most %d at once.", maxBulk))
	}
	for i, n := range ids {
		if slices.Contains(ids[:i], n) {
			return p.usageErr(fmt.Sprintf("#%d is given twice.", n))
		}
	}
	for len(p.toks) > 0 {
		toks := p.toks
		if w := toks[0]; w.word() && (w.lower() == "and" || w.text == "&") && len(toks) > 1 {
			toks = toks[1:]
		}
		ns, ok := p.idList(toks)
		if !ok {
			break
		}
		for _, n := range ns {
			if slices.Contains(ids, n) {
				return p.usageErr(fmt.Sprintf("#%d is given twice.", n))
			}
			if ids = append(ids, n); len(ids) > maxBulk {
				return p.usageErr(fmt.Sprintf("at most %d at once.", maxBulk))
			}
		}
		p.toks = toks[1:]
	}
	if len(ids) > 1 {
		c.IDs = ids
	}
	return nil
}

// idList reads the first of toks as one or more ids: 42, #42, 19,20 or
// "19," before the next id.
func (p *parser) idList(toks []token) ([]int64, bool) {
	if len(toks) == 0 || !toks[0].word() {
		return nil, false
	}
	parts := strings.Split(toks[0].text, ",")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	var ns []int64
	for _, part := range parts {
		n, ok := p.idWord(token{text: part})
		if !ok {
			return nil, false
		}
		ns = append(ns, n)
	}
	return ns, true
}

// maxBulk is how many tasks one command may change at once.
const maxBulk = 50

func (p *parser) onlyID(c *Command) error {
	if err := p.id(c); err != nil {
		return err
	}
	return p.none()
}

// idAndText reads "<id> [text]" ("<id>... [text]" for a bulk command);
// with need, the text is required and missing names it.
func (p *parser) idAndText(c *Command, need string) error {
	read := p.id
	if p.spec.bulk {
		read = p.ids
	}
	if err := read(c); err != nil {
		return err
	}
	c.Text = strings.Join(p.rest(), " ")
	if need != "" && c.Text == "" {
		return p.usageErr(need)
	}
	if c.Text != "" {
		return upgradebot.ValidateText("text", c.Text)
	}
	return nil
}

// none refuses any leftover words.
func (p *parser) none() error {
	if len(p.toks) > 0 {
		if _, ok, _ := p.toks[0].userRef(); ok {
			return p.usageErr("this command does not take a person.")
		}
		return p.usageErr(fmt.Sprintf("I didn't expect %q.", upgradebot.Clip(p.toks[0].plain(), 30)))
	}
	return nil
}

// scope reads an optional single word out of allowed, defaulting to def.
func (p *parser) scope(c *Command, def string, allowed ...string) error {
	c.Scope = def
	if len(p.toks) > 0 && p.toks[0].word() && slices.Contains(allowed, p.toks[0].lower()) {
		c.Scope = p.toks[0].lower()
		p.toks = p.toks[1:]
	}
	return p.none()
}

// oneUser takes the user mentions out of the words and returns the single
// one, if any; more than one is an error.
func (p *parser) oneUser(what string) (string, error) {
	var users []string
	var rest []token
	for _, t := range p.toks {
		if pr, ok, _ := t.userRef(); ok {
			users = append(users, pr.ID)
			continue
		}
		rest = append(rest, t)
	}
	p.toks = rest
	switch len(users) {
	case 0:
		return "", nil
	case 1:
		return users[0], nil
	}
	return "", p.usageErr(fmt.Sprintf("only one %s, please.", what))
}

// date reads option key as a date, if present.
func (p *parser) date(key string) (upgradebot.Date, error) {
	v, ok := p.opts[key]
	if !ok {
		return upgradebot.Date{}, nil
	}
	d, err := ParseDateWord(v, p.today)
	if err != nil {
		return d, upgradebot.Errorf(upgradebot.EINVALID, "%s: %s", key, upgradebot.ErrorMessage(err))
	}
	return d, nil
}

// title joins the remaining words as a title and validates it. A title
// that ends in a date is refused (see trailingDate).
func (p *parser) title(c *Command, what, dateKey string) error {
	if err := p.trailingDate(what, dateKey); err != nil {
		return err
	}
	c.Title = strings.Join(p.rest(), " ")
	if c.Title == "" {
		return p.usageErr(fmt.Sprintf("the %s is empty.", what))
	}
	if err := upgradebot.ValidateTitle(what, c.Title); err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	return nil
}

// datePrepositions may come before a date at the end of a title.
var datePrepositions = []string{"by", "on", "due", "before", "until", "till"}

// trailingDate refuses text whose last unquoted words read as a date
// ("… tomorrow", "… by friday", "… on 12/5"): a date is never guessed out of
// a title or a question, and never silently left in it. The answer shows
// the key:<date> form to write instead (or says to quote the text). With
// key "", nothing is checked.
func (p *parser) trailingDate(what, key string) error {
	n := len(p.toks)
	if key == "" || n < 2 || !p.toks[n-1].word() {
		return nil
	}
	last := p.toks[n-1].text
	if !looksLikeDate(last, p.today) {
		return nil
	}
	phrase := last
	if prev := p.toks[n-2]; prev.word() && slices.Contains(datePrepositions, prev.lower()) {
		phrase = prev.text + " " + last
	}
	form := strings.ToLower(last)
	if _, err := ParseDateWord(form, p.today); err != nil {
		form = "<date>"
	}
	return p.usageErr(fmt.Sprintf("%q at the end of the %s looks like a date. Write it as `%s:%s` (%s), or put the %s in quotes if the words belong to it.",
		upgradebot.Clip(phrase, 30), what, key, form, DateForms, what))
}

// looksLikeDate reports whether a word is a date as people write one: any
// date word ParseDateWord reads, or a month/day like 12/5 or 12/5/2026.
func looksLikeDate(w string, today upgradebot.Date) bool {
	if _, err := ParseDateWord(w, today); err == nil {
		return true
	}
	parts := strings.Split(w, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for _, part := range parts {
		if part == "" || len(part) > 4 || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

func parseAdd(p *parser, c *Command) error {
	var err error
	if c.User, err = p.oneUser("assignee"); err != nil {
		return err
	}
	if c.Due, err = p.date("due"); err != nil {
		return err
	}
	if v, ok := p.opts["kind"]; ok {
		if c.Kind, err = parseKind(v); err != nil {
			return err
		}
	}
	if v, ok := p.opts["prio"]; ok {
		if c.Priority, err = p.priority(v); err != nil {
			return err
		}
	}
	if v, ok := p.opts["release"]; ok {
		if c.Release = strings.ToLower(v); c.Release == "" {
			return p.usageErr("release: needs a key, like release:medcore-2027.1.")
		}
	}
	if v, ok := p.opts["ref"]; ok {
		if c.Ref, err = p.ref(v); err != nil {
			return err
		}
	}
	if v, ok := p.opts["est"]; ok {
		if c.Estimate, err = upgradebot.ParseEstimate(v); err != nil {
			return err
		}
	}
	if err := p.site(c); err != nil {
		return err
	}
	return p.title(c, "title", "due")
}

// site reads site: as a site key, if present. Whether the team has the
// site is the store's to say.
func (p *parser) site(c *Command) error {
	v, ok := p.opts["site"]
	if !ok {
		return nil
	}
	k, err := upgradebot.ParseSiteKey(v)
	if err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	c.Site = k
	return nil
}

// parseWorkload reads `workload [site:<site>]`.
func parseWorkload(p *parser, c *Command) error {
	if err := p.site(c); err != nil {
		return err
	}
	return p.none()
}

// parseSpent reads `spent <id> <N>h|<N>d [note]`.
func parseSpent(p *parser, c *Command) error {
	if err := p.id(c); err != nil {
		return err
	}
	if len(p.toks) == 0 || !p.toks[0].word() {
		return p.usageErr("how long? Give the time, like 1.5h or 2d.")
	}
	var err error
	if c.Spent, err = upgradebot.ParseSpent(p.toks[0].text); err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	p.toks = p.toks[1:]
	if c.Text = strings.Join(p.rest(), " "); c.Text != "" {
		return upgradebot.ValidateText("note", c.Text)
	}
	return nil
}

func parseKind(v string) (upgradebot.TaskKind, error) {
	k := upgradebot.TaskKind(strings.ToLower(v))
	if k == "clean-up" {
		k = upgradebot.KindCleanup
	}
	if !slices.Contains(upgradebot.TaskKinds, k) {
		return "", upgradebot.Errorf(upgradebot.EINVALID, "kind %q is not one of upgrade, maintenance, cleanup.", upgradebot.Clip(v, 20))
	}
	return k, nil
}

func parseList(p *parser, c *Command) error {
	c.Scope = "open"
	for i, t := range p.toks {
		if w := t.lower(); t.word() && slices.Contains([]string{"mine", "open", "overdue", "done", "all"}, w) {
			c.Scope = w
			p.toks = slices.Delete(slices.Clone(p.toks), i, i+1)
			break
		}
	}
	var err error
	if c.User, err = p.oneUser("person"); err != nil {
		return err
	}
	if v, ok := p.opts["kind"]; ok {
		if c.Kind, err = parseKind(v); err != nil {
			return err
		}
	}
	c.Release = strings.ToLower(p.opts["release"])
	if err := p.site(c); err != nil {
		return err
	}
	if len(p.toks) > 0 {
		return p.usageErr(fmt.Sprintf("I didn't expect %q. Lists are mine, open, overdue, done or all.", upgradebot.Clip(p.toks[0].plain(), 30)))
	}
	return nil
}

func parseAssign(p *parser, c *Command) error {
	if err := p.ids(c); err != nil {
		return err
	}
	var err error
	if c.User, err = p.oneUser("assignee"); err != nil {
		return err
	}
	if c.User == "" {
		return p.usageErr("to whom? Mention them with @.")
	}
	return p.none()
}

func parseDue(p *parser, c *Command) error {
	if err := p.id(c); err != nil {
		return err
	}
	if len(p.toks) != 1 {
		return p.usageErr("give one date: " + DateForms + ".")
	}
	d, err := ParseDateWord(p.toks[0].text, p.today)
	if err != nil {
		return err
	}
	c.Due = d
	p.toks = nil
	return p.none()
}

func parseReleaseAdd(p *parser, c *Command) error {
	if len(p.toks) != 2 {
		return p.usageErr("give the vendor and the release name; quote either if it has spaces: release add MedCore \"2027.1\" ga:2027-02-15.")
	}
	c.Title, c.Name2 = p.toks[0].plain(), p.toks[1].plain()
	var err error
	if _, ok := p.opts["ga"]; !ok {
		return p.usageErr("the GA date is missing: ga:<date>.")
	}
	if c.GA, err = p.date("ga"); err != nil {
		return err
	}
	if c.Support, err = p.date("support"); err != nil {
		return err
	}
	c.Key = strings.ToLower(p.opts["key"])
	if err := p.site(c); err != nil {
		return err
	}
	p.toks = nil
	return p.none()
}

func parseMaintAdd(p *parser, c *Command) error {
	v, ok := p.opts["every"]
	if !ok {
		return p.usageErr("how often? Add every:2w (days d, weeks w, months m).")
	}
	var err error
	if c.Every, err = upgradebot.ParseInterval(strings.ToLower(v)); err != nil {
		return err
	}
	if c.Every.N > 366 {
		// ParseInterval's year check multiplies N by 7 or 30 and can
		// overflow; no valid interval has more than 366 of any unit.
		return upgradebot.Errorf(upgradebot.EINVALID, "%q is more than a year; the longest interval is 12m", upgradebot.Clip(v, 30))
	}
	if c.First, err = p.date("first"); err != nil {
		return err
	}
	if c.User, err = p.oneUser("assignee"); err != nil {
		return err
	}
	if c.Workdays, err = p.workdays(); err != nil {
		return err
	}
	if err := p.site(c); err != nil {
		return err
	}
	if err := p.trailingOption("title", "workdays", "workdays:yes"); err != nil {
		return err
	}
	return p.title(c, "title", "first")
}

func parseDecide(p *parser, c *Command) error {
	var err error
	if c.Due, err = p.date("due"); err != nil {
		return err
	}
	if err := p.trailingDate("question", "due"); err != nil {
		return err
	}
	// "decide cancel 9" is a command typed after decide, not a question.
	if len(p.toks) >= 2 && p.toks[0].word() {
		if s := specNamed(p.toks[0].lower()); s != nil && s.name != "help" {
			if _, ok := (&parser{spec: s}).idWord(p.toks[1]); ok || s.decisions {
				return p.usageErr(fmt.Sprintf("%q reads like the command `%s`, not a question. Write `/upgrade %s`, or put the question in quotes to ask it.",
					upgradebot.Clip(p.toks[0].text+" "+p.toks[1].text, 40), s.name, upgradebot.Clip(s.usage, 60)))
			}
		}
	}
	// Mentions inside a question stay part of it.
	c.Title = strings.Join(p.rest(), " ")
	if c.Title == "" {
		return p.usageErr("the question is empty.")
	}
	return upgradebot.ValidateText("question", c.Title)
}

func parseOwner(p *parser, c *Command) error {
	var err error
	if c.User, err = p.oneUser("owner"); err != nil {
		return err
	}
	return p.none()
}

func parseAdmin(p *parser, c *Command) error {
	c.Scope = "list"
	if len(p.toks) > 0 && p.toks[0].word() {
		switch w := p.toks[0].lower(); w {
		case "add", "remove", "list":
			c.Scope = w
			p.toks = p.toks[1:]
		case "rm", "del", "delete":
			c.Scope = "remove"
			p.toks = p.toks[1:]
		}
	}
	var err error
	if c.User, err = p.oneUser("person"); err != nil {
		return err
	}
	if c.Scope != "list" && c.User == "" {
		return p.usageErr("who? Mention them with @.")
	}
	return p.none()
}

func parseAway(p *parser, c *Command) error {
	c.Scope = "list"
	var err error
	if c.User, err = p.oneUser("person"); err != nil {
		return err
	}
	if v, ok := p.opts["delegate"]; ok {
		if !upgradebot.ValidUserID(v) {
			return p.usageErr("write the delegate as delegate:@name.")
		}
		c.Delegate = v
	}
	if len(p.toks) == 0 {
		if c.Delegate != "" {
			return p.usageErr("when? Give the dates as <from>..<to>.")
		}
		return nil
	}
	if w := p.toks[0]; w.word() && (w.lower() == "clear" || w.lower() == "off" || w.lower() == "cancel") {
		c.Scope = "clear"
		p.toks = p.toks[1:]
		return p.none()
	}
	if c.From, c.To, err = ParseDateRange(p.toks[0].text, p.today); err != nil {
		return err
	}
	c.Scope = "set"
	p.toks = p.toks[1:]
	return p.none()
}

// parseMaintQueue reads "<id> queue <items> rate <N>/h" (after maint) or
// "<id> <items> rate <N>/h" (after maint queue).
func parseMaintQueue(p *parser, c *Command) error {
	if err := p.id(c); err != nil {
		return err
	}
	w := p.rest()
	if len(w) == 3 {
		w = append([]string{"queue"}, w...) // maint queue <id> <items> rate <N>/h
	}
	if len(w) != 4 || !strings.EqualFold(w[0], "queue") || !strings.EqualFold(w[2], "rate") {
		return p.usageErr("give the items left and the rate, like `maint 2 queue 1240 rate 22/h`.")
	}
	var err error
	if c.Queue, err = upgradebot.ParseQueue(w[1]); err != nil {
		return err
	}
	if c.Rate, err = upgradebot.ParseRate(w[3]); err != nil {
		return err
	}
	p.toks = nil
	return nil
}

// parseReleasePhase reads "<key> <phase> start|done [<date>]", or with
// "phase" after the key ("release <key> phase <phase> ..."). The phase is
// checked for its shape only (upgradebot.ParsePhaseName): the handler and
// the store check it against the team's phases.
func parseReleasePhase(p *parser, c *Command) error {
	if len(p.toks) > 1 && p.toks[1].word() && p.toks[1].lower() == "phase" {
		p.toks = slices.Delete(slices.Clone(p.toks), 1, 2)
	}
	if len(p.toks) < 3 || len(p.toks) > 4 {
		return p.usageErr("give the release key, the phase (" + phaseHint + ") and start or done.")
	}
	c.Key = strings.ToLower(p.toks[0].plain())
	ph, err := upgradebot.ParsePhaseName(p.toks[1].plain())
	if err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	c.Phase = ph
	switch w := p.toks[2].lower(); w {
	case "start", "started", "begin":
		c.Scope = string(upgradebot.PhaseStart)
	case "done", "end", "finished", "complete":
		c.Scope = string(upgradebot.PhaseDone)
	default:
		return p.usageErr(fmt.Sprintf("%q is neither start nor done.", upgradebot.Clip(p.toks[2].plain(), 20)))
	}
	c.Due = p.today
	if len(p.toks) == 4 {
		if c.Due, err = ParseDateWord(p.toks[3].text, p.today); err != nil {
			return err
		}
	}
	p.toks = nil
	return nil
}

// parseFailed reads "[retry <id>|all]": no words lists the failed
// messages (Scope list); retry sets Scope retry and ID (0 for all).
func parseFailed(p *parser, c *Command) error {
	c.Scope = "list"
	if len(p.toks) == 0 {
		return nil
	}
	if !p.toks[0].word() || p.toks[0].lower() != "retry" {
		return p.usageErr(fmt.Sprintf("I didn't expect %q; write `failed` to list them or `failed retry <id>|all`.", upgradebot.Clip(p.toks[0].plain(), 30)))
	}
	c.Scope, p.toks = "retry", p.toks[1:]
	if len(p.toks) > 0 && p.toks[0].word() && p.toks[0].lower() == "all" {
		p.toks = p.toks[1:]
		return p.none()
	}
	if len(p.toks) == 0 {
		return p.usageErr("which message? Give its number from `/upgrade failed`, or `all`.")
	}
	return p.onlyID(c)
}

// parseVendor reads "[<name> cadence:<N>w [support:<N>w|none]]": no name
// lists the vendors. Without support: the vendor keeps its window (zero
// SupportDays); support:none forgets it.
func parseVendor(p *parser, c *Command) error {
	c.Scope = "list"
	if len(p.toks) == 0 && len(p.opts) == 0 {
		return nil
	}
	if len(p.toks) != 1 {
		return p.usageErr("give one vendor name; quote it if it has spaces.")
	}
	c.Title, p.toks = p.toks[0].plain(), nil
	v, ok := p.opts["cadence"]
	if !ok {
		return p.usageErr("how often does it ship? Add cadence:13w (quarterly) or cadence:26w.")
	}
	var err error
	if c.Cadence, err = upgradebot.ParseSpan(v); err != nil {
		return err
	}
	if v, ok := p.opts["support"]; ok {
		if c.NoSupport = strings.EqualFold(v, "none"); !c.NoSupport {
			if c.SupportDays, err = upgradebot.ParseSpan(v); err != nil {
				return err
			}
		}
	}
	c.Scope = "set"
	return nil
}

// parseFreeze reads "<from>..<to> <reason>": the days, both inclusive, and
// why nothing may change then.
func parseFreeze(p *parser, c *Command) error {
	if len(p.toks) == 0 {
		return p.usageErr("when? Give the days as <from>..<to>, then the reason.")
	}
	var err error
	if c.From, c.To, err = ParseDateRange(p.toks[0].text, p.today); err != nil {
		return err
	}
	if err := p.site(c); err != nil {
		return err
	}
	p.toks = p.toks[1:]
	c.Text = strings.Join(p.rest(), " ")
	if c.Text == "" {
		return p.usageErr("why? Add the reason, like go-live or clinical blackout.")
	}
	if err := upgradebot.ValidateTitle("reason", c.Text); err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	return nil
}

// parseReleaseItem reads `<key> adopt|defer|skip <title> [reason...]`, or
// with "item" after the key (`release <key> item ...`). The title is one
// word or quoted; the rest of the line is the reason, which deferring and
// skipping need. "not doing" is skip.
func parseReleaseItem(p *parser, c *Command) error {
	if len(p.toks) > 1 && p.toks[1].word() && p.toks[1].lower() == "item" {
		p.toks = slices.Delete(slices.Clone(p.toks), 1, 2)
	}
	if len(p.toks) < 2 {
		return p.usageErr("give the release key, adopt, defer or skip, the item's title (quoted if it has spaces), then the reason.")
	}
	c.Key = strings.ToLower(p.toks[0].plain())
	rest := p.toks[2:]
	verdict, err := upgradebot.ParseVerdict(p.toks[1].plain())
	if w := p.toks[1]; w.word() && w.lower() == "not" && len(rest) > 0 && rest[0].word() && rest[0].lower() == "doing" {
		verdict, err, rest = upgradebot.VerdictSkip, nil, rest[1:]
	}
	if err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	c.Scope = string(verdict)
	if len(rest) == 0 {
		return p.usageErr(fmt.Sprintf("which item? Give its title, quoted if it has spaces: `release %s item %s \"New MAR layout\"`.", upgradebot.Clip(c.Key, 40), verdict))
	}
	c.Title = rest[0].plain()
	if err := upgradebot.ValidateTitle("item title", c.Title); err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	p.toks = rest[1:]
	c.Text = strings.Join(p.rest(), " ")
	p.toks = nil
	if c.Text == "" {
		if verdict != upgradebot.VerdictAdopt {
			return p.usageErr(fmt.Sprintf("%s needs the reason: `release %s item %s \"%s\" <why>`.", verdict, upgradebot.Clip(c.Key, 40), verdict, upgradebot.Clip(c.Title, 40)))
		}
		return nil
	}
	return upgradebot.ValidateText("reason", c.Text)
}

// parseReleaseItems reads `<key>`, or `<key> items` after release.
func parseReleaseItems(p *parser, c *Command) error {
	if len(p.toks) > 1 && p.toks[1].word() && p.toks[1].lower() == "items" {
		p.toks = slices.Delete(slices.Clone(p.toks), 1, 2)
	}
	if len(p.toks) == 0 {
		return p.usageErr("which release? Give its key; `/upgrade releases` lists them.")
	}
	c.Key, p.toks = strings.ToLower(p.toks[0].plain()), p.toks[1:]
	return p.none()
}

// auditKinds are the things audit reads one trail of, by the word that
// names them and the entity the store records.
var auditKinds = []struct{ word, entity string }{
	{"task", "task"}, {"decision", "decision"}, {"release", "release"}, {"vendor", "vendor"},
	{"maint", "maintenance"}, {"maintenance", "maintenance"}, {"cleanup", "maintenance"}, {"clean-up", "maintenance"},
	{"freeze", "freeze"}, {"checklist", "checklist"},
}

// parseAudit reads what audit shows: nothing for the latest changes; 42 or
// #42 a task; D42 a decision; or a kind and its id (maint 4, freeze 2,
// decision 7) or key (release medcore-2027q1, vendor MedCore).
func parseAudit(p *parser, c *Command) error {
	if len(p.toks) == 0 {
		return nil
	}
	t := p.toks[0]
	if t.word() && len(t.text) > 1 && (t.text[0] == 'D' || t.text[0] == 'd') && t.text[1] >= '0' && t.text[1] <= '9' {
		c.Entity = "decision"
		return (&parser{spec: &spec{name: p.spec.name, usage: p.spec.usage, decisions: true}, toks: p.toks}).onlyID(c)
	}
	if _, ok := p.idWord(t); ok {
		c.Entity = "task"
		return p.onlyID(c)
	}
	for _, k := range auditKinds {
		if !t.word() || t.lower() != k.word {
			continue
		}
		c.Entity, p.toks = k.entity, p.toks[1:]
		switch k.entity {
		case "release", "vendor":
			if len(p.toks) != 1 {
				return p.usageErr(fmt.Sprintf("which %s? Give its %s.", k.word, map[bool]string{true: "key", false: "name"}[k.entity == "release"]))
			}
			c.Key, p.toks = p.toks[0].plain(), nil
			return nil
		case "decision":
			sub := &parser{spec: &spec{name: p.spec.name, usage: p.spec.usage, decisions: true}, toks: p.toks}
			return sub.onlyID(c)
		}
		return p.onlyID(c)
	}
	return p.usageErr(fmt.Sprintf("I can't tell what %q is: write #42 for a task, D42 for a decision, or release <key>, vendor <name>, maint <id>, freeze <id>, checklist <id>.", upgradebot.Clip(t.plain(), 30)))
}

// phaseHint says where the team's phases are listed, for usage errors
// written before they are read.
const phaseHint = "one of the team's phases, like build; `/upgrade config` lists them"

// parseChecklistAdd reads `<phase> <title>` and an optional est:. The
// phase is checked for its shape only, as in parseReleasePhase.
func parseChecklistAdd(p *parser, c *Command) error {
	if len(p.toks) == 0 {
		return p.usageErr("give the phase (" + phaseHint + ") and the task's title.")
	}
	ph, err := upgradebot.ParsePhaseName(p.toks[0].plain())
	if err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	c.Phase, p.toks = ph, p.toks[1:]
	if v, ok := p.opts["est"]; ok {
		if c.Estimate, err = upgradebot.ParseEstimate(v); err != nil {
			return err
		}
	}
	if v, ok := p.opts["vendor"]; ok {
		if c.Vendor = v; v == "" {
			return p.usageErr("vendor: needs a vendor's name, like vendor:Ledgerly.")
		}
	}
	return p.title(c, "title", "")
}
