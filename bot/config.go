package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/cronspec"
)

// Fixed is a setting the environment (or a flag) sets at each start: the
// value written then, and the variable that writes it.
type Fixed struct {
	Var   string
	Value string
}

// configForms are the forms of `config`, for help and refusals.
var configForms = map[string]string{
	"channel":    "config channel #channel",
	"tz":         "config tz <IANA zone, e.g. America/Chicago>",
	"hours":      "config hours 08:00-17:00",
	"holidays":   "config holidays [add|remove <date>...]",
	"leads":      "config leads 30,14,7,1",
	"nudges":     "config nudges every:<working days> after:<nudges>",
	"escalation": "config escalation remind:<working days> escalate:<working days>",
	"allclear":   "config allclear on|off",
	"workload":   "config workload hours:<hours> tasks:<open tasks>",
	"schedule":   `config schedule <job> "<cron spec>"`,
	"phases":     "config phases review:2w,build:4w,test:5w,train:3w,go-live:1w",
	"refurl":     "config refurl https://itsm.example/{ref}|none",
	"sites":      `config sites [add <key> "<name>" | remove <key>]`,
	"phi":        `config phi mrn "<regular expression>"|default`,
}

// phasesHelp is what `help config` says of the phases.
const phasesHelp = "Phases: the team's cycle in order, each <name>:<length> (length in days or weeks, 1d to 366d), commas or spaces between; " +
	"2 to 10 phases named with lower-case letters, digits and dashes (up to 20). The last phase is the go-live: a release is live when its last phase is done. " +
	"Adding, reordering and re-timing phases is always allowed (new lengths apply to phases started from then on); " +
	"dropping or renaming a phase still used by recorded phases, checklist items, open tasks or pending gates is refused."

// configOrder is the order the forms are listed in.
var configOrder = []string{"channel", "tz", "hours", "holidays", "leads", "nudges", "escalation", "allclear", "workload", "phases", "refurl", "schedule", "sites", "phi"}

func configErr(sub, msg string) error {
	return upgradebot.Errorf(upgradebot.EINVALID, "%s\nUsage: `/upgrade %s`", upgradebot.Sentence(upgradebot.UpperFirst(msg)), configForms[sub])
}

// parseConfig reads `config` (show everything), `config holidays [add|
// remove <date>...]`, and `config <setting> <value>`. Each value is checked
// here, so a bad one is refused with the reason before anything is read or
// written: Scope is "show", "holidays", "holidays add", "holidays remove"
// or "set" (Key names the setting and Values holds the keys and canonical
// values to store).
func parseConfig(p *parser, c *Command) error {
	c.Scope = "show"
	if len(p.toks) == 0 {
		return nil
	}
	if !p.toks[0].word() {
		return p.usageErr(fmt.Sprintf("I didn't expect %q.", upgradebot.Clip(p.toks[0].plain(), 30)))
	}
	sub := p.toks[0].lower()
	switch sub {
	case "timezone", "zone":
		sub = "tz"
	case "all-clear":
		sub = "allclear"
	case "lead", "reminders":
		sub = "leads"
	case "hour":
		sub = "hours"
	case "holiday":
		sub = "holidays"
	case "phase", "cycle":
		sub = "phases"
	case "ref", "tickets", "ticketurl":
		sub = "refurl"
	case "site":
		sub = "sites"
	case "mrn":
		sub = "phi"
		p.toks = append([]token{p.toks[0]}, p.toks...) // config mrn … is config phi mrn …
	}
	if _, ok := configForms[sub]; !ok {
		msg := fmt.Sprintf("`%s` is not a setting. Settings: %s.", upgradebot.Clip(p.toks[0].text, 30), strings.Join(configOrder, ", "))
		if near := nearest(sub, configOrder); near != "" {
			msg = fmt.Sprintf("`%s` is not a setting. Did you mean `%s`?", upgradebot.Clip(p.toks[0].text, 30), near)
		}
		return p.usageErr(msg)
	}
	p.toks = p.toks[1:]
	if _, ok := p.opts["every"]; ok && sub != "nudges" {
		return configErr(sub, "`every:` belongs to `config nudges`")
	}
	c.Key = sub
	c.Scope = "set"
	set := func(key, v string) error {
		clean, err := upgradebot.ValidateSetting(key, v)
		if err != nil {
			return configErr(sub, upgradebot.ErrorMessage(err))
		}
		if c.Values == nil {
			c.Values = map[string]string{}
		}
		c.Values[key] = clean
		return nil
	}
	words := func() []string {
		var ws []string
		for _, t := range p.toks {
			ws = append(ws, t.plain())
		}
		return ws
	}
	one := func(what string) (token, error) {
		if len(p.toks) != 1 {
			return token{}, configErr(sub, "give one "+what)
		}
		return p.toks[0], nil
	}

	switch sub {
	case "sites":
		return parseConfigSites(p, c)
	case "phi":
		if len(p.toks) == 0 || !p.toks[0].word() || p.toks[0].lower() != "mrn" {
			return configErr(sub, "the setting is the MRN pattern: config phi mrn followed by the pattern, quoted, or default")
		}
		p.toks = p.toks[1:]
		if len(p.toks) != 1 {
			return configErr(sub, "give one pattern, in quotes if it has spaces")
		}
		c.Key = "phi"
		return set(upgradebot.SettingPHIMRN, p.toks[0].text)
	case "channel":
		t, err := one("channel")
		if err != nil {
			return err
		}
		id := t.text
		if t.escape {
			if !strings.HasPrefix(t.text, "#") {
				return configErr(sub, fmt.Sprintf("%q is not a channel; type # and pick it from Slack's list", "<"+upgradebot.Clip(t.text, 30)+">"))
			}
			id, _, _ = strings.Cut(t.text[1:], "|")
		}
		return set(upgradebot.SettingChannel, id)
	case "tz":
		t, err := one("time zone")
		if err != nil {
			return err
		}
		return set(upgradebot.SettingTimeZone, t.text)
	case "hours":
		if len(p.toks) == 0 {
			return configErr(sub, "give the hours")
		}
		return set(upgradebot.SettingHours, strings.Join(words(), ""))
	case "leads":
		if len(p.toks) == 0 {
			return configErr(sub, "give the lead times in days")
		}
		return set(upgradebot.SettingLeads, strings.Join(words(), ","))
	case "phases":
		if len(p.toks) == 0 {
			return configErr(sub, "give the phases in order, each with its length")
		}
		return set(upgradebot.SettingPhases, strings.Join(words(), ","))
	case "allclear":
		t, err := one("word, on or off")
		if err != nil {
			return err
		}
		return set(upgradebot.SettingAllClear, t.text)
	case "refurl":
		t, err := one("address with {ref} where the ticket goes, or none")
		if err != nil {
			return err
		}
		v := t.text
		if t.escape { // Slack sends a URL as <https://…> or <https://…|label>
			v, _, _ = strings.Cut(v, "|")
		}
		return set(upgradebot.SettingRefURL, v)
	case "nudges", "escalation", "workload":
		keys := map[string]string{"every": upgradebot.SettingNudgeEvery, "after": upgradebot.SettingNudgeAfter}
		switch sub {
		case "escalation":
			keys = map[string]string{"remind": upgradebot.SettingEscalateRemind, "escalate": upgradebot.SettingEscalateThen}
		case "workload":
			keys = map[string]string{"hours": upgradebot.SettingWorkloadHours, "tasks": upgradebot.SettingWorkloadTasks}
		}
		pairs := map[string]string{}
		if v, ok := p.opts["every"]; ok {
			pairs["every"] = v
		}
		for _, t := range p.toks {
			k, v, ok := strings.Cut(t.text, ":")
			k = strings.ToLower(k)
			if _, known := keys[k]; !ok || !t.word() || !known {
				return configErr(sub, fmt.Sprintf("I didn't expect %q", upgradebot.Clip(t.plain(), 30)))
			}
			if _, dup := pairs[k]; dup {
				return configErr(sub, fmt.Sprintf("`%s:` is given twice", k))
			}
			pairs[k] = v
		}
		if len(pairs) == 0 {
			return configErr(sub, "give at least one value")
		}
		for k, v := range pairs {
			if err := set(keys[k], v); err != nil {
				return err
			}
		}
		return nil
	case "schedule":
		if len(p.toks) < 2 {
			return configErr(sub, fmt.Sprintf("give the job and its cron spec; the jobs are %s", strings.Join(upgradebot.JobNames(), ", ")))
		}
		job := p.toks[0].lower()
		spec := strings.Join(words()[1:], " ")
		key := upgradebot.SettingSchedulePrefix + job
		if err := set(key, spec); err != nil {
			return err
		}
		if err := cronspec.Check(c.Values[key]); err != nil {
			c.Values = nil
			return configErr(sub, upgradebot.ErrorMessage(err))
		}
		c.Key = "schedule " + job
		return nil
	}

	// holidays
	c.Scope = "holidays"
	c.Key = ""
	if len(p.toks) == 0 {
		return nil
	}
	verb := p.toks[0].lower()
	switch {
	case !p.toks[0].word():
		return configErr(sub, fmt.Sprintf("I didn't expect %q", upgradebot.Clip(p.toks[0].plain(), 30)))
	case verb == "add":
		c.Scope = "holidays add"
	case verb == "remove" || verb == "rm" || verb == "delete":
		c.Scope = "holidays remove"
	default:
		return configErr(sub, fmt.Sprintf("I didn't expect %q; add or remove?", upgradebot.Clip(p.toks[0].text, 30)))
	}
	for _, w := range words()[1:] {
		for _, f := range strings.Split(w, ",") {
			if f == "" {
				continue
			}
			d, err := ParseDateWord(f, p.today)
			if err != nil {
				return configErr(sub, upgradebot.ErrorMessage(err))
			}
			if !slices.Contains(c.Dates, d) {
				c.Dates = append(c.Dates, d)
			}
		}
	}
	if len(c.Dates) == 0 {
		return configErr(sub, "which days? Give one or more dates")
	}
	if len(c.Dates) > upgradebot.MaxHolidays {
		return configErr(sub, fmt.Sprintf("%d days at once is more than the %d the bot keeps", len(c.Dates), upgradebot.MaxHolidays))
	}
	return nil
}

// parseConfigSites reads `config sites` (list them), `config sites add
// <key> "<name>"` (Key, Title) and `config sites remove <key>` (Key).
func parseConfigSites(p *parser, c *Command) error {
	c.Scope, c.Key = "sites", ""
	if len(p.toks) == 0 {
		return nil
	}
	verb := p.toks[0].lower()
	switch {
	case !p.toks[0].word():
		return configErr("sites", fmt.Sprintf("I didn't expect %q", upgradebot.Clip(p.toks[0].plain(), 30)))
	case verb == "add":
		c.Scope = "sites add"
	case verb == "remove" || verb == "rm" || verb == "delete":
		c.Scope = "sites remove"
	default:
		return configErr("sites", fmt.Sprintf("I didn't expect %q; add or remove?", upgradebot.Clip(p.toks[0].text, 30)))
	}
	p.toks = p.toks[1:]
	if len(p.toks) == 0 {
		return configErr("sites", "which site? Give its key, like north")
	}
	key, err := upgradebot.ParseSiteKey(p.toks[0].plain())
	if err != nil {
		return configErr("sites", upgradebot.ErrorMessage(err))
	}
	c.Key, p.toks = key, p.toks[1:]
	if c.Scope == "sites remove" {
		if len(p.toks) > 0 {
			return configErr("sites", fmt.Sprintf("I didn't expect %q", upgradebot.Clip(p.toks[0].plain(), 30)))
		}
		return nil
	}
	c.Title = strings.Join(p.rest(), " ")
	if c.Title == "" {
		c.Title = key
	}
	st := upgradebot.Site{Key: key, Name: c.Title}
	if err := st.Validate(); err != nil {
		return configErr("sites", upgradebot.ErrorMessage(err))
	}
	return nil
}

// parseUnmute reads `unmute [@user]`.
func parseUnmute(p *parser, c *Command) error {
	var err error
	if c.User, err = p.oneUser("person"); err != nil {
		return err
	}
	return p.none()
}

// parseMute reads `mute [until <date>] [@user]`: To is the last day muted
// (zero: until unmuted).
func parseMute(p *parser, c *Command) error {
	var err error
	if c.User, err = p.oneUser("person"); err != nil {
		return err
	}
	if len(p.toks) == 0 {
		return nil
	}
	if t := p.toks[0]; t.word() && t.lower() == "until" {
		p.toks = p.toks[1:]
		if len(p.toks) == 0 {
			return p.usageErr("until when? Give a date: " + DateForms + ".")
		}
	}
	if c.To, err = ParseDateWord(p.toks[0].text, p.today); err != nil {
		return err
	}
	p.toks = p.toks[1:]
	return p.none()
}

func (c *call) mute(cmd *Command) (string, error) {
	who := firstOf(cmd.User, c.user)
	m, err := c.b.Desk.SetMute(c.ctx, c.user, who, cmd.To)
	if err != nil {
		return "", err
	}
	whose, undo := "your", "`/upgrade unmute`"
	if who != c.user {
		whose, undo = upgradebot.Mention(who)+"'s", fmt.Sprintf("`/upgrade unmute @%s`", c.name(who))
	}
	if m.Until.IsZero() {
		return fmt.Sprintf("Muted %s overdue reminders until unmuted: %s turns them back on.", whose, undo), nil
	}
	return fmt.Sprintf("Muted %s overdue reminders until %s (inclusive); they resume the next working day. %s ends it sooner.",
		whose, m.Until.Human(), undo), nil
}

func (c *call) unmute(cmd *Command) (string, error) {
	who := firstOf(cmd.User, c.user)
	had, err := c.b.Desk.ClearMute(c.ctx, c.user, who)
	if err != nil {
		return "", err
	}
	whose := "Your"
	if who != c.user {
		whose = upgradebot.Mention(who) + "'s"
	}
	if !had {
		return whose + " overdue reminders were not muted.", nil
	}
	return whose + " overdue reminders are back on.", nil
}

// name is how to write user in a command: their display name if known.
func (c *call) name(user string) string {
	people, err := c.b.Desk.People(c.ctx)
	if err == nil && people[user] != "" {
		return people[user]
	}
	return user
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *call) config(cmd *Command) (string, error) {
	switch cmd.Scope {
	case "set":
		return c.configSet(cmd)
	case "sites", "sites add", "sites remove":
		return c.sites(cmd)
	case "holidays add", "holidays remove":
		return c.holidaysChange(cmd)
	case "holidays":
		days, err := c.b.Desk.Holidays(c.ctx)
		if err != nil {
			return "", err
		}
		return "*Team holidays*: " + c.holidayList(days) + "\nAdmins change them with `/upgrade config holidays add|remove <date>...`.", nil
	}
	return c.configShow()
}

// holidayList writes the holidays from today on, and how many are past.
func (c *call) holidayList(days []upgradebot.Date) string {
	var coming []string
	past := 0
	for _, d := range days {
		if d.Before(c.today) {
			past++
			continue
		}
		coming = append(coming, d.Human())
	}
	var s string
	switch {
	case len(coming) == 0:
		s = "none coming"
	case len(coming) > listLimit:
		s = strings.Join(coming[:listLimit], ", ") + fmt.Sprintf(" …and %d more", len(coming)-listLimit)
	default:
		s = strings.Join(coming, ", ")
	}
	if past > 0 {
		s += fmt.Sprintf(" (and %d past)", past)
	}
	return s
}

func (c *call) configShow() (string, error) {
	days, err := c.b.Desk.Holidays(c.ctx)
	if err != nil {
		return "", err
	}
	s := c.settings
	sc := s.Config()
	source := func(key string, set bool) string {
		if f, ok := c.b.Fixed[key]; ok {
			return "_" + f.Var + ", at each start_"
		}
		if set {
			return "_stored_"
		}
		return "_default_"
	}
	stored := func(key string) bool { _, ok := s.Values[key]; return ok }
	var b strings.Builder
	b.WriteString("*Settings* (admins change them with `/upgrade config <setting> <value>`)")
	line := func(name, value, src string) { fmt.Fprintf(&b, "\n• `%s` %s · %s", name, value, src) }

	ch := "not set"
	if s.Channel != "" {
		ch = "<#" + s.Channel + ">"
	}
	line("channel", ch, source(upgradebot.SettingChannel, s.Channel != ""))
	line("tz", firstOf(s.TimeZone, "UTC"), source(upgradebot.SettingTimeZone, s.TimeZone != ""))
	hours := upgradebot.FormatHours(upgradebot.DefaultWorkStart, upgradebot.DefaultWorkEnd)
	if sc.WorkEnd != 0 {
		hours = upgradebot.FormatHours(sc.WorkStart, sc.WorkEnd)
	}
	line("hours", hours+", Mon-Fri", source(upgradebot.SettingHours, sc.WorkEnd != 0)+" (days: default)")
	line("holidays", c.holidayList(days), source("holidays", len(days) > 0))
	allClear := "off"
	if sc.AllClear {
		allClear = "on"
	}
	line("allclear", allClear+" (a quiet day's digest posts a one-line all-clear)", source(upgradebot.SettingAllClear, sc.AllClearSet))
	leads := upgradebot.DefaultReminderLeads
	if len(sc.Leads) > 0 {
		leads = sc.Leads
	}
	line("leads", upgradebot.FormatLeads(leads)+" days before GA and end of support", source(upgradebot.SettingLeads, len(sc.Leads) > 0))
	line("nudges", fmt.Sprintf("every:%d after:%d", cmpInt(sc.NudgeEvery, upgradebot.DefaultNudgeEvery), cmpInt(sc.NudgeAfter, upgradebot.DefaultNudgeChannelAfter)),
		source(upgradebot.SettingNudgeEvery, stored(upgradebot.SettingNudgeEvery) || stored(upgradebot.SettingNudgeAfter)))
	line("escalation", fmt.Sprintf("remind:%d escalate:%d", cmpInt(sc.EscalateRemind, upgradebot.DefaultEscalateAfter), cmpInt(sc.EscalateThen, upgradebot.DefaultEscalateThen)),
		source(upgradebot.SettingEscalateRemind, stored(upgradebot.SettingEscalateRemind) || stored(upgradebot.SettingEscalateThen)))
	lim := sc.Workload.Limits()
	line("workload", fmt.Sprintf("hours:%d tasks:%d (over: more hours planned or open tasks than these)", lim.Hours, lim.Tasks),
		source(upgradebot.SettingWorkloadHours, stored(upgradebot.SettingWorkloadHours) || stored(upgradebot.SettingWorkloadTasks)))
	line("phases", sc.Phases.String()+" (the last is the go-live: a release is live when it is done)", source(upgradebot.SettingPhases, sc.PhasesSet))
	refURL := "none (tickets are shown as text)"
	if sc.RefURL != "" {
		refURL = "`" + sc.RefURL + "` (a task's ticket ref is a link)"
	}
	line("refurl", refURL, source(upgradebot.SettingRefURL, sc.RefURL != ""))
	for _, j := range upgradebot.ScheduledJobs {
		key := upgradebot.SettingSchedulePrefix + j.Name
		spec := firstOf(sc.Schedules[j.Name], j.DefaultSpec)
		if f, ok := c.b.Fixed[key]; ok {
			spec = f.Value
		}
		line("schedule "+j.Name, "`"+spec+"`", source(key, sc.Schedules[j.Name] != ""))
	}
	mrn := "built-in only: MRN, MR# or medical record number followed by a number (with SSNs and dates of birth)"
	if g := s.PHIGuard(); g.MRNPattern() != "" {
		mrn = "`" + g.MRNPattern() + "`, and the built-in forms"
	}
	line("phi mrn", mrn, source(upgradebot.SettingPHIMRN, stored(upgradebot.SettingPHIMRN)))
	sites := "none"
	if len(s.Sites) > 0 {
		sites = s.SiteKeys() + " (`config sites` names them)"
	}
	line("sites", sites, source("sites", len(s.Sites) > 0))
	b.WriteString("\nSchedules are read when the bot starts; everything else applies from the next run. " +
		"Nudges keep to working hours; the digest and reminders skip weekends and holidays.")
	return b.String(), nil
}

// days writes n working days.
func days(n int) string { return upgradebot.Plural(n, "working day") }

func cmpInt(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func (c *call) configSet(cmd *Command) (string, error) {
	if err := c.b.Desk.SetSettings(c.ctx, c.user, cmd.Values); err != nil {
		return "", err
	}
	c.b.logger().Info("settings changed", "user", c.user, "setting", cmd.Key)
	v := func(key string) string { return cmd.Values[key] }
	var text string
	when := " It applies from the next run."
	switch cmd.Key {
	case "channel":
		text = fmt.Sprintf("Team channel set to <#%s>: digests, reminders and notices go there.", v(upgradebot.SettingChannel))
	case "tz":
		text = fmt.Sprintf("Time zone set to %s: dates in commands use it now; the schedules use it from the next start.", v(upgradebot.SettingTimeZone))
		when = ""
	case "hours":
		text = fmt.Sprintf("Working hours set to %s: nudges are sent only within them.", v(upgradebot.SettingHours))
	case "leads":
		text = fmt.Sprintf("Release reminders set to %s days before GA and end of support.", v(upgradebot.SettingLeads))
	case "allclear":
		text = "Digest all-clear is " + v(upgradebot.SettingAllClear) + "."
	case "refurl":
		text = "Tickets are shown as text now."
		if u := v(upgradebot.SettingRefURL); u != "" {
			text = fmt.Sprintf("A task's ticket ref now links to `%s`, {ref} being the ref: in DMs and on the App Home.", u)
		}
		when = ""
	case "phases":
		plan := upgradebot.Settings{Values: cmd.Values}.Config().Phases
		text = fmt.Sprintf("Phases set to %s: a release is live when its %s phase is done.", plan.Human(), plan.Last())
		when = " New lengths apply to phases started from now on; phases already planned keep their dates. " +
			"A phase name still in use cannot be dropped or renamed."
	case "nudges", "escalation":
		sc := upgradebot.Settings{Values: cmd.Values}.Config()
		var parts []string
		if sc.NudgeEvery > 0 {
			parts = append(parts, "every "+days(sc.NudgeEvery))
		}
		if sc.NudgeAfter > 0 {
			parts = append(parts, fmt.Sprintf("the team channel told after %d nudges", sc.NudgeAfter))
		}
		if sc.EscalateRemind > 0 {
			parts = append(parts, "owner reminded after "+days(sc.EscalateRemind))
		}
		if sc.EscalateThen > 0 {
			parts = append(parts, "escalated "+days(sc.EscalateThen)+" after the reminder")
		}
		text = upgradebot.UpperFirst(cmd.Key) + " set: " + strings.Join(parts, ", ") + "."
	case "phi":
		if v(upgradebot.SettingPHIMRN) == upgradebot.MRNPatternDefault {
			text = "The team's MRN pattern is dropped: the built-in forms (MRN, MR# or medical record number and a number; SSNs; dates of birth) still apply."
		} else {
			text = "MRN pattern set: text matching it is refused, as are the built-in forms (MRN, MR# or medical record number and a number; SSNs; dates of birth). " +
				"`/upgrade phi scan` finds what is already stored."
		}
		when = " It applies now."
	case "workload":
		sc := upgradebot.Settings{Values: cmd.Values}.Config()
		var parts []string
		if sc.Workload.Hours > 0 {
			parts = append(parts, fmt.Sprintf("more than %dh of estimated open work", sc.Workload.Hours))
		}
		if sc.Workload.Tasks > 0 {
			parts = append(parts, fmt.Sprintf("more than %d open tasks", sc.Workload.Tasks))
		}
		text = "Workload threshold set: a person is over with " + strings.Join(parts, " or ") + "."
		when = " `/upgrade workload` uses it now."
	default: // schedule <job>
		job := strings.TrimPrefix(cmd.Key, "schedule ")
		key := upgradebot.SettingSchedulePrefix + job
		text = fmt.Sprintf("Schedule of `%s` set to `%s` (in the team's time zone).", job, v(key))
		when = " Schedules are read at start: it applies when the bot next starts."
	}
	text += when
	for key := range cmd.Values {
		if f, ok := c.b.Fixed[key]; ok && f.Value != cmd.Values[key] {
			text += fmt.Sprintf(" Note: %s is set where the bot runs, and its value (%s) wins at the next start unless it is changed too.", f.Var, f.Value)
		}
	}
	return text, nil
}

func (c *call) holidaysChange(cmd *Command) (string, error) {
	days, err := c.b.Desk.Holidays(c.ctx)
	if err != nil {
		return "", err
	}
	var changed, unchanged []string
	for _, d := range cmd.Dates {
		has := slices.Contains(days, d)
		switch {
		case cmd.Scope == "holidays add" && !has:
			days = append(days, d)
			changed = append(changed, d.Human())
		case cmd.Scope == "holidays remove" && has:
			days = slices.DeleteFunc(days, func(x upgradebot.Date) bool { return x == d })
			changed = append(changed, d.Human())
		default:
			unchanged = append(unchanged, d.Human())
		}
	}
	// Called even when nothing changes, so a non-admin is still refused.
	if err := c.b.Desk.SetHolidays(c.ctx, c.user, days); err != nil {
		return "", err
	}
	verb, already := "Added", "already holidays"
	if cmd.Scope == "holidays remove" {
		verb, already = "Removed", "not holidays"
	}
	var text string
	if len(changed) > 0 {
		text = fmt.Sprintf("%s %s. ", verb, strings.Join(changed, ", "))
	}
	if len(unchanged) > 0 {
		text += fmt.Sprintf("%s: %s. ", upgradebot.UpperFirst(already), strings.Join(unchanged, ", "))
	}
	days = upgradebot.SortHolidays(days)
	return text + "Team holidays: " + c.holidayList(days) + ".", nil
}

// sites lists the team's sites, or adds, renames or removes one.
func (c *call) sites(cmd *Command) (string, error) {
	switch cmd.Scope {
	case "sites add":
		_, had := c.settings.Site(cmd.Key)
		st := &upgradebot.Site{Key: cmd.Key, Name: cmd.Title}
		if err := c.b.Desk.AddSite(c.ctx, c.user, st); err != nil {
			return "", err
		}
		if had {
			return fmt.Sprintf("Site %s is now called %s.", st.Key, upgradebot.Escape(st.Name)), nil
		}
		return fmt.Sprintf("Added site %s, %s. Tag work with `site:%s` (add, maint add, freeze, release add); `list site:%s` and `workload site:%s` show its work.",
			st.Key, upgradebot.Escape(st.Name), st.Key, st.Key, st.Key), nil
	case "sites remove":
		st, err := c.b.Desk.RemoveSite(c.ctx, c.user, cmd.Key)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Removed site %s, %s.", st.Key, upgradebot.Escape(st.Name)), nil
	}
	if len(c.settings.Sites) == 0 {
		return "*Sites*: none. An admin adds one with `/upgrade config sites add north \"North Campus\"`.", nil
	}
	return bullets("Sites", "", c.settings.Sites, func(st upgradebot.Site) string {
		return fmt.Sprintf("`%s` %s", st.Key, upgradebot.Escape(st.Name))
	}) + "\nTag work with `site:<key>`; admins change the list with `/upgrade config sites add|remove`.", nil
}
